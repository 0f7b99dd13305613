/** `ir runbook for-alert <AlertName>`: the runbook for an alert, for paging hooks. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { renderRunbook } from '../../runbook/render.js';
import { closeMatches, listRunbooks, loadRunbook, runbooksDir, runbooksForAlert } from '../../runbook/service.js';
import type { ForAlertFlags } from './spec.js';

export async function run(ctx: Context, flags: ForAlertFlags, alert: string): Promise<number> {
  const dir = runbooksDir(ctx, flags.dir);
  const all = await listRunbooks(ctx, dir);
  const found = runbooksForAlert(all, alert);
  if (flags.json) {
    ctx.out.json({
      alert,
      runbooks: found.map((rb) => ({ name: rb.name, title: rb.title, path: rb.path, alerts: rb.alerts })),
    });
    return found.length ? ExitCode.ok : ExitCode.checkFailed;
  }
  if (found.length === 0) {
    ctx.out.error(`no runbook in ${dir} answers alert ${alert}`);
    const close = closeMatches(
      all.flatMap((r) => [...r.alerts.map((a) => ({ name: a })), { name: r.name }]),
      alert,
    );
    if (close.length) ctx.out.info(`did you mean ${close.join(' or ')}?`);
    ctx.out.info("add it to a runbook's front matter (alerts: [" + alert + ']) or name the file after the alert');
    return ExitCode.checkFailed;
  }
  if (flags.path) {
    for (const f of found) ctx.out.line(f.path);
    return ExitCode.ok;
  }
  for (const [i, f] of found.entries()) {
    if (i > 0) ctx.out.line('');
    ctx.out.line(renderRunbook((await loadRunbook(f.path)).runbook, ctx.out.color));
  }
  return ExitCode.ok;
}
