/** `ir runbook runs [name]`: recorded runs, newest first; `--id N` shows one run's steps. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { formatMs } from '../../runbook/expect.js';
import { recordedRun, recordedRuns } from '../../runbook/service.js';
import { renderTable } from '../../ui/table.js';
import type { RunsFlags } from './spec.js';

export async function run(ctx: Context, flags: RunsFlags, name?: string): Promise<number> {
  if (flags.id !== undefined) {
    const rec = await recordedRun(ctx, flags.id);
    if (flags.json) {
      ctx.out.json(rec);
      return ExitCode.ok;
    }
    const c = ctx.out.color;
    ctx.out.line(`${c.bold(`run #${rec.id}`)}  ${rec.title}  ${c.dim(rec.path)}`);
    ctx.out.line(c.dim(`${rec.startedAt} · ${rec.actor} · ${rec.mode} · sha256 ${rec.contentHash.slice(0, 12)}`));
    ctx.out.line(
      renderTable({
        head: ['#', 'STEP', 'KIND', 'STATUS', 'EXIT', 'TIME', 'EXPECTED'],
        rows: rec.steps.map((s) => [
          s.seq,
          s.id,
          s.kind,
          s.status,
          s.exitCode ?? '-',
          s.durationMs === null ? '-' : formatMs(s.durationMs),
          s.expected ?? '-',
        ]),
        alignRight: [0, 4, 5],
      }),
    );
    ctx.out.line(rec.passed ? c.green('PASSED') : c.red('FAILED'));
    return ExitCode.ok;
  }
  const limit = flags.limit ?? 20;
  const runs = await recordedRuns(ctx, { runbook: name, limit });
  if (flags.json) {
    ctx.out.json({ runs });
    return ExitCode.ok;
  }
  if (runs.length === 0) {
    ctx.out.info(name ? `no recorded runs of ${name}` : 'no recorded runbook runs yet');
    return ExitCode.ok;
  }
  ctx.out.line(
    renderTable({
      head: ['RUN', 'STARTED', 'RUNBOOK', 'BY', 'RESULT', 'STEPS'],
      rows: runs.map((r) => [
        r.id,
        r.startedAt.replace('T', ' ').slice(0, 19),
        r.runbook,
        r.actor,
        r.passed ? 'passed' : r.stopped ? 'stopped' : 'failed',
        Object.entries(r.counts)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
      ]),
      alignRight: [0],
    }),
  );
  return ExitCode.ok;
}
