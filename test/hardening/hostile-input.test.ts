/** Hostile input through whole commands (in process, through the error boundary). */
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, IR_BIN, useTempDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

const dir = useTempDirs();
const NOW = new Date('2026-11-26T14:32:00Z');
const ir = (cwd: string, argv: string[], env: Record<string, string> = {}) =>
  runMain({ argv, cwd, now: NOW, env: { IR_DB: join(cwd, 'ir.db'), IR_USER: 'alice', ...env } });
const noStack = (s: string) => expect(s).not.toMatch(/internal error|\n\s+at /);

describe('hostile input', () => {
  it('an impossible --started-at is refused naming the flag, not moved to March', async () => {
    const cwd = dir();
    const r = await ir(cwd, ['declare', '--title', 'x', '--sev', '2', '--started-at', '2026-02-30T00:00:00Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--started-at: "2026-02-30T00:00:00Z" is not a real date or time/);
  });

  it('an impossible date in an import names the row and field; nothing is imported', async () => {
    const cwd = dir();
    const file = join(cwd, 'h.jsonl');
    writeFileSync(
      file,
      '{"title":"a","severity":2,"startedAt":"2026-02-30T10:00:00Z","detectedAt":"2026-03-01T10:00:00Z"}\n',
    );
    const r = await ir(cwd, ['incident', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 1: startedAt: invalid value "2026-02-30T10:00:00Z" \(no such date or time\)/);
  });

  it('a duplicate CSV column is refused naming it', async () => {
    const cwd = dir();
    const file = join(cwd, 'h.csv');
    writeFileSync(file, 'title,severity,Title,startedAt,detectedAt\na,2,b,2026-01-05T10:00:00Z,2026-01-05T10:01:00Z\n');
    const r = await ir(cwd, ['incident', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicate column for title: "title" and "Title"/);
  });

  it('a billion-laughs ir.yaml or schedule exits 2 with a clear message', async () => {
    const cwd = dir();
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
      .concat('bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`))
      .join('\n');
    writeFileSync(join(cwd, 'ir.yaml'), bomb);
    writeFileSync(join(cwd, 'bomb.yaml'), bomb);
    const c = await ir(cwd, ['config']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/ir\.yaml: invalid YAML\n.*Excessive alias count/);
    noStack(c.stderr);
    const s = await ir(cwd, [
      '--config',
      join(cwd, 'none.yaml'),
      'oncall',
      'who',
      '--schedule',
      join(cwd, 'bomb.yaml'),
    ]);
    expect(s.code).toBe(2);
    noStack(s.stderr);
  });

  it('--schedule /dev/zero (or any non-regular file) is refused, not read', async () => {
    const cwd = dir();
    const r = await ir(cwd, ['oncall', 'who', '--schedule', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/zero: cannot read \(not a regular file: a device\)/);
  });

  it('a device is refused unread wherever a path is given, each saying what it is', async () => {
    const cwd = dir();
    const cases: [string[], RegExp][] = [
      // Import accepts pipes and terminals (read once), never a device such as /dev/zero.
      [['incident', 'import', '/dev/zero'], /\/dev\/zero: cannot read \(not a regular file: a device\)/],
      [
        ['incident', 'import', '/dev/urandom', '--dry-run'],
        /\/dev\/urandom: cannot read \(not a regular file: a device\)/,
      ],
      [['runbook', '/dev/zero', '--dry-run'], /runbook \/dev\/zero: \/dev\/zero is not a regular file/],
      [['--config', '/dev/zero', 'config'], /--config: \/dev\/zero is not a regular file/],
      [['--config', cwd, 'config'], /--config: .* is a directory/],
      [['postmortem', 'lint', '/dev/zero'], /\/dev\/zero: cannot read the postmortem \(not a regular file: a device\)/],
    ];
    for (const [argv, message] of cases) {
      const r = await ir(cwd, argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    }
  });

  it('import /dev/stdin from a pipe: read once, imported (not "0 imported, exit 0")', () => {
    const cwd = dir();
    const row =
      '{"title":"Piped","severity":2,"startedAt":"2026-01-05T10:00:00Z","detectedAt":"2026-01-05T10:01:00Z"}\n';
    writeFileSync(join(cwd, 'row.jsonl'), row);
    // A shell pipe, as users write it: cat file | ir incident import /dev/stdin
    const r = spawnSync(
      'sh',
      ['-c', `cat row.jsonl | "${process.execPath}" "${IR_BIN}" incident import /dev/stdin --json`],
      {
        cwd,
        env: baseEnv({ IR_DB: join(cwd, 'ir.db'), HOME: cwd }),
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 1 });
  });

  it('escape sequences in a title are shown as text in human output; JSON keeps them', async () => {
    const cwd = dir();
    const title = 'DB down \x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\u202e';
    expect((await ir(cwd, ['declare', '--title', title, '--sev', '2'])).code).toBe(0);
    const human = await ir(cwd, ['incident', 'list']);
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(human.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(human.stdout).toContain('DB down ^[]52;c;ZWNobyBwd25lZA==^G^[[2J<U+202E>');
    const json = await ir(cwd, ['incident', 'list', '--json']);
    expect(JSON.parse(json.stdout)[0].title).toBe(title);
  });
});

describe('secrets in configuration and files', () => {
  it('ir config --json shows webhook URLs as scheme and host only', async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'ir.yaml'),
      'incidents:\n  webhooks:\n    - name: slack\n      url: https://user:pw@hooks.slack.com/services/T000/B000/SECRETTOKEN\n',
    );
    const r = await ir(cwd, ['config', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/SECRETTOKEN|user:pw/);
    expect(JSON.parse(r.stdout).config.incidents.webhooks[0].url).toBe('https://hooks.slack.com/…');
  });

  it('a malformed url_env value is neither printed nor stored', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'ir.yaml'), 'incidents:\n  webhooks:\n    - name: hook\n      url_env: HOOK_URL\n');
    const r = await ir(cwd, ['declare', '--title', 'x', '--sev', '2', '--notify', '--json'], {
      HOOK_URL: 'ht!tp://admin:hunter2@[bad',
    });
    // A configuration problem (exit 2), like an unset variable: no post is attempted.
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(/hunter2/);
    const listed = await ir(cwd, ['incident', 'notify', 'INC-1', '--json']);
    expect(listed.stdout).not.toMatch(/hunter2/);
    expect(JSON.parse(listed.stdout)[0].error).toMatch(/HOOK_URL \(the webhook URL\) is not an http\(s\) URL/);
  });

  it('postmortem --out is written 0600 whatever the umask', () => {
    const cwd = dir();
    const env = baseEnv({ IR_DB: join(cwd, 'ir.db'), HOME: cwd });
    const run = (cmd: string) =>
      spawnSync('sh', ['-c', `umask 000; exec "${process.execPath}" "${IR_BIN}" ${cmd}`], {
        cwd,
        env,
        encoding: 'utf8',
      });
    expect(run('declare --title x --sev 2').status).toBe(0);
    const r = run('postmortem INC-1 --out pm.md --json');
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(join(cwd, 'pm.md')).mode & 0o777).toBe(0o600);
  });
});

/** Files that can hold step output or incident details: 0600 whatever was there, never through a link. */
describe('private output files', () => {
  const RUNBOOK = '# Echo\n\n## Print\n\n```sh\necho "report body"\n```\n';
  const mode = (p: string) => statSync(p).mode & 0o777;
  /** A file someone else's tooling owns, which a link may point at: it must never change. */
  const victim = (cwd: string) => {
    const file = join(cwd, 'elsewhere.txt');
    writeFileSync(file, "not ir's\n");
    chmodSync(file, 0o644);
    return file;
  };

  it('ir runbook --junit: a new file and a file that was 0644 are both 0600 afterwards, with the report', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'echo.md'), RUNBOOK);
    const fresh = join(cwd, 'new.xml');
    const r1 = await ir(cwd, ['runbook', 'echo.md', '--yes', '--junit', fresh]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(mode(fresh)).toBe(0o600);

    const old = join(cwd, 'old.xml');
    writeFileSync(old, '<old/>');
    chmodSync(old, 0o644);
    const r2 = await ir(cwd, ['runbook', 'echo.md', '--yes', '--junit', old]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(mode(old)).toBe(0o600);
    expect(readFileSync(old, 'utf8')).toContain('report body');
  });

  it('ir runbook --junit through a symbolic link: refused before any step runs, the linked file untouched', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'echo.md'), RUNBOOK.replace('echo "report body"', 'touch ran'));
    const target = victim(cwd);
    symlinkSync(target, join(cwd, 'link.xml'));
    const r = await ir(cwd, ['runbook', 'echo.md', '--yes', '--junit', 'link.xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--junit: .*link\.xml is a symbolic link/);
    noStack(r.stderr);
    expect(readFileSync(target, 'utf8')).toBe("not ir's\n");
    expect(mode(target)).toBe(0o644);
    expect(lstatSync(join(cwd, 'link.xml')).isSymbolicLink()).toBe(true);
    expect(() => statSync(join(cwd, 'ran'))).toThrow();
  });

  it('ir postmortem --out --force over a 0644 file leaves it 0600; through a link it is refused, the target untouched', async () => {
    const cwd = dir();
    expect((await ir(cwd, ['declare', '--title', 'x', '--sev', '2'])).code).toBe(0);
    const pm = join(cwd, 'pm.md');
    writeFileSync(pm, 'an old draft\n');
    chmodSync(pm, 0o644);
    const r1 = await ir(cwd, ['postmortem', 'INC-1', '--out', 'pm.md', '--force', '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(mode(pm)).toBe(0o600);
    expect(readFileSync(pm, 'utf8')).toContain('INC-1');

    const target = victim(cwd);
    symlinkSync(target, join(cwd, 'link.md'));
    for (const force of [[], ['--force']]) {
      const r = await ir(cwd, ['postmortem', 'INC-1', '--out', 'link.md', ...force, '--json']);
      expect(r.code).toBe(2);
      noStack(r.stderr);
      expect(readFileSync(target, 'utf8')).toBe("not ir's\n");
      expect(mode(target)).toBe(0o644);
      expect(lstatSync(join(cwd, 'link.md')).isSymbolicLink()).toBe(true);
    }
    // A link to nowhere is not followed either (it would create the file it names).
    symlinkSync(join(cwd, 'created-through-link.md'), join(cwd, 'dangling.md'));
    const d = await ir(cwd, ['postmortem', 'INC-1', '--out', 'dangling.md', '--json']);
    expect(d.code).toBe(2);
    expect(() => statSync(join(cwd, 'created-through-link.md'))).toThrow();
  });
});
