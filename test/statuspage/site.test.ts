/** ir status-page build in-process: escaped text, no internal notes, Statuspage v2 fields, same bytes twice, bad --out. */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from '../helpers/context.js';

it('builds the site from the record', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
  try {
    writeFileSync(
      join(dir, 'ir.yaml'),
      'components:\n  - id: api\n    name: Public API\n    group: Core\n  - id: db\n',
    );
    const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
    const now = new Date('2026-11-26T12:00:00Z');
    const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now });
    expect((await ir('declare', '--title', 'API errors', '--sev', '2', '--started-at', '11:00')).code).toBe(0);
    expect((await ir('incident', 'log', 'INC-1', 'internal secret note')).code).toBe(0);
    const u = await ir(
      'incident',
      'update',
      'INC-1',
      '--public',
      'Investigating <script>alert(1)</script>',
      '--component',
      'api=major_outage',
    );
    expect(u.code, u.stderr).toBe(0);
    const b = await ir('status-page', 'build', '--out', 'site', '--json');
    expect(b.code, b.stderr).toBe(0);
    const html = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
    expect(html).toContain('Investigating &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('internal secret note');
    expect(html).toContain('<html lang="en">');
    const summary = JSON.parse(readFileSync(join(dir, 'site', 'api', 'v2', 'summary.json'), 'utf8'));
    expect(Object.keys(summary)).toEqual(['page', 'components', 'incidents', 'scheduled_maintenances', 'status']);
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(summary.components.find((c: { id: string }) => c.id === 'api').status).toBe('major_outage');
    expect(summary.incidents[0].incident_updates[0].body).toBe('Investigating <script>alert(1)</script>');
    const first = readFileSync(join(dir, 'site', 'index.html'));
    expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
    expect(readFileSync(join(dir, 'site', 'index.html')).equals(first)).toBe(true);
    writeFileSync(join(dir, 'afile'), 'x');
    const bad = await ir('status-page', 'build', '--out', 'afile');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--out');
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('x');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('refuses an outage set on a resolved incident, which the page would never show; one dated while it lasted counts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
  try {
    writeFileSync(join(dir, 'ir.yaml'), 'timezone: UTC\ncomponents:\n  - id: api\n');
    const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
    const now = new Date('2026-11-26T12:00:00Z');
    const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now });
    const declared = await ir(
      'declare',
      '--title',
      'API errors',
      '--sev',
      '2',
      '--started-at',
      '10:00',
      '--detected-at',
      '10:05',
    );
    expect(declared.code).toBe(0);
    expect((await ir('incident', 'resolve', 'INC-1', '--at', '11:00')).code).toBe(0);
    const late = await ir('incident', 'update', 'INC-1', '--public', 'Down', '--component', 'api=major_outage');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain(
      '--component: api=major_outage: INC-1 no longer affects components (it was resolved at 2026-11-26 11:00:00 UTC), so the status page would not show it',
    );
    expect(late.stderr).toContain('give --at before then');
    // Nothing of it was written, not even the text.
    expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
    expect(existsSync(join(dir, 'site', 'history', 'inc-1.html'))).toBe(false);
    // Operational after the end is fine; an outage dated while the incident lasted shows in the history.
    expect((await ir('incident', 'update', 'INC-1', '--component', 'api=operational')).code).toBe(0);
    const backfilled = await ir('incident', 'update', 'INC-1', '--component', 'api=major_outage', '--at', '10:30');
    expect(backfilled.code, backfilled.stderr).toBe(0);
    const built = await ir('status-page', 'build', '--out', 'site', '--json');
    expect(JSON.parse(built.stdout).incidents).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every file under `root`, by relative path, with its bytes. */
function tree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const path of (readdirSync(root, { recursive: true }) as string[]).sort()) {
    const full = join(root, path);
    if (statSync(full).isFile()) out.set(path, readFileSync(full));
  }
  return out;
}

