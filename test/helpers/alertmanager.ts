/**
 * A real Prometheus Alertmanager for tests: Debian's `prometheus-alertmanager` on a loopback port
 * (clustering off) with a temp storage directory and the config the test writes, and `amtool`
 * pointed at it. Missing binaries skip loudly on a laptop and fail under CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipUnlessCI } from './prereq.js';
import { freePort, onPath } from './servers.js';

export const ALERTMANAGER_BIN = onPath('prometheus-alertmanager') ?? onPath('alertmanager');
export const AMTOOL_BIN = onPath('amtool');

/** Undefined when Alertmanager and amtool are installed; else the reason to skip (a failure under CI). */
export function alertmanagerOrSkip(): string | undefined {
  if (ALERTMANAGER_BIN && AMTOOL_BIN) return undefined;
  return skipUnlessCI(
    'prometheus-alertmanager (with amtool) is not installed: the Alertmanager tests cannot run (apt-get install prometheus-alertmanager)',
  );
}

export interface Alertmanager {
  url: string;
  /** Runs amtool against this Alertmanager; throws with its output when it fails. */
  amtool(args: string[]): string;
  /** What Alertmanager logged so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts Alertmanager with `config` (YAML text). As with redis-server, a probed port can be taken
 * before Alertmanager binds it: it then exits at once, and a new port is tried.
 */
export async function startAlertmanager(config: string, attempts = 3): Promise<Alertmanager> {
  if (!ALERTMANAGER_BIN || !AMTOOL_BIN) throw new Error('prometheus-alertmanager / amtool not found');
  const dir = mkdtempSync(join(tmpdir(), 'ir-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    const child: ChildProcess = spawn(
      ALERTMANAGER_BIN,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    let exited = false;
    const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
    const ready = async () => {
      try {
        return (await fetch(`${url}/-/ready`)).ok;
      } catch {
        return false;
      }
    };
    const end = Date.now() + 30_000;
    let up = false;
    while (!exited && !(up = await ready()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (!up) {
      child.kill('SIGKILL');
      await exit;
      if (attempt < attempts && /address already in use/i.test(log)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Alertmanager did not start on ${url}:\n${log}`);
    }
    let stopped = false;
    return {
      url,
      amtool(args) {
        const r = spawnSync(AMTOOL_BIN, [`--alertmanager.url=${url}`, ...args], { encoding: 'utf8', timeout: 30_000 });
        if (r.status !== 0) throw new Error(`amtool ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
        return r.stdout;
      },
      log: () => log,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (!exited) {
          child.kill('SIGTERM');
          await exit;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
