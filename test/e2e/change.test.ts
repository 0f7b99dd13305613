/** `ir change …` and where changes show up: incident show, the postmortem timeline, metrics. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], input?: string) => runIr(args, { cwd: tmp.dir, env, input });
const json = (args: string[]) => {
  const r = ir([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeEach(() => {
  tmp = tempDir('ir-change-');
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
});
afterEach(() => tmp.cleanup());

describe('ir change record / list', () => {
  it('records a deploy with its version (--version is the change’s, not ir’s) and lists it', () => {
    const c = json(['change', 'record', '--service', 'api', '--version', 'v2.3.4', '--at', '2h ago', '--by', 'carol']);
    expect(c).toMatchObject({ id: 'CHG-1', service: 'api', kind: 'deploy', version: 'v2.3.4', by: 'carol' });
    expect(c.outcome).toBe('recorded');
    json(['change', 'record', '--service', 'web', '--kind', 'feature-flag', '--description', 'new checkout 10%']);
    expect(json(['change', 'list']).map((x: { id: string }) => x.id)).toEqual(['CHG-2', 'CHG-1']);
    expect(json(['change', 'list', '--service', 'api']).map((x: { id: string }) => x.id)).toEqual(['CHG-1']);
    expect(json(['change', 'list', '--since', '1h'])).toHaveLength(1);
    expect(ir(['change', 'list']).stdout).toMatch(/CHG-1 .* api {2}deploy v2\.3\.4 by carol/);
  });

  it('refuses bad input with exit 2, naming the flag, and records nothing', () => {
    const noService = ir(['change', 'record', '--version', 'v1']);
    expect(noService.code).toBe(2);
    expect(noService.stderr).toMatch(/--service/);
    const kind = ir(['change', 'record', '--service', 'api', '--kind', 'yolo']);
    expect(kind.code).toBe(2);
    // In ir's words, as every other bad flag value: the flag, the value, what is accepted.
    expect(kind.stderr).toMatch(/^error: --kind: invalid value "yolo"; expected one of deploy, config, feature-flag, /);
    const future = ir(['change', 'record', '--service', 'api', '--at', '2099-01-01T00:00:00Z']);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--at/);
    expect(json(['change', 'list'])).toEqual([]);
  });

  it('never stores a credential typed into a description', () => {
    json(['change', 'record', '--service', 'api', '--description', 'deployed with token=abc123secretvalue']);
    expect(readFileSync(join(tmp.dir, 'ir.db')).includes('abc123secretvalue')).toBe(false);
    expect(json(['change', 'list'])[0].description).toContain('******');
  });
});

describe('ir change exec', () => {
  it('runs the command, passes its exit code on and records start, end, exit code and who', () => {
    const ok = ir(['change', 'exec', '--service', 'api', '--version', 'v2', '--', 'sh', '-c', 'echo deploying']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('deploying\n');
    const bad = ir(['change', 'exec', '--service', 'api', '--', 'sh', '-c', 'exit 3']);
    expect(bad.code).toBe(3);
    const missing = ir(['change', 'exec', '--service', 'api', '--', 'no-such-deploy-tool']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/no-such-deploy-tool: command not found/);
    const [m, b, o] = json(['change', 'list']);
    expect(o).toMatchObject({
      exitCode: 0,
      outcome: 'succeeded',
      version: 'v2',
      by: 'alice',
      command: "sh -c 'echo deploying'",
    });
    expect(b).toMatchObject({ exitCode: 3, outcome: 'failed' });
    expect(m).toMatchObject({ exitCode: 127, outcome: 'failed' });
    expect(Date.parse(o.finishedAt)).toBeGreaterThanOrEqual(Date.parse(o.startedAt));
  });

  it("with --json, the command's output goes to stderr and stdout is the JSON alone", () => {
    const r = ir([
      'change',
      'exec',
      '--service',
      'api',
      '--json',
      '--',
      'sh',
      '-c',
      'echo deploying; echo oops >&2; exit 3',
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ service: 'api', exitCode: 3, outcome: 'failed' });
    expect(r.stderr).toBe('deploying\noops\n');
  });

  it('masks credentials in the recorded command line', () => {
    const r = runIr(['change', 'exec', '--service', 'api', '--', 'sh', '-c', 'true', '--token=hunter2secret'], {
      cwd: tmp.dir,
      env: { ...env, DEPLOY_TOKEN: 'sekrit-deploy-value' },
    });
    expect(r.code, r.stderr).toBe(0);
    const r2 = runIr(['change', 'exec', '--service', 'api', '--', 'sh', '-c', 'true', 'sekrit-deploy-value'], {
      cwd: tmp.dir,
      env: { ...env, DEPLOY_TOKEN: 'sekrit-deploy-value' },
    });
    expect(r2.code, r2.stderr).toBe(0);
    const db = readFileSync(join(tmp.dir, 'ir.db'));
    expect(db.includes('hunter2secret')).toBe(false);
    expect(db.includes('sekrit-deploy-value')).toBe(false);
  });

  it('without a command: exit 2 with an example', () => {
    const r = ir(['change', 'exec', '--service', 'api']);
    expect(r.code).toBe(2);
  });
});

describe('what changed before an incident', () => {
  it('incident show lists the service’s recent changes and the linked cause; postmortem and metrics count them', () => {
    json(['change', 'record', '--service', 'api', '--version', 'v2.3.3', '--at', '30h ago']); // outside 24 h
    json(['change', 'record', '--service', 'api', '--version', 'v2.3.4', '--at', '2h ago', '--by', 'carol']);
    json(['change', 'record', '--service', 'web', '--version', 'w9', '--at', '1h ago']); // another service
    expect(
      ir(['declare', '--title', 'API errors', '--sev', '2', '--service', 'api', '--started-at', '90m ago']).code,
    ).toBe(0);

    const shown = json(['incident', 'show', 'INC-1']);
    expect(shown.changes.before.map((c: { id: string }) => c.id)).toEqual(['CHG-2']);
    expect(shown.changes.linked).toEqual([]);
    expect(ir(['incident', 'show', 'INC-1']).stdout).toMatch(
      /Changes to api in the 24 h before it started[^\n]*\n\s+CHG-2 /,
    );

    expect(json(['change', 'link', 'CHG-2', 'INC-1'])).toMatchObject({
      id: 'CHG-2',
      incidents: ['INC-1'],
      added: true,
    });
    expect(json(['change', 'link', 'CHG-2', 'INC-1']).added).toBe(false);
    expect(json(['incident', 'show', 'INC-1']).changes.linked.map((c: { id: string }) => c.id)).toEqual(['CHG-2']);
    expect(ir(['incident', 'show', 'INC-1']).stdout).toMatch(/Caused by\n\s+CHG-2 .*→ INC-1/);

    const pm = ir(['postmortem', 'INC-1']);
    expect(pm.code, pm.stderr).toBe(0);
    const timeline = pm.stdout.slice(pm.stdout.indexOf('## Timeline'));
    expect(timeline).toMatch(/Change CHG-2: deploy v2\.3\.4 to api by carol — linked as the cause/);
    expect(timeline.indexOf('CHG-2')).toBeLessThan(timeline.indexOf('Customer impact'));
    expect(timeline).not.toMatch(/CHG-1|CHG-3/);

    const m = json(['metrics', '--since', '7d']);
    expect(m.changes).toMatchObject({ changes: 3, deploys: 3, failedChanges: 1 });
    expect(m.changes.changeFailureRate).toBeCloseTo(1 / 3);
    expect(json(['metrics', '--since', '7d', '--service', 'web']).changes).toMatchObject({
      changes: 1,
      failedChanges: 0,
    });
    expect(ir(['metrics', '--since', '7d']).stdout).toMatch(/change-failure rate 33\.3 %/);
  });

  it('link: unknown change or incident → exit 2 naming it', () => {
    expect(ir(['declare', '--title', 'x', '--sev', '3']).code).toBe(0);
    const r = ir(['change', 'link', 'CHG-9', 'INC-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown change CHG-9/);
    const bad = ir(['change', 'link', 'nope', 'INC-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid change id "nope"/);
  });
});

describe('ir change import', () => {
  const jsonl = [
    { id: 'd-1', service: 'api', kind: 'deploy', version: 'v1', startedAt: '2026-11-01T10:00:00Z', by: 'bob' },
    { id: 'd-2', service: 'api', version: 'v2', startedAt: '2026-11-02T10:00:00Z', exitCode: 1 },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n');

  it('imports JSON Lines once: a second import skips what is there', () => {
    writeFileSync(join(tmp.dir, 'deploys.jsonl'), jsonl);
    expect(json(['change', 'import', 'deploys.jsonl', '--dry-run'])).toMatchObject({ rows: 2, added: 0 });
    expect(json(['change', 'list', '--since', '3650d'])).toEqual([]);
    expect(json(['change', 'import', 'deploys.jsonl'])).toMatchObject({ added: 2, skipped: 0 });
    expect(json(['change', 'import', 'deploys.jsonl'])).toMatchObject({ added: 0, skipped: 2 });
    const listed = json(['change', 'list', '--since', '3650d']);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ version: 'v2', outcome: 'failed', by: 'alice' });
    expect(listed[1]).toMatchObject({ version: 'v1', by: 'bob' });
  });

  it('reads CSV and standard input', () => {
    const csv = 'service,kind,version,startedAt\napi,config,c1,2026-11-03T09:00:00Z\n';
    const r = ir(['change', 'import', '-', '--json'], csv);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 1 });
    expect(json(['change', 'list', '--since', '3650d'])[0]).toMatchObject({ kind: 'config', version: 'c1' });
  });

  it('refuses an empty input (exit 2) instead of importing nothing', () => {
    for (const file of ['-', '/dev/stdin']) {
      const r = ir(['change', 'import', file], '');
      expect(r.code, file).toBe(2);
      expect(r.stderr).toContain(`${file}: empty (nothing to read); nothing was imported`);
    }
  });

  it('a column named like a built-in property (constructor, toString, __proto__) is an unknown field', () => {
    // __proto__ is not dropped from the CSV row as it would be by assigning it to an object.
    for (const column of ['constructor', 'toString', '__proto__']) {
      const r = ir(['change', 'import', '-'], `service,startedAt,${column}\napi,2026-11-03T09:00:00Z,x\n`);
      expect(r.code, column).toBe(2);
      expect(r.stderr).toContain(`unknown field "${column}"`);
    }
    expect(json(['change', 'list', '--since', '3650d'])).toEqual([]);
  });

  it('a bad row names its row and field, and nothing is imported (exit 2)', () => {
    writeFileSync(
      join(tmp.dir, 'bad.jsonl'),
      `${jsonl}\n${JSON.stringify({ service: 'api', startedAt: '2026-02-30T00:00:00Z' })}\n${JSON.stringify({ service: 'api', kind: 'yolo', startedAt: '2026-11-01T00:00:00Z' })}\n`,
    );
    const r = ir(['change', 'import', 'bad.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/row 3: startedAt/);
    expect(r.stderr).toMatch(/row 4: kind: "yolo"/);
    expect(json(['change', 'list', '--since', '3650d'])).toEqual([]);
  });
});
