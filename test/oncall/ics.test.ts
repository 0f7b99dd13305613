/**
 * `ir oncall export --ics` revisions: an event keeps its UID for the same shift; its SEQUENCE rises
 * exactly when its content changes (RFC 5545 §3.8.7.4), so a calendar that imported an earlier
 * export replaces the stale person. The rule (src/oncall/revision.ts) in a table; then the command
 * in-process with a fixed clock and a real state database.
 */
import Database from 'better-sqlite3';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildCalendar, calendarEvent, type CalendarEntry, type CalendarEvent } from '../../src/oncall/ics.js';
import { nextRevision, sequenceFloor } from '../../src/oncall/revision.js';
import { REPO_ROOT, useScheduleDirs, useTempDirs } from '../helpers/cli.js';
import { runMain } from '../helpers/context.js';

describe('nextRevision', () => {
  const t0 = new Date('2026-11-26T20:00:00Z');
  const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  it('the clock floor: whole minutes since 2020-01-01T00:00Z, inside a 32-bit INTEGER for millennia', () => {
    expect(sequenceFloor(new Date('2020-01-01T00:00:59Z'))).toBe(0);
    expect(sequenceFloor(new Date('2020-01-01T00:01:00Z'))).toBe(1);
    expect(sequenceFloor(new Date('2019-06-01T00:00:00Z'))).toBe(0);
    expect(sequenceFloor(t0)).toBe(3_631_440); // 2521 days and 20 hours
    expect(sequenceFloor(new Date('6000-01-01T00:00:00Z'))).toBeLessThan(2 ** 31);
  });

  it('first export: the floor; unchanged: the same revision; changed: higher', () => {
    const first = nextRevision(undefined, 'alice', t0);
    expect(first).toEqual({ contentHash: 'alice', sequence: sequenceFloor(t0), modifiedAt: t0 });
    expect(nextRevision(first, 'alice', later(60))).toEqual(first);
    const changed = nextRevision(first, 'zed', later(60));
    expect(changed).toEqual({ contentHash: 'zed', sequence: sequenceFloor(later(60)), modifiedAt: later(60) });
  });

  it('back to earlier content is a revision too, and two within a minute still rise', () => {
    const a = nextRevision(undefined, 'alice', t0);
    const b = nextRevision(a, 'zed', t0);
    const c = nextRevision(b, 'alice', t0);
    expect([a.sequence, b.sequence, c.sequence]).toEqual([
      sequenceFloor(t0),
      sequenceFloor(t0) + 1,
      sequenceFloor(t0) + 2,
    ]);
    // The floor catches up once the clock passes the burst.
    expect(nextRevision(c, 'zed', later(10)).sequence).toBe(sequenceFloor(later(10)));
  });

  it('a database that never saw the event numbers it above anything exported earlier', () => {
    const elsewhere = nextRevision(nextRevision(undefined, 'alice', t0), 'zed', later(5));
    expect(nextRevision(undefined, 'alice', later(6)).sequence).toBeGreaterThan(elsewhere.sequence);
  });
});

