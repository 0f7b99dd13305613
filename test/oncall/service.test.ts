import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { whoAt } from '../../src/oncall/rotation.js';
import { addOverride, insertOverride, loadAll, loadSchedule, selectSchedules } from '../../src/oncall/service.js';
import { useScheduleDirs } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const scheduleDir = useScheduleDirs();
let dir: string;
beforeEach(() => {
  dir = scheduleDir();
});

const ctxAt = (now = '2026-11-26T20:00:00Z') => testContext({ cwd: dir, now: new Date(now) }).ctx;
const file = () => join(dir, 'schedules', 'platform.yaml');

describe('loading the schedules directory', () => {
  it('finds the shipped schedule and policy from a fresh directory', () => {
    const all = loadAll(ctxAt());
    expect(all.schedules.map((s) => s.name)).toEqual(['platform']);
    expect(all.policies.map((p) => p.name)).toEqual(['Engineering On-Call']);
  });
  it('an unknown schedule name lists the known ones', () => {
    writeFileSync(
      join(dir, 'schedules', 'db.yaml'),
      'timezone: UTC\nstart: 2026-01-05\nshift_length: 1 day\nhandoff_time: "09:00"\nroster: [a, b, c, d, e]\n',
    );
    expect(() => loadSchedule(ctxAt(), 'payments')).toThrow(
      /unknown schedule "payments"; known schedules in schedules: db, platform/,
    );
  });
  it('honours schedules.dir from ir.yaml', () => {
    cpSync(join(dir, 'schedules'), join(dir, 'elsewhere'), { recursive: true });
    writeFileSync(join(dir, 'ir.yaml'), 'schedules:\n  dir: elsewhere\n');
    expect(selectSchedules(ctxAt(), undefined)[0]!.file).toBe('elsewhere/platform.yaml');
  });
});

describe('the parse cache', () => {
  const cacheFiles = () => {
    const d = join(dir, '.cache', 'ir', 'oncall');
    return existsSync(d) ? readdirSync(d) : [];
  };
  it('caches parsed files and re-parses when the text changes', () => {
    expect(loadAll(ctxAt()).schedules[0]!.eras[0]!.primary[0]).toBe('Alice');
    expect(cacheFiles()).toHaveLength(2);
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('week_1: Alice', 'week_1: Alicia'));
    expect(loadAll(ctxAt()).schedules[0]!.eras[0]!.primary[0]).toBe('Alicia');
  });
  it('an invalid file is never served from the cache', () => {
    loadAll(ctxAt());
    writeFileSync(file(), readFileSync(file(), 'utf8').replace('America/New_York', 'Nowhere/Else'));
    expect(() => loadAll(ctxAt())).toThrow(/unknown time zone "Nowhere\/Else"/);
  });
  it('a corrupt cache entry is ignored; IR_ONCALL_CACHE=0 turns it off', () => {
    loadAll(ctxAt());
    const d = join(dir, '.cache', 'ir', 'oncall');
    for (const f of cacheFiles()) writeFileSync(join(d, f), '{not json');
    expect(loadAll(ctxAt()).schedules.map((s) => s.name)).toEqual(['platform']);
    rmSync(d, { recursive: true });
    loadAll(testContext({ cwd: dir, now: new Date(), env: { IR_ONCALL_CACHE: '0' } }).ctx);
    expect(cacheFiles()).toEqual([]);
  });
  it('IR_CACHE=0, the switch for every cache, turns it off too', () => {
    loadAll(testContext({ cwd: dir, now: new Date(), env: { IR_CACHE: '0' } }).ctx);
    expect(cacheFiles()).toEqual([]);
  });
});

