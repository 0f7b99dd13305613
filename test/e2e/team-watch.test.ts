/**
 * `ir incident watch` on both backends: a watcher process prints the entries there, then the ones
 * other processes write (PostgreSQL LISTEN/NOTIFY, SQLite polling), and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, IR_BIN, runIrAsync, tempDir, type IrResult } from '../helpers/cli.js';
import { BACKENDS, useBackend, type FreshDatabase } from '../helpers/stores.js';

describe.each(BACKENDS)('ir incident watch: %s', (kind) => {
  const backend = useBackend(kind);
  let tmp: ReturnType<typeof tempDir>;
  let db: FreshDatabase;
  beforeEach(async (t) => {
    if (backend.skip) return t.skip();
    tmp = tempDir();
    db = await backend.fresh();
  });
  afterEach(async () => {
    await db?.cleanup();
    tmp?.cleanup();
  });

  const env = (user: string) => ({ ...db.env, IR_USER: user });
  const ir = (args: string[], user = 'alice') => runIrAsync(args, { cwd: tmp.dir, env: env(user), timeoutMs: 60_000 });
  const ok = (r: IrResult) => {
    expect(r, r.stderr).toMatchObject({ code: 0 });
    return r;
  };

  /** A watcher without a TTY; `until` polls its output with a generous timeout (never a speed check). */
  function watcher(args: string[]) {
    const child = spawn(process.execPath, [IR_BIN, 'incident', 'watch', ...args], {
      cwd: tmp.dir,
      env: baseEnv(env('scribe')),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return {
      out: () => stdout,
      err: () => stderr,
      async until(test: (out: string) => boolean, what: string) {
        const deadline = Date.now() + 60_000;
        while (!test(stdout)) {
          if (Date.now() > deadline)
            throw new Error(`watcher never printed ${what}; stdout:\n${stdout}\nstderr:\n${stderr}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async stop() {
        child.kill('SIGTERM');
        return { code: await exited, stderr };
      },
    };
  }

  it('prints the entries there, then each one other processes write; SIGTERM ends it with exit 0', async () => {
    ok(await ir(['declare', '--title', 'db down', '--sev', '1']));
    const w = watcher(['INC-1']);
    await w.until((o) => o.includes('SEV-1 declared: db down'), 'the existing entries');
    ok(await ir(['incident', 'log', 'INC-1', 'pool at 98/100'], 'bob'));
    await w.until((o) => o.includes('pool at 98/100'), "bob's entry");
    ok(await ir(['incident', 'log', 'INC-1', 'rolling back', '--type', 'decision'], 'alice'));
    await w.until((o) => o.includes('rolling back'), "alice's entry");
    const { code, stderr } = await w.stop();
    expect(code, stderr).toBe(0);
    const lines = w.out().trimEnd().split('\n');
    // A date line, then one line per entry, as ir incident timeline prints them.
    const timeline = ok(await ir(['incident', 'timeline', 'INC-1']))
      .stdout.trimEnd()
      .split('\n')
      .slice(1);
    // Column widths follow each batch; the fields are the same.
    const words = (ls: string[]) => ls.map((l) => l.replace(/\s+/g, ' '));
    expect(words(lines)).toEqual(words(timeline));
    expect(lines.filter((l) => /pool at 98\/100/.test(l))).toHaveLength(1);
  }, 180_000);

  it('--json prints JSON Lines in camelCase; entries written by several processes at once each appear once', async () => {
    ok(await ir(['declare', '--title', 'db down', '--sev', '2']));
    const w = watcher(['INC-1', '--json']);
    await w.until((o) => o.includes('"type":"declared"'), 'the declaration');
    await Promise.all(['bob', 'carol', 'dave'].map((p) => ir(['incident', 'log', 'INC-1', `${p} was here`], p)));
    await w.until((o) => ['bob', 'carol', 'dave'].every((p) => o.includes(`${p} was here`)), 'all three entries');
    const { code, stderr } = await w.stop();
    expect(code, stderr).toBe(0);
    const entries = w
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries).toHaveLength(4);
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
    for (const e of entries)
      expect(Object.keys(e).sort()).toEqual(['at', 'author', 'id', 'incident', 'recordedAt', 'text', 'type']);
    expect(
      entries
        .slice(1)
        .map((e) => e.author)
        .sort(),
    ).toEqual(['bob', 'carol', 'dave']);
  }, 180_000);

  it.skipIf(kind !== 'postgres')(
    'a lost connection (the server ended the session, as a restart does) is got back: the entries written meanwhile follow, each once',
    async () => {
      ok(await ir(['declare', '--title', 'db down', '--sev', '1']));
      const w = watcher(['INC-1', '--json']);
      await w.until((o) => o.includes('"type":"declared"'), 'the declaration');
      const admin = new pg.Client({ connectionString: db.location });
      await admin.connect();
      try {
        // The watcher's listening session, ended from the server's side.
        const ended = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ir' AND query LIKE 'LISTEN%'",
        );
        expect(ended.rowCount).toBe(1);
      } finally {
        await admin.end();
      }
      ok(await ir(['incident', 'log', 'INC-1', 'written while it was away'], 'bob'));
      await w.until((o) => o.includes('written while it was away'), 'the entry written while it reconnected');
      ok(await ir(['incident', 'log', 'INC-1', 'written after'], 'carol'));
      await w.until((o) => o.includes('written after'), 'the entry written after');
      expect(w.err()).toMatch(/warning: cannot reach the team database at .*; reconnecting \(for up to 60 s\)/);
      const { code, stderr } = await w.stop();
      expect(code, stderr).toBe(0);
      const texts = w
        .out()
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).text as string);
      expect(texts.filter((t) => t === 'written while it was away')).toHaveLength(1);
      expect(texts.filter((t) => t === 'written after')).toHaveLength(1);
    },
    180_000,
  );

  it('--since leaves out older entries; an unknown incident is exit 2', async () => {
    ok(
      await ir([
        'declare',
        '--title',
        'db down',
        '--sev',
        '2',
        '--started-at',
        '2020-01-01 10:00',
        '--detected-at',
        '2020-01-01 10:05',
      ]),
    );
    ok(await ir(['incident', 'log', 'INC-1', 'recent entry'], 'bob'));
    const w = watcher(['INC-1', '--since', '1h', '--json']);
    await w.until((o) => o.includes('recent entry'), 'the recent entry');
    const { code } = await w.stop();
    expect(code).toBe(0);
    expect(w.out()).not.toContain('"type":"started"');
    const unknown = await ir(['incident', 'watch', 'INC-9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/INC-9/);
  }, 180_000);
});