describe('calendarEvent', () => {
  const entry = (person: string, extra: Partial<CalendarEntry> = {}): CalendarEntry => ({
    schedule: 'platform',
    timeZone: 'America/New_York',
    layer: 'primary',
    person,
    rostered: 'Frank',
    start: Date.parse('2026-11-30T15:00:00Z'),
    end: Date.parse('2026-12-07T15:00:00Z'),
    shiftIndex: 47,
    rotaShift: '47',
    ...extra,
  });

  it('the UID names the shift; the content hash changes with the person and the times', () => {
    const frank = calendarEvent(entry('Frank'));
    const zed = calendarEvent(
      entry('Zed', { override: { person: 'Zed', replace: 'Frank' } as CalendarEntry['override'] }),
    );
    expect(zed.uid).toBe(frank.uid);
    expect(zed.contentHash).not.toBe(frank.contentHash);
    expect(zed.summary).toBe('On call: Zed — platform primary');
    expect(calendarEvent(entry('Frank', { end: Date.parse('2026-12-03T15:00:00Z') })).contentHash).not.toBe(
      frank.contentHash,
    );
    expect(calendarEvent(entry('Frank')).contentHash).toBe(frank.contentHash);
    expect(calendarEvent(entry('Frank', { layer: 'secondary' })).uid).not.toBe(frank.uid);
  });

  it("the description gives the event's times as the schedule plans them, its zone named (DTSTART/DTEND are UTC)", () => {
    expect(calendarEvent(entry('Frank')).description).toBe(
      "Frank is primary on call for platform: Mon 2026-11-30 10:00 EST to Mon 2026-12-07 10:00 EST, in the schedule's zone (America/New_York).",
    );
    const zed = calendarEvent(
      entry('Zed', {
        timeZone: 'Europe/Berlin',
        override: { person: 'Zed', replace: 'Frank' } as CalendarEntry['override'],
      }),
    );
    expect(zed.description).toBe(
      "Zed is primary on call for platform (override for Frank): Mon 2026-11-30 16:00 CET to Mon 2026-12-07 16:00 CET, in the schedule's zone (Europe/Berlin).",
    );
  });
});

describe('ir oncall export --ics of a layer with several people at once', () => {
  const scheduleDir = useScheduleDirs();
  let dir: string;
  beforeEach(() => {
    dir = scheduleDir();
    writeFileSync(
      join(dir, 'schedules', 'pair.yaml'),
      [
        'timezone: UTC',
        'layers:',
        '  - name: pair',
        '    rotation: daily',
        '    start: 2026-12-01',
        '    handoff: "09:00"',
        '    members: [hal, ivy, jo, kim]',
        '    people_at_once: 2',
        '',
      ].join('\n'),
    );
  });
  const uids = (ics: string) =>
    new ICAL.Component(ICAL.parse(ics))
      .getAllSubcomponents('vevent')
      .map((v) => [String(v.getFirstPropertyValue('summary')), String(v.getFirstPropertyValue('uid'))] as const);

  it('gives each person their own UID, the same in the team feed and in theirs', async () => {
    const run = async (...extra: string[]) => {
      const r = await runMain({
        argv: [
          'oncall',
          'export',
          '--ics',
          '--schedule',
          'pair',
          '--from',
          '2026-12-02T09:00Z',
          '--weeks',
          '1',
          ...extra,
        ],
        cwd: dir,
        env: { IR_CACHE: '0', IR_DB: join(dir, 'ir.db') },
        now: new Date('2026-12-01T00:00:00Z'),
      });
      expect(r.code, r.stderr).toBe(0);
      return uids(r.stdout);
    };
    const all = await run();
    expect(all).toHaveLength(14); // 7 days × 2 people
    expect(new Set(all.map(([, uid]) => uid)).size).toBe(14);
    const ivy = await run('--person', 'ivy');
    expect(ivy.length).toBeGreaterThan(0);
    for (const [summary, uid] of ivy) expect(all).toContainEqual([summary, uid]);
  });
});

