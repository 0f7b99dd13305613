/** `ir config`: where ir reads its configuration and keeps its state, and the effective settings. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { databaseLocation, redactUrl } from '../../store/target.js';
import { redactWebhookUrl } from '../../incident/webhook.js';
import type { ConfigFlags } from './spec.js';

export async function run(ctx: Context, flags: ConfigFlags): Promise<number> {
  const loaded = ctx.config();
  const report = {
    configPath: loaded.path ?? null,
    root: loaded.root,
    runbooksDir: loaded.runbooksDir,
    schedulesDir: loaded.schedulesDir,
    dbPath: ctx.dbPath(),
    // Which database commands use; a server's URL without its password.
    database: { kind: ctx.database().kind, location: databaseLocation(ctx.database()) },
    timezone: ctx.timeZone(),
    actor: ctx.actor(),
    interactive: ctx.interactive,
    // Webhook URLs are credentials: scheme and host only.
    config: {
      ...loaded.config,
      database: {
        ...loaded.config.database,
        ...(loaded.config.database.url ? { url: redactUrl(loaded.config.database.url) } : {}),
      },
      incidents: {
        ...loaded.config.incidents,
        webhooks: loaded.config.incidents.webhooks.map((w) => (w.url ? { ...w, url: redactWebhookUrl(w.url) } : w)),
      },
    },
  };
  if (flags.json) {
    ctx.out.json(report);
    return ExitCode.ok;
  }
  const { out } = ctx;
  const rows: [string, string][] = [
    ['config', report.configPath ?? '(none found: built-in defaults)'],
    ['runbooks', report.runbooksDir],
    ['schedules', report.schedulesDir],
    ['database', report.database.kind === 'sqlite' ? report.dbPath : `${report.database.location} (PostgreSQL)`],
    ['timezone', report.timezone],
    ['acting as', report.actor],
    ['interactive', String(report.interactive)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.line(`${k.padEnd(width)}  ${v}`);
  return ExitCode.ok;
}
