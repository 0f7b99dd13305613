/** `ir config`: where ir reads its configuration and keeps its state, and the effective settings. */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { redactUrl } from '../../secrets.js';
import { databaseLocation, redactDatabaseUrl } from '../../store/target.js';
import { redactWebhookUrl } from '../../incident/webhook.js';
import type { ConfigFlags } from './spec.js';

/**
 * The settings as they may be shown: an incident webhook's URL is a credential (scheme and host
 * only); every other URL (Prometheus', a channel's endpoint, the status page's) loses the
 * credentials it may carry (`user:password@`, `password=`), the database's its password. Secrets themselves are only
 * ever named by environment variable, so nothing else needs hiding.
 */
function redactConfig<T>(config: T): T {
  const walk = (v: unknown, path: string[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, path));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    if (typeof v !== 'string' || path.at(-1) !== 'url') return v;
    if (path[0] === 'incidents' && path[1] === 'webhooks') return redactWebhookUrl(v);
    return path[0] === 'database' ? redactDatabaseUrl(v) : redactUrl(v);
  };
  return walk(config, []) as T;
}

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
    config: redactConfig(loaded.config),
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
