// Team mode on a local PostgreSQL (a throwaway server this bench starts: initdb and pg_ctl on a
// free loopback port, as an unprivileged user when run as root — as test/helpers/servers.ts does).
//
// - `ir incident log` and `ir incident show` on PostgreSQL within 1.5x of the same on SQLite
//   (interleaved rounds, so both see the same machine);
// - `ir db copy` of 100 000 incidents with 1 000 000 timeline entries (a SQLite file made by
//   `ir incident import`) into an empty database: < 60 s; again: nothing copied;
// - then, on that database: `ir incident list --open` median < 300 ms, `ir metrics` < 1 s.
//
//   npm run bench -- team
// IR_BENCH_INCIDENTS and IR_BENCH_TIMELINE scale it down for a quick look (see learning.bench.mjs).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generate, run, series } from './learning.bench.mjs';
import { compareToFloor, irIn } from './lib.mjs';

const INCIDENTS = Number(process.env.IR_BENCH_INCIDENTS ?? 100_000);

function pgBin(name) {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const versions = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1'], {
    encoding: 'utf8',
  }).stdout.trim();
  return versions ? join(versions, name) : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL with the server's default durability settings (fsync on). */
async function startPostgres(root) {
  const initdb = pgBin('initdb');
  const pgctl = pgBin('pg_ctl');
  if (!initdb || !pgctl) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  let as = (argv) => argv;
  if (process.getuid?.() === 0) {
    const user = ['postgres', 'nobody'].find((u) => spawnSync('id', ['-u', u]).status === 0);
    const id = (flag) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
    chownSync(root, id('-u'), id('-g'));
    chmodSync(root, 0o755);
    as = (argv) => ['runuser', '-u', user, '--', ...argv];
  }
  const sh = (argv) => {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}${r.stdout}`);
  };
  const data = join(root, 'data');
  sh(as([initdb, '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']));
  const port = await freePort();
  sh(as([pgctl, '-D', data, '-o', `-p ${port} -k ${root} -h 127.0.0.1`, '-l', join(root, 'log'), '-w', 'start']));
  return {
    port,
    async createDatabase(name) {
      const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      const argv = as([pgctl, '-D', data, '-m', 'fast', '-w', 'stop']);
      spawnSync(argv[0], argv.slice(1));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export default async function team() {
  const dir = mkdtempSync(join(tmpdir(), 'ir-bench-team-'));
  const server = await startPostgres(mkdtempSync(join(tmpdir(), 'ir-bench-pg-')));
  try {
    // 1. Start-up of the scribe's commands, SQLite against PostgreSQL, same seed.
    const lite = { IR_DB: join(dir, 'small.db'), IR_USER: 'bench' };
    const team = { IR_DATABASE_URL: await server.createDatabase('small'), IR_USER: 'bench' };
    for (const env of [lite, team]) {
      const ir = irIn(dir, env);
      for (let n = 1; n <= 5; n++)
        ir('declare', '--title', `incident ${n}`, '--sev', String(1 + (n % 4)), '--service', 'api');
      for (let n = 0; n < 30; n++) ir('incident', 'log', 'INC-5', `finding ${n}`, '--type', 'finding');
    }
    const log = ['incident', 'log', 'INC-5', 'pool at 98/100 connections'];
    const show = ['incident', 'show', 'INC-5'];
    const startup = compareToFloor('team mode start-up (PostgreSQL against SQLite)', [
      { name: 'ir incident log (SQLite)', args: log, env: lite, cwd: dir },
      { name: 'ir incident log (PostgreSQL)', args: log, env: team, cwd: dir },
      { name: 'ir incident show INC-5 (SQLite)', args: show, env: lite, cwd: dir },
      { name: 'ir incident show INC-5 (PostgreSQL)', args: show, env: team, cwd: dir },
    ]);
    const [logLite, logPg, showLite, showPg] = startup.rows;
    const ratios = [
      { name: 'ir incident log: PostgreSQL / SQLite', ratio: logPg.medianMs / logLite.medianMs },
      { name: 'ir incident show: PostgreSQL / SQLite', ratio: showPg.medianMs / showLite.medianMs },
    ].map((r) => ({ ...r, target: 1.5, ok: r.ratio <= 1.5 }));
    for (const r of ratios)
      console.log(`  ${r.name.padEnd(40)} ${r.ratio.toFixed(2)}x  (target ≤ ${r.target}x) ${r.ok ? 'ok' : 'OVER'}`);

    // 2. A laptop's large history into the team database.
    const file = join(dir, 'history.jsonl');
    let t0 = Date.now();
    const timeline = await generate(file, Date.now());
    console.log(
      `\nteam: generated ${INCIDENTS} incidents, ${timeline} timeline entries (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const laptop = { IR_BENCH_DIR: dir, IR_DB: join(dir, 'laptop.db'), IR_USER: 'bench' };
    t0 = Date.now();
    run(['incident', 'import', file], laptop);
    console.log(`  ir incident import into SQLite: ${((Date.now() - t0) / 1000).toFixed(1)} s (set-up, no target)`);
    const url = await server.createDatabase('big');
    const big = { IR_BENCH_DIR: dir, IR_DATABASE_URL: url, IR_USER: 'bench' };
    const copyArgs = ['db', 'copy', '--from', laptop.IR_DB, '--json'];
    const copy = run(copyArgs, big);
    const copied = Object.fromEntries(JSON.parse(copy.stdout).tables.map((t) => [t.table, t.copied]));
    if (copied.incidents !== INCIDENTS || copied.incident_timeline !== timeline)
      throw new Error(`ir db copy copied ${JSON.stringify(copied)}`);
    const again = run(copyArgs, big);
    if (JSON.parse(again.stdout).copied !== 0) throw new Error(`second ir db copy copied ${again.stdout}`);

    const list = series(11, ['incident', 'list', '--open'], big);
    const metricsAll = series(11, ['metrics', '--since', '800d'], big);
    const metrics = series(11, ['metrics'], big);
    const rows = [
      {
        name: `ir db copy (${INCIDENTS} incidents, ${timeline} entries)`,
        value: copy.ms / 1000,
        cpu: copy.cpuMs / 1000,
        unit: 's',
        target: 60,
      },
      {
        name: 'ir db copy again (nothing copied)',
        value: again.ms / 1000,
        cpu: again.cpuMs / 1000,
        unit: 's',
        target: 60,
      },
      { name: 'ir incident list --open median', value: list.ms, cpu: list.cpuMs, unit: 'ms', target: 300 },
      {
        name: 'ir metrics --since 800d (all) median',
        value: metricsAll.ms,
        cpu: metricsAll.cpuMs,
        unit: 'ms',
        target: 1000,
      },
      { name: 'ir metrics (default 90d) median', value: metrics.ms, cpu: metrics.cpuMs, unit: 'ms', target: 1000 },
    ].map((r) => ({ ...r, ok: r.value < r.target }));
    console.log('  on PostgreSQL:');
    for (const r of rows) {
      const digits = r.unit === 's' ? 1 : 0;
      console.log(
        `  ${r.name.padEnd(52)} ${r.value.toFixed(digits).padStart(7)} ${r.unit.padEnd(2)}  cpu ${r.cpu.toFixed(digits).padStart(6)} ${r.unit}  (target < ${r.target} ${r.unit}) ${r.ok ? 'ok' : 'OVER'}`,
      );
    }
    return { rows: [...startup.rows, ...ratios, ...rows] };
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