describe('ir oncall override writes into the file', () => {
  it('keeps comments and formatting, and the result loads', () => {
    const before = readFileSync(file(), 'utf8');
    const r = addOverride(ctxAt(), {
      schedule: 'platform',
      person: 'Zed',
      replace: 'eve',
      from: new Date('2026-11-27T14:00:00Z'),
      to: new Date('2026-11-28T14:00:00Z'),
      reason: 'swap',
    });
    expect(r.covers).toEqual([
      { layer: 'primary', person: 'Eve', start: '2026-11-27T09:00:00-05:00', end: '2026-11-28T09:00:00-05:00' },
    ]);
    const after = readFileSync(file(), 'utf8');
    // Everything before `overrides:` is byte-for-byte the same, comments included.
    const head = before.slice(0, before.indexOf('overrides:'));
    expect(after.startsWith(head)).toBe(true);
    expect(after).toContain('# Sweet spot for monthly rotation');
    expect(after).toContain('secondary_oncall: # Offset by 3 weeks');
    expect(after.slice(head.length)).toBe(
      'overrides:\n  - start: 2026-11-27T09:00:00-05:00\n    end: 2026-11-28T09:00:00-05:00\n    person: Zed\n    replace: eve\n    reason: swap\n',
    );
    const s = loadSchedule(ctxAt(), 'platform');
    expect(whoAt(s, Date.parse('2026-11-27T20:00:00Z')).primary?.person).toBe('Zed');
  });

  it('appends to an existing block list and creates the key when missing', () => {
    const ctx = ctxAt();
    addOverride(ctx, {
      schedule: 'platform',
      person: 'A1',
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-02T00:00:00Z'),
    });
    addOverride(ctx, {
      schedule: 'platform',
      person: 'A2',
      from: new Date('2026-12-02T00:00:00Z'),
      to: new Date('2026-12-03T00:00:00Z'),
    });
    expect(loadSchedule(ctx, 'platform').overrides.map((o) => o.person)).toEqual(['A1', 'A2']);
    writeFileSync(file(), readFileSync(file(), 'utf8').replace(/\n# Overrides[\s\S]*$/, '\n'));
    addOverride(ctx, {
      schedule: 'platform',
      person: 'A3',
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-02T00:00:00Z'),
    });
    expect(loadSchedule(ctx, 'platform').overrides.map((o) => o.person)).toEqual(['A3']);
  });

  it.each([
    [
      'overlapping an existing override',
      { person: 'Yan', from: '2026-11-27T20:00:00Z', to: '2026-11-29T00:00:00Z' },
      /overlaps the one at schedules\/platform\.yaml:\d+/,
    ],
    [
      'leaving nobody on call (replacing someone not on call)',
      { person: 'Yan', replace: 'alice', from: '2026-12-01T20:00:00Z', to: '2026-12-01T22:00:00Z' },
      /alice is not on call in platform/,
    ],
    [
      'before the rotation starts',
      { person: 'Yan', from: '2025-12-01T00:00:00Z', to: '2025-12-02T00:00:00Z' },
      /before the rotation does/,
    ],
    [
      'the same person on both layers',
      { person: 'Bob', from: '2026-11-29T00:00:00Z', to: '2026-11-29T02:00:00Z' },
      /Bob would be both primary and secondary/,
    ],
    [
      'an end before the start',
      { person: 'Yan', from: '2026-12-09T00:00:00Z', to: '2026-12-08T00:00:00Z' },
      /--to must be after --from/,
    ],
  ])('refuses an override %s', (_name, o, message) => {
    const ctx = ctxAt();
    addOverride(ctx, {
      schedule: 'platform',
      person: 'Zed',
      from: new Date('2026-11-27T14:00:00Z'),
      to: new Date('2026-11-28T14:00:00Z'),
    });
    const before = readFileSync(file(), 'utf8');
    let err: unknown;
    try {
      addOverride(ctx, {
        schedule: 'platform',
        person: o.person,
        replace: 'replace' in o ? o.replace : undefined,
        from: new Date(o.from),
        to: new Date(o.to),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it.each([
    ['no overrides key', 'timezone: UTC # zone\n', 'timezone: UTC # zone\noverrides:\n  - start: S\n    person: z\n'],
    [
      'an empty flow list with a comment',
      'overrides: [] # none yet\nb: 1\n',
      'overrides: # none yet\n  - start: S\n    person: z\nb: 1\n',
    ],
    ['an empty value', 'overrides:\nb: 1 # keep\n', 'overrides:\n  - start: S\n    person: z\nb: 1 # keep\n'],
    [
      'a block list at column 0',
      'overrides:\n- start: A # first\n  person: y\n# after\nb: 1\n',
      'overrides:\n- start: A # first\n  person: y\n- start: S\n  person: z\n# after\nb: 1\n',
    ],
    [
      'a flow list with items (flow lists elsewhere keep their spacing)',
      'roster: [a, b] # people\noverrides: [{start: A, person: y}] # one\nb: 1\n',
      'roster: [a, b] # people\noverrides: [{start: A, person: y}, { start: S, person: z }] # one\nb: 1\n',
    ],
    [
      'a flow list over several lines',
      'overrides: [\n  {start: A, person: y}, # first\n]\nroster: [a, b]\n',
      'overrides: [\n  {start: A, person: y}, { start: S, person: z }, # first\n]\nroster: [a, b]\n',
    ],
  ])('splices the new item into %s, leaving the rest untouched', (_name, text, expected) => {
    expect(insertOverride(text, 'f.yaml', { start: 'S', person: 'z' })).toBe(expected);
  });

  it('a flow list item that needs quotes in flow context gets them', () => {
    const out = insertOverride('overrides: [{start: A, person: y}]\n', 'f.yaml', { start: 'S', person: 'q, r: {s}' });
    expect(out).toBe('overrides: [{start: A, person: y}, { start: S, person: "q, r: {s}" }]\n');
  });

  it.each([
    [
      'no overrides key',
      'timezone: UTC # zone\r\n',
      'timezone: UTC # zone\r\noverrides:\r\n  - start: S\r\n    person: z\r\n',
    ],
    [
      'an empty flow list',
      'overrides: [] # none yet\r\nb: 1\r\n',
      'overrides: # none yet\r\n  - start: S\r\n    person: z\r\nb: 1\r\n',
    ],
    [
      'a block list',
      'overrides:\r\n  - start: A\r\n    person: y\r\nb: 1\r\n',
      'overrides:\r\n  - start: A\r\n    person: y\r\n  - start: S\r\n    person: z\r\nb: 1\r\n',
    ],
  ])('a CRLF file stays CRLF (%s): no LF-only lines spliced in', (_name, text, expected) => {
    expect(insertOverride(text, 'f.yaml', { start: 'S', person: 'z' })).toBe(expected);
  });

  it('dry run writes nothing', () => {
    const before = readFileSync(file(), 'utf8');
    const r = addOverride(ctxAt(), {
      schedule: 'platform',
      person: 'Zed',
      from: new Date('2026-11-27T14:00:00Z'),
      to: new Date('2026-11-28T14:00:00Z'),
      dryRun: true,
    });
    expect(r.written).toBe(false);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });
});
