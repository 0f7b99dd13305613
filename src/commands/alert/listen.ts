/**
 * `ir alert listen`: an HTTP receiver for alert notifications until SIGTERM or Ctrl-C. stdout
 * carries one JSON line per event — `listening`, each `request`, `stopping`, `stopped` — for a
 * log collector; the bearer token is never among them.
 */
import { startAlertListener } from '../../alert/service.js';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { ingestJson } from './ingest.js';
import type { ListenFlags } from './spec.js';

export async function run(ctx: Context, flags: ListenFlags): Promise<number> {
  const log = (entry: Record<string, unknown>) => ctx.out.line(JSON.stringify(entry));
  const listening = await startAlertListener(
    ctx,
    {
      port: flags.port,
      bind: flags.bind,
      tokenEnv: flags.tokenEnv,
      maxBody: flags.maxBody,
      format: flags.format,
      notify: flags.notify,
    },
    { reply: ingestJson, log },
  );
  const { url, port, bind, auth, tokenEnv, maxBody } = listening;
  log({ event: 'listening', time: ctx.now().toISOString(), url, port, bind, auth, tokenEnv, maxBody });
  if (auth === 'none') ctx.out.info(`no bearer token required (${tokenEnv} is not set); listening on ${bind} only`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (s: NodeJS.Signals) => {
      process.removeListener('SIGTERM', stop);
      process.removeListener('SIGINT', stop);
      resolve(s);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  log({ event: 'stopping', time: ctx.now().toISOString(), signal });
  await listening.close();
  log({ event: 'stopped', time: ctx.now().toISOString(), requests: listening.requests() });
  return ExitCode.ok;
}
