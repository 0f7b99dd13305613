/**
 * Throwaway real servers for end-to-end tests: redis-server and PostgreSQL on free loopback ports
 * in temp directories, started and stopped by the test. A missing binary skips loudly on a laptop
 * and fails under CI (CI set), so CI always exercises the real thing.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipUnlessCI } from './prereq.js';

export function onPath(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** initdb / pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<v>/bin. */
export function pgBin(name: string): string | undefined {
  const direct = onPath(name);
  if (direct) return direct;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  for (const v of readdirSync(base).sort().reverse()) {
    const p = join(base, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Missing program: a loud skip on a laptop, a failure in CI. Returns the reason to skip. */
export function requireOrSkip(what: string, ok: boolean): string | undefined {
  if (ok) return undefined;
  return skipUnlessCI(
    `${what} is not installed: the real-server runbook tests cannot run (apt-get install redis-server redis-tools postgresql postgresql-client)`,
  );
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * A free port is only free until someone binds it: another test file running in parallel can take
 * it between the probe and redis-server's own bind. redis-server then exits at once, so that is
 * noticed and retried on a new port instead of waiting 20 s for a PONG that never comes.
 */
export async function startRedis(attempts = 3): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ir-redis-'));
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    let exited = false;
    const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
    const ping = () =>
      spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() ===
      'PONG';
    try {
      await waitFor(() => exited || ping(), `redis-server on ${port}`);
    } catch (e) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      if (attempt >= attempts) throw new Error(`redis-server exited at start ${attempts} times (last port ${port})`);
      continue;
    }
    let stopped = false;
    return {
      port,
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

export interface PgServer {
  port: number;
  /** The server's data and socket directory; with TLS, root.crt (its self-signed certificate) is here. */
  root?: string;
  /** Unix-socket directory (also listening on 127.0.0.1). */
  socketDir: string;
  user: string;
  stop(): Promise<void>;
}

/** A command's exit status and output, without blocking the event loop. */
function runAsync(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status: code, stdout, stderr: stderr || (err && typeof err.code !== 'number' ? err.message : '') });
    });
  });
}

/**
 * initdb refuses to run as root, so as root the cluster belongs to an unprivileged user
 * (`postgres` from the Debian package, else `nobody`) and every server command runs via runuser.
 */
export async function startPostgres(opts: { password?: string; tls?: boolean } = {}): Promise<PgServer> {
  const initdb = pgBin('initdb');
  const pgctl = pgBin('pg_ctl');
  if (!initdb || !pgctl) throw new Error('initdb/pg_ctl not found');
  const root = mkdtempSync(join(tmpdir(), 'ir-pg-'));
  const data = join(root, 'data');
  const isRoot = process.getuid?.() === 0;
  let asUser: string | undefined;
  if (isRoot) {
    asUser = ['postgres', 'nobody'].find((u) => spawnSync('id', ['-u', u]).status === 0);
    if (!asUser) throw new Error('running as root and neither a postgres nor a nobody user exists for initdb');
    const uid = Number(spawnSync('id', ['-u', asUser], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', asUser], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, uid, gid);
    chmodSync(root, 0o755);
  }
  // Asynchronously: initdb and pg_ctl can take a minute on a loaded machine, and a blocked event
  // loop keeps the test worker from answering vitest meanwhile.
  const as = (argv: string[]) =>
    asUser ? runAsync('runuser', ['-u', asUser, '--', ...argv]) : runAsync(argv[0]!, argv.slice(1));
  // With a password, connections over TCP must give it (SCRAM, as production servers do); the
  // Unix socket stays trusted for the tests' own administration.
  const auth = ['-A', 'trust'];
  if (opts.password !== undefined) {
    const pwfile = join(root, 'pwfile');
    writeFileSync(pwfile, `${opts.password}\n`, { mode: 0o644 });
    auth.splice(0, 2, '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
  }
  const init = await as([initdb, '-D', data, ...auth, '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  // With TLS, a self-signed certificate for 127.0.0.1 (root.crt is what a client would trust).
  let tlsOptions = '';
  if (opts.tls) {
    const made = await runAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(root, 'server.key'),
      '-out',
      join(root, 'root.crt'),
    ]);
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    // The server refuses a key others can read; as root, the key belongs to the server's user.
    chmodSync(join(root, 'server.key'), 0o600);
    if (asUser) {
      const uid = Number(spawnSync('id', ['-u', asUser], { encoding: 'utf8' }).stdout.trim());
      chownSync(join(root, 'server.key'), uid, -1);
    }
    // Connections over TCP must use TLS (hostssl), so a test can tell an encrypted one apart.
    const hba = join(data, 'pg_hba.conf');
    writeFileSync(hba, readFileSync(hba, 'utf8').replace(/^host(\s)/gm, 'hostssl$1'));
    tlsOptions = ` -c ssl=on -c ssl_cert_file=${join(root, 'root.crt')} -c ssl_key_file=${join(root, 'server.key')}`;
  }
  // As with Redis, the probed port can be taken before the postmaster binds it: retry on a new one.
  let port: number;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-p ${port} -k ${root} -h 127.0.0.1 -c fsync=off -c full_page_writes=off${tlsOptions}`;
    const logFile = join(root, `log.${attempt}`);
    const start = await as([pgctl, '-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
    if (start.status === 0) break;
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (attempt < 3 && /could not bind|address already in use/i.test(log)) continue;
    throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}\n${log}`);
  }
  let stopped = false;
  return {
    port,
    root,
    socketDir: root,
    user: 'postgres',
    async stop() {
      if (stopped) return;
      stopped = true;
      await as([pgctl, '-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Is the process alive (zombies count as gone: nobody is left to reap them in a container)? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout;
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== '';
  } catch {
    return true;
  }
}