describe('ir oncall export --ics across an override', () => {
  const scheduleDir = useScheduleDirs();
  let dir: string;
  beforeEach(() => {
    dir = scheduleDir();
  });

  async function ir(argv: string[], now: Date, db = 'ir.db') {
    const r = await runMain({ argv, cwd: dir, env: { IR_DB: join(dir, db) }, now });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  }

  interface Seen {
    summary: string;
    status: string | null;
    sequence: number;
    lastModified: string;
    dtstamp: string;
    raw: string;
  }
  /** Events by UID: what a calendar compares. */
  const exportAt = async (now: Date, db?: string, from = '2026-11-26T20:00:00Z'): Promise<Map<string, Seen>> => {
    const text = await ir(['oncall', 'export', '--ics', '--from', from, '--weeks', '3'], now, db);
    const cal = new ICAL.Component(ICAL.parse(text));
    const raw = text.split('BEGIN:VEVENT').slice(1);
    return new Map(
      cal.getAllSubcomponents('vevent').map((v, i) => {
        const e = new ICAL.Event(v);
        const time = (name: string) => (v.getFirstPropertyValue(name) as ICAL.Time).toJSDate().toISOString();
        return [
          e.uid,
          {
            summary: e.summary,
            status: (v.getFirstPropertyValue('status') as string | null) ?? null,
            sequence: e.sequence,
            lastModified: time('last-modified'),
            dtstamp: time('dtstamp'),
            raw: raw[i]!,
          },
        ];
      }),
    );
  };

  const T1 = new Date('2026-11-26T20:00:00Z');
  const T2 = new Date('2026-11-26T21:00:00Z');
  const frankUid = (m: Map<string, Seen>) =>
    [...m].find(([, e]) => e.summary === 'On call: Frank — platform primary')![0];

  it('the overridden shift keeps its UID with a higher SEQUENCE; the others keep theirs', async () => {
    await ir(['db', 'migrate'], T1); // the state database the export remembers revisions in
    const first = await exportAt(T1);
    expect(first.size).toBe(6); // 3 weeks × primary + secondary
    for (const e of first.values())
      expect(e).toMatchObject({
        sequence: sequenceFloor(T1),
        lastModified: T1.toISOString(),
        dtstamp: T1.toISOString(),
      });
    const uid = frankUid(first);

    // Exporting again with nothing changed: every event byte for byte the same.
    const again = await exportAt(new Date(T1.getTime() + 5 * 60_000));
    expect([...again].map(([u, e]) => [u, e.raw])).toEqual([...first].map(([u, e]) => [u, e.raw]));

    await ir(
      [
        'oncall',
        'override',
        'platform',
        '--person',
        'Zed',
        '--replace',
        'frank',
        '--from',
        '2026-11-30T15:00:00Z',
        '--to',
        '2026-12-07T15:00:00Z',
      ],
      T2,
    );
    const second = await exportAt(T2);
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(second.get(uid)).toMatchObject({
      summary: 'On call: Zed — platform primary',
      lastModified: T2.toISOString(),
      dtstamp: T2.toISOString(),
    });
    expect(second.get(uid)!.sequence).toBeGreaterThan(first.get(uid)!.sequence);
    for (const [u, e] of second) if (u !== uid) expect(e.raw).toBe(first.get(u)!.raw);
  });

  it('removing the override again is one more revision, even within the same minute', async () => {
    await ir(['db', 'migrate'], T1);
    const original = readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8');
    const first = await exportAt(T1);
    const uid = frankUid(first);
    await ir(
      [
        'oncall',
        'override',
        'platform',
        '--person',
        'Zed',
        '--replace',
        'frank',
        '--from',
        '2026-11-30T15:00:00Z',
        '--to',
        '2026-12-07T15:00:00Z',
      ],
      T2,
    );
    const zed = (await exportAt(T2)).get(uid)!;
    writeFileSync(join(dir, 'schedules', 'platform.yaml'), original);
    const T3 = new Date(T2.getTime() + 30_000);
    const back = (await exportAt(T3)).get(uid)!;
    expect(back.summary).toBe('On call: Frank — platform primary');
    expect(back.sequence).toBe(zed.sequence + 1);
    expect(back.lastModified).toBe(new Date(Math.floor(T3.getTime() / 1000) * 1000).toISOString());

    // Another machine with no database a few minutes later still numbers above what was published
    // before (the burst of two revisions in one minute put SEQUENCE one minute ahead of the clock).
    const elsewhere = await exportAt(new Date(T3.getTime() + 2 * 60_000), 'other.db');
    expect(elsewhere.get(uid)!.sequence).toBeGreaterThan(back.sequence);
  });

  it('an event the feed no longer has is published as cancelled, with a higher SEQUENCE, until it leaves the window', async () => {
    await ir(['db', 'migrate'], T1);
    const original = readFileSync(join(dir, 'schedules', 'platform.yaml'), 'utf8');
    // Zed covers one day of Frank's shift: the shift splits around Zed's own event.
    await ir(
      ['oncall', 'override', 'platform', '--person', 'Zed', '--replace', 'frank'].concat([
        '--from',
        '2026-12-01T00:00:00Z',
        '--to',
        '2026-12-02T00:00:00Z',
      ]),
      T1,
    );
    const covered = await exportAt(T1);
    const zed = [...covered].find(([, e]) => e.summary === 'On call: Zed — platform primary')![0];
    expect(covered.size).toBe(8); // Frank before, Zed, Frank after
    const frankBefore = await ir(
      ['oncall', 'export', '--ics', '--person', 'frank', '--from', '2026-11-26T20:00:00Z'],
      T1,
    );
    writeFileSync(join(dir, 'schedules', 'platform.yaml'), original);

    const back = await exportAt(T2);
    const live = [...back.values()].filter((e) => e.status === null);
    expect(live).toHaveLength(6);
    const gone = [...back].filter(([, e]) => e.status === 'CANCELLED').map(([u]) => u);
    expect(gone).toHaveLength(2); // Zed's day and the remainder of Frank's shift
    expect(gone).toContain(zed);
    expect(back.get(zed)).toMatchObject({ summary: 'On call: Zed — platform primary', lastModified: T2.toISOString() });
    expect(back.get(zed)!.sequence).toBeGreaterThan(covered.get(zed)!.sequence);
    // Later exports repeat the cancellation unchanged, for calendars that missed one.
    const again = await exportAt(new Date(T2.getTime() + 10 * 60_000));
    expect(again.get(zed)!.raw).toBe(back.get(zed)!.raw);
    // A person's feed is a feed of its own: Frank's had the remainder of his split shift, never
    // Zed's day; with the override gone the remainder is cancelled there too.
    const frankFeed = async (now: Date) =>
      (await ir(['oncall', 'export', '--ics', '--person', 'frank', '--from', '2026-11-26T20:00:00Z'], now)).match(
        /STATUS:CANCELLED/g,
      )?.length ?? 0;
    expect(frankBefore).not.toContain('STATUS:CANCELLED');
    expect(await frankFeed(new Date(T2.getTime() + 11 * 60_000))).toBe(1);
    // Once the window has moved past it, it is forgotten.
    const later = await exportAt(new Date(T2.getTime() + 20 * 60_000), undefined, '2026-12-08T00:00:00Z');
    expect(later.has(zed)).toBe(false);
    expect([...later.values()].every((e) => e.status === null)).toBe(true);
  });

  it('without a state database the export creates none and numbers every event from the clock', async () => {
    const events = await exportAt(T1, 'none.db');
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
    for (const e of events.values())
      expect(e).toMatchObject({ sequence: sequenceFloor(T1), lastModified: T1.toISOString() });
  });

  it('a database another process keeps locked costs the memory, not the calendar', async () => {
    await ir(['db', 'migrate'], T1);
    const holder = new Database(join(dir, 'ir.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const { code, stderr } = await runMain({
        argv: ['oncall', 'export', '--ics', '--from', '2026-11-26T20:00:00Z', '--weeks', '1'],
        cwd: dir,
        env: { IR_DB: join(dir, 'ir.db'), IR_DB_TIMEOUT: '100ms' },
        now: T1,
      });
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/the state database is busy: .*every event gets a new SEQUENCE from the clock/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('RFC 5545 output', () => {
  const at = new Date('2026-11-26T20:00:00.750Z'); // LAST-MODIFIED and DTSTAMP keep whole seconds
  const event = (uid: string, extra: Partial<CalendarEvent> = {}): CalendarEvent => ({
    uid,
    start: new Date('2026-11-30T15:00:00Z'),
    end: new Date('2026-12-07T15:00:00Z'),
    summary: 'On call: Frank — platform primary',
    description: "Frank is primary on call for platform. Times in the schedule's zone: America/New_York.",
    contentHash: 'x',
    ...extra,
  });
  const revisions = (...events: CalendarEvent[]) =>
    new Map(events.map((e) => [e.uid, { contentHash: e.contentHash, sequence: 3_631_440, modifiedAt: at }]));
  /** Physical lines: the text split at CRLF, the empty string after the last CRLF left off. */
  const physicalLines = (text: string): string[] => {
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    return lines;
  };
  const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

  it('every line ends with CRLF, the last one too', () => {
    const text = buildCalendar([], { name: 'x', revisions: new Map() });
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('the calendar and event properties, a cancelled event after the live one before it', () => {
    const live = event('a@ir.oncall');
    const gone = event('b@ir.oncall', {
      start: new Date('2026-12-01T00:00:00Z'),
      summary: 'On call: Zed — platform primary',
    });
    const text = buildCalendar([live], { name: 'On call: frank', revisions: revisions(live, gone), cancelled: [gone] });
    const vevent = (e: CalendarEvent, status: string[]) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      'SEQUENCE:3631440',
      'DTSTAMP:20261126T200000Z',
      `DTSTART:${e.start.toISOString().replace(/[-:]|\.000/g, '')}`,
      'DTEND:20261207T150000Z',
      `SUMMARY:${e.summary}`,
      "DESCRIPTION:Frank is primary on call for platform. Times in the schedule's zone: America/New_York.",
      'CATEGORIES:on-call',
      ...status,
      'LAST-MODIFIED:20261126T200000Z',
      'END:VEVENT',
    ];
    expect(physicalLines(unfold(text))).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//ir//oncall//EN',
      'NAME:On call: frank',
      'X-WR-CALNAME:On call: frank',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
      'X-PUBLISHED-TTL:PT1H',
      ...vevent(live, []),
      ...vevent(gone, ['STATUS:CANCELLED']),
      'END:VCALENDAR',
    ]);
  });

  it('long TEXT values fold at 75 octets, never inside a character, and unfold to the same text', () => {
    const name = 'On call: Zoë; Ops, EU\\night';
    // Each ASCII prefix shifts where the folds land among the 2-, 3- and 4-octet characters.
    for (const pad of ['', 'x', 'xx', 'xxx']) {
      const description = `${pad}${'é東🚨'.repeat(12)} — Ünïcödé; a, b\\c\r\nd\n`.repeat(4);
      const e = event('a@ir.oncall', { description, summary: `${pad}On call: Zoë 🚨 ${'東京'.repeat(30)}` });
      const text = buildCalendar([e], { name, revisions: revisions(e) });
      const lines = physicalLines(text);
      for (const line of lines) {
        expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
        // A fold inside a character would leave half a surrogate pair, which UTF-8 cannot hold.
        expect(Buffer.from(line, 'utf8').toString('utf8'), line).toBe(line);
      }
      expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(5); // it did fold
      const escaped = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\n/g, '\\n');
      const unfolded = physicalLines(unfold(text));
      expect(unfolded).toContain(`DESCRIPTION:${escaped(description)}`);
      expect(unfolded).toContain(`SUMMARY:${escaped(e.summary)}`);
      expect(unfolded).toContain(`NAME:${escaped(name)}`);
      expect(unfolded).toContain(`X-WR-CALNAME:${escaped(name)}`);
      // An independent reader gets the text back (CRLF in the source reads back as a newline).
      const v = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
      expect(v.getFirstPropertyValue('description')).toBe(description.replace(/\r\n/g, '\n'));
      expect(v.getFirstPropertyValue('summary')).toBe(e.summary);
    }
  });
});

describe('ir oncall export --ics of ten years of the layered bench schedule', () => {
  const tempDir = useTempDirs();

  it('writes every shift piece as a VEVENT that an independent parser reads back', async () => {
    const dir = tempDir();
    cpSync(join(REPO_ROOT, 'bench', 'fixtures', 'layered', 'schedules'), join(dir, 'schedules'), { recursive: true });
    const from = '2026-11-26T20:00:00Z';
    const r = await runMain({
      argv: ['oncall', 'export', '--ics', '--from', from, '--weeks', '520'],
      cwd: dir,
      env: { IR_DB: join(dir, 'none.db') },
      now: new Date(from),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(17_671);
    const events = new ICAL.Component(ICAL.parse(r.stdout)).getAllSubcomponents('vevent');
    expect(events).toHaveLength(17_671);
    expect(new Set(events.map((v) => v.getFirstPropertyValue('uid'))).size).toBe(17_671);
    const starts = events.map((v) => (v.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});
