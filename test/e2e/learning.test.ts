/** ir postmortem / action / metrics / incident import, through the built binary. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, runIrAsync, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], input?: string) => runIr(args, { cwd: tmp.dir, env, input });

const loginFailureRow = {
  title: 'Login failures after deploy v2.3.4',
  severity: 'SEV-2',
  service: 'auth',
  impact: '15% of users unable to login',
  impactFraction: 0.15,
  startedAt: '2025-11-15T14:23:00Z',
  detectedAt: '2025-11-15T14:27:00Z',
  resolvedAt: '2025-11-15T15:47:00Z',
  postmortemDone: false,
  timeline: [
    { at: '2025-11-15T14:18:00Z', type: 'note', text: 'Deploy v2.3.4 begins', author: 'alice' },
    { at: '2025-11-15T14:40:00Z', type: 'action', text: 'Rollback initiated (IC decision)', author: 'alice' },
  ],
  actionItems: [
    {
      text: 'Add connection pool metrics to monitoring dashboard',
      owner: 'Engineer B',
      due: '2025-11-18',
      createdAt: '2025-11-16T09:00:00Z',
      completedAt: '2025-11-17T12:00:00Z',
    },
  ],
};
const minor = (day: string, over: Record<string, unknown> = {}) => ({
  title: `Minor blip ${day}`,
  severity: 4,
  service: 'web',
  startedAt: `${day}T10:00:00Z`,
  detectedAt: `${day}T10:02:00Z`,
  resolvedAt: `${day}T10:12:00Z`,
  postmortemDone: false,
  ...over,
});

beforeEach(() => {
  tmp = tempDir();
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  writeFileSync(
    join(tmp.dir, 'ir.yaml'),
    ['slos:', '  - service: auth', '    objective: 99.9', '    window: 30d', ''].join('\n'),
  );
});
afterEach(() => tmp.cleanup());

function importRows(rows: unknown[], name = 'history.jsonl') {
  writeFileSync(join(tmp.dir, name), rows.map((r) => JSON.stringify(r)).join('\n'));
  return ir(['incident', 'import', name]);
}

describe('ir incident import', () => {
  it('imports JSON Lines and says what it made', () => {
    const r = importRows([loginFailureRow, minor('2025-11-20')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'imported 2 incidents, 2 timeline entries, 1 action item from history.jsonl as INC-1 … INC-2\n',
    );
  });

  it('a bad row in the middle: every problem with its line and field, and nothing imported', () => {
    const r = importRows([
      minor('2025-11-01'),
      minor('2025-11-02', { startedAt: '2025-11-02 10:00', severity: 9 }),
      minor('2025-11-03'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: history.jsonl: 2 problems; nothing was imported');
    expect(r.stderr).toContain('history.jsonl: line 2: severity: invalid value 9; expected 1–4 or SEV-1 … SEV-4');
    expect(r.stderr).toContain(
      'history.jsonl: line 2: startedAt: invalid value "2025-11-02 10:00"; expected an ISO-8601 timestamp with a zone',
    );
    const list = ir(['incident', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a time in the future is a bad row (history is what has happened), nothing imported', () => {
    const r = importRows([minor('2025-11-01'), minor('2025-11-02', { resolvedAt: '2999-01-01T00:00:00Z' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('history.jsonl: line 2: resolvedAt: 2999-01-01T00:00:00.000Z is in the future');
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
  });

  it('--dry-run validates and imports nothing', () => {
    writeFileSync(join(tmp.dir, 'h.json'), JSON.stringify([loginFailureRow]));
    const r = ir(['incident', 'import', 'h.json', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 'json',
      dryRun: true,
      incidents: 1,
      timelineEntries: 2,
      actionItems: 1,
      firstId: null,
    });
    expect(JSON.parse(ir(['incident', 'list', '--json']).stdout)).toEqual([]);
  });

  it('a missing file is a usage error, whatever the format', () => {
    for (const args of [['missing.jsonl'], ['missing.csv', '--format', 'csv'], ['.']]) {
      const r = ir(['incident', 'import', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: .*: cannot read \((no such file|is a directory)\)/);
    }
  });

  it('imports CSV, reporting bad rows by line', () => {
    const header = 'title,severity,service,started_at,detected_at,resolved_at,postmortem_done';
    writeFileSync(
      join(tmp.dir, 'bad.csv'),
      [
        header,
        'A,2,api,2025-11-01T10:00:00Z,2025-11-01T10:05:00Z,2025-11-01T11:00:00Z,yes',
        'B,3,api,2025-11-02T10:00:00Z,,,no',
      ].join('\n'),
    );
    const bad = ir(['incident', 'import', 'bad.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.csv: line 3: detectedAt: required');
    writeFileSync(
      join(tmp.dir, 'good.csv'),
      [header, 'A,2,api,2025-11-01T10:00:00Z,2025-11-01T10:05:00Z,2025-11-01T11:00:00Z,yes'].join('\n'),
    );
    expect(ir(['incident', 'import', 'good.csv']).stdout).toMatch(
      /^imported 1 incident, 0 timeline entries, 0 action items from good\.csv as INC-1\n$/,
    );
  });
});

describe('ir postmortem', () => {
  beforeEach(() => {
    expect(importRows([loginFailureRow]).code).toBe(0);
  });

  it('fills the postmortem template from the record: duration, budget consumed, forward timeline, action items', () => {
    const r = ir(['postmortem', 'INC-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('**Duration:** 14:23 UTC - 15:47 UTC (84 minutes)');
    expect(r.stdout).toContain(
      '**Error Budget Consumed:** 12.6 minutes (29.2% of the 30-day budget of 43.2 minutes at 99.9%)',
    );
    expect(r.stdout).toMatch(
      /- 14:18 - Deploy v2\.3\.4 begins\n- 14:23 - Customer impact begins\n- 14:27 - Incident detected\n- 14:40 - Rollback/,
    );
    expect(r.stdout).toContain(
      '- [x] Add connection pool metrics to monitoring dashboard (Engineer B, 2025-11-18) — ACT-1',
    );
    expect(r.stdout).toContain('<!-- ir:placeholder -->');
  });

  it('--json: summary, budget share, why it is required', () => {
    const data = JSON.parse(ir(['postmortem', '1', '--json']).stdout);
    expect(data).toMatchObject({
      id: 'INC-1',
      severity: 'SEV-2',
      durationMinutes: 84,
      errorBudget: { minutes: 12.6, budgetMinutes: 43.2, share: 0.2917 },
      postmortemRequired: true,
      requiredBecause: [
        'SEV-2',
        'burned 29.2 % of the error budget (more than 20 %)',
        'lasted 84 minutes (more than 30)',
      ],
      postmortemDone: false,
    });
    expect(data.markdown).toMatch(/^# Postmortem: INC-1/);
  });

  it('--out in a directory that is a file, or one that takes no files: exit 2 saying which', () => {
    writeFileSync(join(tmp.dir, 'notes'), 'a file, not a directory');
    const r = ir(['postmortem', 'INC-1', '--out', 'notes/INC-1.md', '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out: cannot write notes/INC-1.md: ${join(tmp.dir, 'notes')} is not a directory\nhint: pass a file in an existing directory\n`,
    );
    if (existsSync('/proc/version')) {
      const proc = ir(['postmortem', 'INC-1', '--out', '/proc/version', '--force']);
      expect(proc.code).toBe(2);
      expect(proc.stderr).toMatch(
        /^error: --out: cannot write \/proc\/version: directory \/proc exists, but its file system does not take new files there/,
      );
    }
  });

  it('--out naming a directory is refused with or without --force, suggesting a file in it', () => {
    mkdirSync(join(tmp.dir, 'postmortems'));
    for (const force of [[], ['--force']]) {
      const r = ir(['postmortem', 'INC-1', '--out', 'postmortems', ...force]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--out: postmortems is a directory; expected the path of a file to write');
      expect(r.stderr).toContain('--out postmortems/INC-1.md');
      expect(r.stderr).not.toContain('--force');
    }
  });

  it('--out - is standard output (as lint - reads standard input), never a file named "-"; an empty --out is refused', () => {
    const stdout = ir(['postmortem', 'INC-1', '--out', '-']);
    expect(stdout.code, stdout.stderr).toBe(0);
    expect(stdout.stdout).toMatch(/^# Postmortem: INC-1/);
    expect(stdout.stdout).toBe(ir(['postmortem', 'INC-1']).stdout);
    expect(existsSync(join(tmp.dir, '-'))).toBe(false);
    const empty = ir(['postmortem', 'INC-1', '--out', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--out: empty; expected the path of a file to write (or - for standard output)');
  });

  it('--out writes the file, refuses to overwrite it, done only once it passes lint', () => {
    const w = ir(['postmortem', 'INC-1', '--out', 'pm.md']);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/^wrote pm\.md \(INC-1, postmortem required: SEV-2;/);
    expect(ir(['postmortem', 'INC-1', '--out', 'pm.md']).code).toBe(2);
    expect(ir(['postmortem', 'pending']).stdout).toMatch(/INC-1\s+SEV-2\s+auth/);

    const refused = ir(['postmortem', 'done', 'INC-1', '--file', 'pm.md']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not marked done: pm.md has 3 lint problems');

    // --force records it, but says on stderr what it overrode; --json stdout stays one document.
    const forced = ir(['postmortem', 'done', 'INC-1', '--file', 'pm.md', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toBe('INC-1: postmortem done (pm.md), recorded by alice\n');
    expect(forced.stderr).toMatch(
      /^warning: pm\.md has 3 lint problems, overridden by --force: 3 placeholder: pm\.md:\d+:1 placeholder; pm\.md:\d+:1 placeholder; pm\.md:\d+:1 placeholder \(ir postmortem lint pm\.md lists them\)\n$/,
    );
    const forcedJson = ir(['postmortem', 'done', 'INC-1', '--file', 'pm.md', '--force', '--json']);
    expect(forcedJson.code).toBe(0);
    expect(JSON.parse(forcedJson.stdout)).toMatchObject({
      incidentId: 'INC-1',
      done: true,
      file: 'pm.md',
      findings: [{ rule: 'placeholder' }, { rule: 'placeholder' }, { rule: 'placeholder' }],
    });
    expect(forcedJson.stderr).toContain('pm.md has 3 lint problems, overridden by --force');

    const text = readFileSync(join(tmp.dir, 'pm.md'), 'utf8').replace(
      /^> _Placeholder.*$/gm,
      'Connection pool exhausted by per-request connections.',
    );
    writeFileSync(join(tmp.dir, 'pm.md'), text);
    // Recorded once: done again (by someone else, with the fixed file) keeps who recorded it and when.
    const recorded = JSON.parse(forcedJson.stdout) as { doneAt: string };
    const done = runIr(['postmortem', 'done', 'INC-1', '--file', 'pm.md'], {
      cwd: tmp.dir,
      env: { ...env, IR_USER: 'bob' },
    });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /^INC-1: postmortem already recorded done \d{4}-\d\d-\d\d \d\d:\d\d \S+ by alice \(pm\.md\); nothing changed\n$/,
    );
    expect(done.stderr).toBe('');
    const again = JSON.parse(ir(['postmortem', 'done', 'INC-1', '--file', 'pm.md', '--json']).stdout);
    expect(again).toMatchObject({ findings: [], alreadyDone: true, doneBy: 'alice', doneAt: recorded.doneAt });
    expect(ir(['postmortem', 'pending']).stdout).toBe('No postmortems owed: every incident that needs one has one.\n');
  });

  it('done on an incident that is still open is refused unless --force', () => {
    expect(
      ir([
        'declare',
        '--title',
        'Still burning',
        '--sev',
        '1',
        '--started-at',
        '2025-12-01T10:00:00Z',
        '--detected-at',
        '2025-12-01T10:01:00Z',
      ]).code,
    ).toBe(0);
    const r = ir(['postmortem', 'done', 'INC-2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: INC-2 is still open (investigating); a postmortem is written after the incident is resolved',
    );
    expect(r.stderr).toContain('resolve it first (ir incident resolve INC-2), or pass --force');
    const forced = ir(['postmortem', 'done', 'INC-2', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toBe(
      'warning: INC-2 is still open (investigating); the postmortem was recorded done anyway (--force)\n',
    );
  });

  it('without an incident id: a usage error naming what to pass', () => {
    const r = ir(['postmortem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: ir postmortem: name the incident, e\.g\. ir postmortem INC-12/);
  });

  it('unknown incidents are usage errors', () => {
    const r = ir(['postmortem', 'INC-9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown incident "INC-9"/);
    expect(existsSync(join(tmp.dir, 'INC-9.md'))).toBe(false);
  });

  it('a near miss owes one too', () => {
    expect(importRows([minor('2025-12-01')], 'more.jsonl').code).toBe(0);
    expect(ir(['postmortem', 'pending', '--json']).stdout).not.toContain('INC-2');
    expect(ir(['postmortem', 'near-miss', 'INC-2']).stdout).toBe('INC-2: flagged a near miss (it owes a postmortem)\n');
    const pending = JSON.parse(ir(['postmortem', 'pending', '--json']).stdout);
    expect(pending.map((p: { id: string }) => p.id)).toEqual(['INC-1', 'INC-2']);
    expect(pending[1].requiredBecause).toEqual(['near miss']);
  });

  it('a near miss flagged on an incident whose postmortem is done, or where ir.yaml asks none for near misses, says so', () => {
    expect(importRows([minor('2025-12-01', { postmortemDone: true }), minor('2025-12-02')], 'more.jsonl').code).toBe(0);
    expect(ir(['postmortem', 'near-miss', 'INC-2']).stdout).toBe(
      'INC-2: flagged a near miss (its postmortem is already recorded done)\n',
    );
    writeFileSync(join(tmp.dir, 'ir.yaml'), 'learning:\n  postmortem_required:\n    near_miss: false\n');
    expect(ir(['postmortem', 'near-miss', 'INC-3']).stdout).toBe(
      'INC-3: flagged a near miss (it owes no postmortem for that: learning.postmortem_required.near_miss is false in ir.yaml)\n',
    );
    expect(ir(['postmortem', 'pending', '--json']).stdout).not.toContain('INC-3');
  });

  it("the resolved column is the day in the user's zone, as every other list shows times", () => {
    // 03:00 UTC on 7 December is 22:00 on 6 December in New York.
    const late = minor('2025-12-07', {
      severity: 1,
      startedAt: '2025-12-07T01:00:00Z',
      detectedAt: '2025-12-07T01:10:00Z',
      resolvedAt: '2025-12-07T03:00:00Z',
    });
    expect(importRows([late], 'late.jsonl').code).toBe(0);
    const row = (tz: string) =>
      runIr(['postmortem', 'pending'], { cwd: tmp.dir, env: { ...env, TZ: tz } })
        .stdout.split('\n')
        .find((l) => l.startsWith('INC-2'));
    expect(row('America/New_York')).toMatch(/^INC-2\s+SEV-1\s+web\s+2025-12-06\s/);
    expect(row('UTC')).toMatch(/^INC-2\s+SEV-1\s+web\s+2025-12-07\s/);
  });

  it('--limit lists the ones owed longest and says how many more there are; --all lists every one', () => {
    const sev2 = (day: string) => minor(day, { severity: 2 });
    expect(importRows([sev2('2025-12-01'), sev2('2025-12-02'), sev2('2025-12-03')], 'more.jsonl').code).toBe(0);
    const two = ir(['postmortem', 'pending', '--limit', '2', '--json']);
    expect(JSON.parse(two.stdout).map((p: { id: string }) => p.id)).toEqual(['INC-1', 'INC-2']);
    expect(two.stderr).toContain('showing the 2 owed longest of 4; --limit N or --all lists more');
    const text = ir(['postmortem', 'pending', '--limit', '2']);
    expect(text.stdout).not.toContain('INC-3');
    expect(text.stderr).toContain('4 postmortems owed');
    const all = ir(['postmortem', 'pending', '--all', '--json']);
    expect(JSON.parse(all.stdout)).toHaveLength(4);
    expect(all.stderr).toBe('');
    const bad = ir(['postmortem', 'pending', '--limit', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit: invalid value "ten"; expected a positive whole number');
  });
});

describe('ir action', () => {
  beforeEach(() => {
    expect(importRows([loginFailureRow]).code).toBe(0);
  });

  it('an unknown incident is refused by action and postmortem commands as by incident commands', () => {
    const expected =
      'error: unknown incident "INC-9": 1 known (INC-1); open: none\nhint: ir incident list shows them all\n';
    expect(ir(['incident', 'show', 'INC-9']).stderr).toBe(expected);
    for (const args of [
      ['action', 'list', '--incident', 'INC-9'],
      ['action', 'add', '9', 'Add pool metrics', '--owner', 'bob', '--due', '2099-01-01'],
      ['postmortem', 'done', 'INC-9'],
      ['postmortem', 'near-miss', 'inc-9'],
    ]) {
      const r = ir(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(expected);
    }
    const items = JSON.parse(ir(['action', 'list', '--json']).stdout) as { incidentId: string }[];
    expect(items.map((a) => a.incidentId)).toEqual(['INC-1']);
  });

  it('add requires an owner and a date; list filters; done records it once', () => {
    const noOwner = ir(['action', 'add', 'INC-1', 'Add pool metrics', '--due', '2099-01-01']);
    expect(noOwner.code).toBe(2);
    expect(noOwner.stderr).toMatch(/^error: --owner is required/);
    const noDue = ir(['action', 'add', 'INC-1', 'Add pool metrics', '--owner', 'bob']);
    expect(noDue.stderr).toMatch(/^error: --due is required/);
    expect(
      ir(['action', 'add', 'INC-1', 'x', '--owner', 'bob', '--due', '2099-01-01', '--type', 'blame']).stderr,
    ).toMatch(/--type: invalid value "blame"; expected one of detective, preventive, corrective/);

    const add = ir([
      'action',
      'add',
      'INC-1',
      'Add DB connection count check to load tests',
      '--owner',
      '@qa',
      '--due',
      '2099-01-01',
      '--priority',
      'high',
      '--type',
      'preventive',
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toBe('ACT-2 added to INC-1: Add DB connection count check to load tests (qa, due 2099-01-01)\n');
    const past = ir([
      'action',
      'add',
      'INC-1',
      'Document rollback',
      '--owner',
      'alice',
      '--due',
      '2020-01-01',
      '--json',
    ]);
    expect(past.stderr).toContain('ACT-3 is due 2020-01-01, which is already past');
    expect(JSON.parse(past.stdout)).toMatchObject({ id: 'ACT-3', status: 'overdue', owner: 'alice' });

    expect(JSON.parse(ir(['action', 'list', '--open', '--json']).stdout).map((a: { id: string }) => a.id)).toEqual([
      'ACT-2',
      'ACT-3',
    ]);
    expect(JSON.parse(ir(['action', 'list', '--overdue', '--json']).stdout).map((a: { id: string }) => a.id)).toEqual([
      'ACT-3',
    ]);
    expect(
      JSON.parse(ir(['action', 'list', '--owner', 'QA', '--json']).stdout).map((a: { id: string }) => a.id),
    ).toEqual(['ACT-2']);
    expect(ir(['action', 'list']).stdout).toMatch(/ACT-1\s+INC-1\s+done\s+2025-11-18\s+Engineer B/);

    expect(ir(['action', 'done', 'ACT-3']).stdout).toMatch(
      /^ACT-3 done: Document rollback \(0 days after it was created\)/,
    );
    // When it was done, in the user's zone as other messages show times (not a raw ISO time).
    expect(runIr(['action', 'done', '3'], { cwd: tmp.dir, env: { ...env, TZ: 'Asia/Tokyo' } }).stdout).toMatch(
      /^ACT-3 was already done \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} (JST|UTC\+9) by alice\); nothing changed\n$/,
    );
    expect(ir(['action', 'done', 'ACT-99']).stderr).toMatch(
      /unknown action item ACT-99: action items run from ACT-1 to ACT-3/,
    );
  });
});

describe('ir metrics', () => {
  it('computes the health metrics with met/missed targets', () => {
    // The SEV-2 login-failure incident: MTTD 4, MTTR 80. Four SEV-1s in December: MTTD 1, MTTR 10 each.
    const sev1 = ['01', '02', '03', '04'].map((d) =>
      minor(`2025-12-${d}`, {
        severity: 1,
        detectedAt: `2025-12-${d}T10:01:00Z`,
        resolvedAt: `2025-12-${d}T10:11:00Z`,
        postmortemDone: true,
      }),
    );
    expect(importRows([loginFailureRow, ...sev1]).code).toBe(0);
    const r = ir(['metrics', '--from', '2025-11-01', '--to', '2026-01-01', '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m).toMatchObject({
      totalIncidents: 5,
      sev1Count: 4,
      mttdMinutes: 1.6, // (4 + 1 + 1 + 1 + 1) / 5
      mttdMedianMinutes: 1,
      mttrMinutes: 24, // (80 + 10 × 4) / 5
      mttrMedianMinutes: 10,
      postmortemsRequired: 5,
      postmortemsDone: 4,
      postmortemCompletionRate: 0.8,
      actionItemCompletionRate: 1,
    });
    expect(m.months).toEqual([
      { month: '2025-11', incidents: 1, sev1: 0, mttrMean: 80, alarm: false },
      { month: '2025-12', incidents: 4, sev1: 4, mttrMean: 10, alarm: true },
    ]);
    expect(m.definitions.mttd).toBe('MTTD = detected − started (mean of incidents whose start was given)');
    expect(Object.fromEntries(m.targets.map((t: { name: string; status: string }) => [t.name, t.status]))).toEqual({
      mttd: 'met',
      'sev2-mttr': 'missed',
      'postmortem-completion': 'missed',
      'action-item-completion': 'met',
      'sev1-per-month': 'missed',
    });

    const text = ir(['metrics', '--from', '2025-11-01', '--to', '2026-01-01']);
    expect(text.stdout).toContain('MTTD = detected − started');
    expect(text.stdout).toMatch(/2025-12\s+4\s+4\s+10\.0 min\s+ALARM: schedule a deep-dive/);
    expect(text.stderr).toContain('warning: 2025-12: 4 SEV-1 incidents (more than 3)');
  });

  it('with no incidents every rate is null, not NaN', () => {
    const m = JSON.parse(ir(['metrics', '--since', '30d', '--service', 'auth', '--json']).stdout);
    expect(m).toMatchObject({
      totalIncidents: 0,
      mttdMinutes: null,
      mttrMinutes: null,
      postmortemCompletionRate: null,
      actionItemCompletionRate: null,
      service: 'auth',
    });
  });

  it('a --service no incident was ever recorded for is warned about, listing the services that have some', () => {
    expect(importRows([loginFailureRow, minor('2025-12-01')]).code).toBe(0);
    const typo = ir(['metrics', '--from', '2025-11-01', '--to', '2026-01-01', '--service', 'atuh', '--json']);
    expect(typo.code).toBe(0);
    expect(JSON.parse(typo.stdout).totalIncidents).toBe(0);
    expect(typo.stderr).toContain(
      'warning: --service: no incident has ever been recorded for "atuh"; services with incidents: auth, web',
    );
    const quiet = ir(['metrics', '--since', '1d', '--service', 'auth', '--json']);
    expect(quiet.stderr).toBe('');
  });

  it('rejects --since with --from, and a bad duration', () => {
    expect(ir(['metrics', '--since', '30d', '--from', '2025-01-01']).stderr).toMatch(
      /^error: --since cannot be combined with --from\/--to/,
    );
    expect(ir(['metrics', '--since', 'forever']).stderr).toMatch(/^error: --since: invalid value "forever"/);
  });

  it('a --since too long to be a duration is exit 2; one reaching before 1970 means from 1970', async () => {
    const r = await runIrAsync(['metrics', '--since', '1000000000000d'], { cwd: tmp.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --since: invalid value "1000000000000d"; expected a duration of at most 1000 years/,
    );
    const all = await runIrAsync(['metrics', '--since', '100000d', '--json'], { cwd: tmp.dir, env });
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ from: '1970-01-01T00:00:00.000Z' });
    const far = await runIrAsync(['metrics', '--from', '0050-01-01', '--to', '2026-01-01'], { cwd: tmp.dir, env });
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/^error: --from: invalid value "0050-01-01"; expected .*between 1970 and 9999/);
  });
});

describe('ir incident resolve says when a postmortem is owed', () => {
  it('SEV-2 → required, with the reason and the command', () => {
    // Absolute times: the duration must not depend on how long the processes take to start.
    expect(
      ir([
        'declare',
        '--title',
        'Checkout errors',
        '--sev',
        '2',
        '--started-at',
        '2025-11-15T14:23:00Z',
        '--detected-at',
        '2025-11-15T14:25:00Z',
      ]).code,
    ).toBe(0);
    const r = ir([
      'incident',
      'resolve',
      'INC-1',
      '--at',
      '2025-11-15T14:33:00Z',
      '--root-cause',
      'pool',
      '--mitigation',
      'rollback',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).postmortem).toMatchObject({
      required: true,
      reasons: ['SEV-2'],
      owed: true,
      done: false,
    });
    expect(r.stderr).toContain(
      'warning: a postmortem is required for INC-1 (SEV-2): ir postmortem INC-1 --out INC-1.md',
    );
  });

  it('a short SEV-4 → not required', () => {
    expect(
      ir([
        'declare',
        '--title',
        'Typo on the status page',
        '--sev',
        '4',
        '--started-at',
        '2025-11-15T14:23:00Z',
        '--detected-at',
        '2025-11-15T14:24:00Z',
      ]).code,
    ).toBe(0);
    const r = ir([
      'incident',
      'resolve',
      'INC-1',
      '--at',
      '2025-11-15T14:28:00Z',
      '--root-cause',
      'typo',
      '--mitigation',
      'fixed',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).postmortem).toMatchObject({ required: false, reasons: [], owed: false });
    expect(r.stderr).not.toContain('postmortem is required');
  });

  it('a SEV-3 that lasted 45 minutes → required for its duration', () => {
    expect(
      ir([
        'declare',
        '--title',
        'Slow search',
        '--sev',
        '3',
        '--started-at',
        '2025-11-15T14:00:00Z',
        '--detected-at',
        '2025-11-15T14:05:00Z',
      ]).code,
    ).toBe(0);
    const r = ir([
      'incident',
      'resolve',
      'INC-1',
      '--at',
      '2025-11-15T14:45:00Z',
      '--root-cause',
      'index',
      '--mitigation',
      'reindex',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: a postmortem is required for INC-1 (lasted 45 minutes (more than 30)): ir postmortem INC-1 --out INC-1.md',
    );
    expect(JSON.parse(ir(['postmortem', 'pending', '--json']).stdout).map((p: { id: string }) => p.id)).toEqual([
      'INC-1',
    ]);
  });
});
