/** `ir incident use`: a current incident per ops repository, through the built binary. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], cwd = tmp.dir) => runIr(args, { cwd, env });

beforeEach(() => {
  tmp = tempDir('ir-use-');
  writeFileSync(join(tmp.dir, 'ir.yaml'), '');
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  expect(ir(['declare', '--title', 'API slow', '--sev', '3']).code).toBe(0);
  expect(ir(['declare', '--title', 'Checkout errors', '--sev', '3']).code).toBe(0);
});
afterEach(() => tmp.cleanup());

describe('ir incident use', () => {
  it('lets later commands leave the id out, says so on stderr, and is cleared by resolving', () => {
    expect(ir(['incident', 'use', '--json']).stdout).toContain('"current": null');
    const use = ir(['incident', 'use', 'inc-1']);
    expect(use.code, use.stderr).toBe(0);
    expect(use.stdout).toMatch(/^INC-1 is the current incident in /);

    const log = ir(['incident', 'log', 'Pool at 98/100', '--type', 'finding']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(/^INC-1: logged finding #\d+/);
    expect(log.stderr).toContain('INC-1: the current incident (ir incident use --clear to stop)');
    // An id given still wins.
    expect(ir(['incident', 'log', 'INC-2', 'elsewhere']).stdout).toMatch(/^INC-2: logged note/);

    const show = ir(['incident', 'show', '--json']);
    expect(JSON.parse(show.stdout).timeline.map((e: { text: string }) => e.text)).toContain('Pool at 98/100');
    expect(show.stderr).toContain('INC-1: the current incident');

    expect(ir(['incident', 'resolve', '--root-cause', 'pool']).code).toBe(0);
    expect(JSON.parse(ir(['incident', 'use', '--json']).stdout).current).toBeNull();
    const after = ir(['incident', 'show']);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/no incident given and none is current/);
  });

  it('is per ops repository, refuses closed incidents, and --clear ends it', () => {
    const other = join(tmp.dir, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'ir.yaml'), '');
    expect(ir(['incident', 'use', 'INC-1']).code).toBe(0);
    expect(ir(['incident', 'use', 'INC-2'], other).code).toBe(0);
    expect(JSON.parse(ir(['incident', 'use', '--json']).stdout).current).toBe('INC-1');
    expect(JSON.parse(ir(['incident', 'use', '--json'], other).stdout).current).toBe('INC-2');

    expect(ir(['incident', 'status', 'INC-2', 'cancelled']).code).toBe(0);
    expect(JSON.parse(ir(['incident', 'use', '--json'], other).stdout).current).toBeNull();
    const closed = ir(['incident', 'use', 'INC-2']);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/INC-2 is cancelled: only an open incident can be the current one/);
    const unknown = ir(['incident', 'use', 'INC-9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown incident "INC-9"/);

    expect(ir(['incident', 'use', '--clear']).stdout).toBe('INC-1 is no longer the current incident\n');
    expect(JSON.parse(ir(['incident', 'use', '--json']).stdout).current).toBeNull();
  });

  it('--json has the same fields whether it chooses, clears or only shows the current incident', () => {
    const fields = ['current', 'repo', 'setAt', 'setBy'];
    const none = JSON.parse(ir(['incident', 'use', '--json']).stdout);
    expect(Object.keys(none).sort()).toEqual(fields);
    const chose = JSON.parse(ir(['incident', 'use', 'INC-1', '--json']).stdout);
    expect(Object.keys(chose).sort()).toEqual(fields);
    expect(chose).toMatchObject({ current: 'INC-1', setBy: 'alice' });
    expect(Date.parse(chose.setAt)).not.toBeNaN();
    // What was chosen is what a later look reads back.
    expect(JSON.parse(ir(['incident', 'use', '--json']).stdout)).toEqual(chose);
    const cleared = JSON.parse(ir(['incident', 'use', '--clear', '--json']).stdout);
    expect(cleared).toEqual({ current: null, setBy: null, setAt: null, repo: chose.repo, cleared: 'INC-1' });
  });

  it('status, severity, role and dismiss take the current incident when the id is left out', () => {
    expect(ir(['incident', 'use', 'INC-2']).code).toBe(0);
    const status = ir(['incident', 'status', 'mitigated', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toContain('INC-2: the current incident');
    expect(JSON.parse(status.stdout)).toMatchObject({ id: 'INC-2', status: 'mitigated' });
    // Two values: the first is the id, whatever is current.
    expect(JSON.parse(ir(['incident', 'status', 'INC-1', 'identified', '--json']).stdout)).toMatchObject({
      id: 'INC-1',
      status: 'identified',
    });
    // "2" alone is the level (SEV-2) for the current incident; "1 2" is INC-1 to SEV-2.
    expect(JSON.parse(ir(['incident', 'severity', '2', '--json']).stdout)).toMatchObject({
      id: 'INC-2',
      severity: 'SEV-2',
    });
    expect(JSON.parse(ir(['incident', 'severity', '1', '2', '--json']).stdout)).toMatchObject({
      id: 'INC-1',
      severity: 'SEV-2',
    });

    const role = ir(['incident', 'role', 'sme', 'bob', '--json']);
    expect(role.code, role.stderr).toBe(0);
    expect(JSON.parse(role.stdout).id).toBe('INC-2');
    expect(ir(['incident', 'role', 'scribe', 'bob']).code).toBe(0);
    expect(ir(['incident', 'role', 'sme', '--remove']).stdout).toMatch(
      /^INC-2: bob leaves the subject-matter expert role/,
    );
    expect(ir(['incident', 'role', 'INC-1', 'sme', 'carol']).stdout).toMatch(/^INC-1: /);
    const dismiss = ir(['incident', 'dismiss', 'bob', '--json']);
    expect(dismiss.code, dismiss.stderr).toBe(0);
    expect(JSON.parse(dismiss.stdout).id).toBe('INC-2');

    // An id without the value names what is missing, and changes nothing.
    const missing = ir(['incident', 'status', 'INC-1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/<status>: missing after the incident id INC-1/);
    const none = ir(['incident', 'severity']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/<level>: missing/);
  });

  it('ir log "text" with no current incident says so and names the open ones, logging nothing', () => {
    const r = ir(['log', 'restarted api pods']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: <id>: "restarted api pods" is not an incident id, and no incident is current in this ops repository (open: INC-1, INC-2)\n' +
        'hint: name the incident: ir incident log INC-12 "…", or choose it for later commands: ir incident use INC-12\n',
    );
    for (const id of ['INC-1', 'INC-2']) {
      const show = JSON.parse(ir(['incident', 'show', id, '--json']).stdout);
      expect(show.timeline.map((e: { text: string }) => e.text)).not.toContain('restarted api pods');
    }
  });

  it('a mistyped value where the id may be left out is refused as that value, not taken for an id', () => {
    // With a current incident and without: either way the typo is what is named.
    for (const current of [false, true]) {
      if (current) expect(ir(['incident', 'use', 'INC-1']).code).toBe(0);
      for (const [args, message] of [
        [
          ['incident', 'status', 'resolvd'],
          /^error: <status>: invalid value "resolvd"; expected one of investigating, /m,
        ],
        [['incident', 'severity', 'critcal'], /^error: <level>: invalid value "critcal"; expected 1, 2, 3 or 4/m],
        [['incident', 'role', 'scrib', 'carol'], /^error: <role>: invalid value "scrib"; expected ic /m],
      ] as const) {
        const r = ir([...args]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toContain('missing after the incident id');
      }
    }
    const show = JSON.parse(ir(['incident', 'show', 'INC-1', '--json']).stdout);
    expect(show).toMatchObject({ status: 'investigating', severity: 'SEV-3' });
    expect(show.roles.scribe).toBeNull();
  });

  it('ir runbook --incident without an id writes onto the current incident', () => {
    expect(ir(['incident', 'use', 'INC-1']).code).toBe(0);
    mkdirSync(join(tmp.dir, 'runbooks'));
    writeFileSync(
      join(tmp.dir, 'runbooks', 'echo.md'),
      '# Echo\n\n## Diagnose\n\n1. Say hello\n\n   ```bash\n   echo hello\n   ```\n',
    );
    for (const args of [
      ['runbook', 'echo', '--yes', '--incident'],
      ['runbook', '--incident', 'echo', '--yes'],
    ]) {
      const run = ir(args);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('INC-1: the current incident');
    }
    const timeline = JSON.parse(ir(['incident', 'timeline', 'INC-1', '--json']).stdout);
    const summaries = timeline.timeline.filter((e: { text: string }) => e.text.startsWith('runbook echo passed'));
    expect(summaries).toHaveLength(2);
    expect(ir(['incident', 'use', '--clear']).code).toBe(0);
    const none = ir(['runbook', 'echo', '--yes', '--incident']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--incident: no incident given and none is current/);
  });

  it('ir log and ir update, one word shorter, act on the current incident too', () => {
    expect(ir(['incident', 'use', 'INC-2']).code).toBe(0);
    const log = ir(['log', 'Rolled back to v2.3.3', '--type', 'action']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(/^INC-2: logged action #\d+/);
    expect(log.stderr).toContain('INC-2: the current incident (ir incident use --clear to stop)');
    expect(ir(['log', 'INC-1', 'named']).stdout).toMatch(/^INC-1: logged note/);

    const update = ir(['update', '--message', 'Rollback done; monitoring', '--json']);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toContain('INC-2: the current incident');
    const timeline = JSON.parse(ir(['incident', 'timeline', 'INC-2', '--json']).stdout).timeline;
    expect(timeline.map((e: { text: string }) => e.text)).toEqual(
      expect.arrayContaining(['Rolled back to v2.3.3', expect.stringContaining('Rollback done; monitoring')]),
    );
    // Words where the id goes are not taken for an update: they belong in --message.
    const words = ir(['update', 'Rollback done']);
    expect(words.code).toBe(2);
    expect(words.stderr).toMatch(/"Rollback done" is not an incident id; the update's text goes in --message/);
  });
});

describe('with no database yet', () => {
  it('ir incident watch with no id and none current refuses, creating nothing', () => {
    const data = join(tmp.dir, 'data');
    const r = runIr(['incident', 'watch'], { cwd: tmp.dir, env: { XDG_DATA_HOME: data, IR_USER: 'alice' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no incident given and none is current/);
    expect(existsSync(data)).toBe(false);
    const given = runIr(['incident', 'watch', 'INC-1'], {
      cwd: tmp.dir,
      env: { XDG_DATA_HOME: data, IR_USER: 'alice' },
    });
    expect(given.code).toBe(2);
    expect(given.stderr).toMatch(/unknown incident "INC-1": no incidents have been declared/);
    expect(existsSync(data)).toBe(false);
  });
});