it('writes a history page per public incident, the same bytes on every build', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
  try {
    writeFileSync(join(dir, 'ir.yaml'), 'components:\n  - id: api\n  - id: db\n');
    const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
    const now = new Date('2026-11-26T12:00:00Z');
    const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now });
    for (const [k, started] of ['09:00', '10:00', '11:00'].entries()) {
      expect((await ir('declare', '--title', `Outage ${k + 1}`, '--sev', '2', '--started-at', started)).code).toBe(0);
      const u = await ir(
        'incident',
        'update',
        `INC-${k + 1}`,
        '--public',
        `Looking at ${k + 1}`,
        '--component',
        'db=partial_outage',
      );
      expect(u.code, u.stderr).toBe(0);
    }
    // INC-4 has no public side: no page.
    expect((await ir('declare', '--title', 'Internal only', '--sev', '3', '--started-at', '11:30')).code).toBe(0);
    expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
    const first = tree(join(dir, 'site'));
    expect([...first.keys()].filter((p) => p.startsWith(`history${sep}`))).toEqual([
      join('history', 'inc-1.html'),
      join('history', 'inc-2.html'),
      join('history', 'inc-3.html'),
      join('history', 'index.html'),
    ]);
    expect(first.get(join('history', 'inc-2.html'))!.toString()).toContain('Looking at 2');
    // A rebuild over the old site (replaced whole, nothing of it left beside) and a build into a
    // new directory give the same bytes in every file.
    expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
    expect((await ir('status-page', 'build', '--out', 'again')).code).toBe(0);
    expect(tree(join(dir, 'site'))).toEqual(first);
    expect(tree(join(dir, 'again'))).toEqual(first);
    expect(readdirSync(dir).filter((f) => f.includes('.ir-build-'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it(
  'a rebuild reuses only pages whose bytes are unchanged: edited, tampered and linked-away pages are written anew',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
    try {
      writeFileSync(join(dir, 'ir.yaml'), 'components:\n  - id: api\n');
      const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
      const now = new Date('2026-11-26T12:00:00Z');
      const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now });
      for (const k of [1, 2, 3]) {
        expect((await ir('declare', '--title', `Outage ${k}`, '--sev', '2', '--started-at', `0${k}:00`)).code).toBe(0);
        const u = await ir(
          'incident',
          'update',
          `INC-${k}`,
          '--public',
          `Looking at ${k}`,
          '--component',
          'api=partial_outage',
        );
        expect(u.code, u.stderr).toBe(0);
      }
      expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
      const page = (n: number) => join(dir, 'site', 'history', `inc-${n}.html`);
      const unchanged = statSync(page(1)).ino;
      // INC-2 gets a new public update; INC-3's page is damaged by hand with the same length; a
      // symbolic link stands where the atom feed was.
      expect((await ir('incident', 'update', 'INC-2', '--public', 'A fix is rolling out')).code).toBe(0);
      const three = readFileSync(page(3), 'utf8');
      writeFileSync(page(3), three.replace('Looking at 3', 'Looking at X'));
      writeFileSync(join(dir, 'elsewhere.atom'), 'not ours');
      rmSync(join(dir, 'site', 'history.atom'));
      symlinkSync(join(dir, 'elsewhere.atom'), join(dir, 'site', 'history.atom'));

      expect((await ir('status-page', 'build', '--out', 'site')).code).toBe(0);
      expect(statSync(page(1)).ino).toBe(unchanged);
      expect(readFileSync(page(2), 'utf8')).toContain('A fix is rolling out');
      expect(readFileSync(page(3), 'utf8')).toBe(three);
      expect(lstatSync(join(dir, 'site', 'history.atom')).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(dir, 'elsewhere.atom'), 'utf8')).toBe('not ours');
      // The same bytes as a build from nothing.
      expect((await ir('status-page', 'build', '--out', 'fresh')).code).toBe(0);
      expect(tree(join(dir, 'site'))).toEqual(tree(join(dir, 'fresh')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

const isRoot = process.getuid?.() === 0;
/** Whether this process may mount a small tmpfs (root on Linux, outside most containers' limits). */
function canMountTmpfs(): boolean {
  if (!isRoot) return false;
  const probe = mkdtempSync(join(tmpdir(), 'ir-probe-'));
  try {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    if (r.status === 0) spawnSync('umount', [probe]);
    return r.status === 0;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

it.skipIf(!canMountTmpfs() && !process.env.CI)(
  'a disk that fills up during a build: exit 3 naming the problem, the previous site unchanged, nothing left behind',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
    const mnt = join(dir, 'www');
    mkdirSync(mnt);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status).toBe(0);
    try {
      writeFileSync(join(dir, 'ir.yaml'), 'components:\n  - id: api\n');
      const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
      const now = new Date('2026-11-26T12:00:00Z');
      const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now });
      expect((await ir('declare', '--title', 'Outage', '--sev', '2', '--started-at', '09:00')).code).toBe(0);
      expect(
        (await ir('incident', 'update', 'INC-1', '--public', 'Looking', '--component', 'api=major_outage')).code,
      ).toBe(0);
      expect((await ir('status-page', 'build', '--out', 'www/site')).code).toBe(0);
      const before = tree(join(mnt, 'site'));
      // Fill what is left of the file system, then build again with a new update.
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      expect((await ir('incident', 'update', 'INC-1', '--public', 'A fix is rolling out')).code).toBe(0);
      const r = await ir('status-page', 'build', '--out', 'www/site');
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/cannot write the status page \(ENOSPC.*nothing was replaced/);
      expect(r.stderr).toContain(`hint: free some space on the disk holding ${mnt}`);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(tree(join(mnt, 'site'))).toEqual(before);
      expect(readdirSync(mnt).sort()).toEqual(['filler', 'site']);
    } finally {
      spawnSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

it('an --out inside a file, or where ir may not write: a clear error, never an internal one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ir-site-'));
  try {
    writeFileSync(join(dir, 'ir.yaml'), 'components:\n  - id: api\n');
    writeFileSync(join(dir, 'afile'), 'x');
    const env = { IR_DB: join(dir, 'ir.db'), IR_USER: 'alice' };
    const ir = (...argv: string[]) => runMain({ argv, cwd: dir, env, now: new Date('2026-11-26T12:00:00Z') });
    const r = await ir('status-page', 'build', '--out', 'afile/site');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--out: ${join(dir, 'afile')} is not a directory`);
    expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('x');
    // A directory whose file system takes no new files (/proc): exit 2 saying so, not a raw mkdtemp error.
    const proc = await ir('status-page', 'build', '--out', '/proc/ir-site');
    expect(proc.code, proc.stderr).toBe(2);
    expect(proc.stderr).toContain('--out: directory /proc exists, but its file system does not take new files there');
    expect(proc.stderr).not.toMatch(/mkdtemp|\n\s+at /);
    // An empty --out (a variable that expanded to nothing) is refused, not taken for the working directory.
    mkdirSync(join(dir, 'empty-cwd'));
    const empty = await runMain({
      argv: ['status-page', 'build', '--out', ''],
      cwd: join(dir, 'empty-cwd'),
      env: { ...env, IR_CONFIG: join(dir, 'ir.yaml') },
      now: new Date('2026-11-26T12:00:00Z'),
    });
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toContain('--out: empty; expected the directory to build the page in');
    expect(existsSync(join(dir, 'empty-cwd', 'index.html'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
