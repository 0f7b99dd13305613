/** `ir alert ingest [file|-]`: one alert notification in, an incident declared or attached. */
import { ingestAlerts, type IngestResult } from '../../alert/service.js';
import { parseJsonBody } from '../../alert/formats.js';
import type { Context } from '../../context.js';
import { postsExitCode } from '../../notify/exit.js';
import { readInputText } from '../../files.js';
import { deliveryJson, reportDeliveries } from '../incident/render.js';
import type { IngestFlags } from './spec.js';

export async function run(ctx: Context, flags: IngestFlags, file = '-'): Promise<number> {
  const stdin = file === '-';
  const label = stdin ? 'stdin' : file;
  const text = readInputText(stdin ? '/dev/stdin' : file, {
    label,
    what: 'alert notification',
    stream: stdin,
    maxBytes: ctx.config().config.alerts.listen.max_body,
    limitHint: 'the limit is alerts.listen.max_body in ir.yaml (bytes), as for ir alert listen',
    hint: 'pass an Alertmanager, Grafana or PagerDuty Events v2 JSON body',
  });
  const result = await ingestAlerts(ctx, parseJsonBody(text, label), label, {
    format: flags.format,
    notify: flags.notify,
  });
  if (flags.json) ctx.out.json(ingestJson(result));
  else renderIngest(ctx, result);
  // A post that failed is exit 3 (2 when not attempted for the configuration) with --json too, as
  // for ir declare: the incident is saved.
  for (const id of new Set(result.deliveries.map((d) => d.incidentId ?? ''))) {
    reportDeliveries(
      ctx,
      id,
      result.deliveries.filter((d) => (d.incidentId ?? '') === id),
    );
  }
  return postsExitCode(result.deliveries.map((d) => ({ ok: d.status === 'sent', configProblem: d.configProblem })));
}

/** What `--json` prints, and what `ir alert listen` answers a POST with. */
export function ingestJson(r: IngestResult): Record<string, unknown> {
  return { ...r, deliveries: r.deliveries.map(deliveryJson) };
}

/** What happened, one line per incident and per alert that changed nothing; the next command last. */
export function renderIngest(ctx: Context, r: IngestResult): void {
  for (const i of r.incidents) {
    const what = i.action === 'declared' ? 'declared' : i.action === 'resolved' ? 'alert resolved on' : 'attached to';
    ctx.out.line(`${what} ${i.id} ${i.severity} ${i.title}${i.service ? ` (service ${i.service})` : ''} [${i.status}]`);
    if (i.runbook) ctx.out.line(`  runbook: ${i.runbook.name} (${i.runbook.path})`);
  }
  for (const a of r.alerts.filter((x) => x.action === 'unchanged' || x.action === 'ignored'))
    ctx.out.line(`${a.action}: ${a.alertname} (${a.status}): ${a.reason}`);
  if (r.severity && r.severity.mapped)
    ctx.out.info(`${r.severity.level}, from the alert's label ${r.severity.label}=${r.severity.value}`);
  for (const n of r.notes) ctx.out.warn(n);
  for (const i of r.incidents) ctx.out.line(`next: ${i.next}`);
}
