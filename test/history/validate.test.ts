import { describe, expect, it } from 'vitest';
import { csvRows, detectFormat, jsonArray, jsonLines } from '../../src/history/formats.js';
import {
  incidentField,
  normalizeKey,
  parseDay,
  parseTimestamp,
  validateRow,
  type ImportProblem,
} from '../../src/history/validate.js';

const good = {
  title: 'Login failures after deploy v2.3.4',
  severity: 'SEV-2',
  service: 'auth',
  startedAt: '2025-11-15T14:23:00Z',
  detectedAt: '2025-11-15T14:27:00Z',
  resolvedAt: '2025-11-15T15:47:00Z',
  postmortemDone: true,
  timeline: [{ at: '2025-11-15T14:18:00Z', type: 'note', text: 'Deploy v2.3.4 begins', author: 'alice' }],
  actionItems: [
    {
      text: 'Add pool metrics',
      owner: '@bob',
      due: '2025-11-18',
      createdAt: '2025-11-16T09:00:00Z',
      completedAt: null,
    },
  ],
};

const problems = (v: unknown): ImportProblem[] => {
  const r = validateRow(v, 7);
  return r.ok ? [] : r.problems;
};

describe('validateRow', () => {
  it('a title longer than 255 characters is a problem of its row', () => {
    expect(problems({ ...good, title: 'a'.repeat(256) })).toEqual([
      expect.objectContaining({
        row: 7,
        field: 'title',
        message: expect.stringMatching(/^256 characters; at most 255/),
      }),
    ]);
    expect(problems({ ...good, title: 'a'.repeat(255) })).toEqual([]);
  });

  it("an action item's text longer than 255 characters is a problem naming the item", () => {
    const item = good.actionItems[0]!;
    expect(problems({ ...good, actionItems: [item, { ...item, text: 'a'.repeat(256) }] })).toEqual([
      expect.objectContaining({
        row: 7,
        field: 'actionItems[1].text',
        message: expect.stringMatching(/^256 characters; at most 255 are taken/),
      }),
    ]);
    expect(problems({ ...good, actionItems: [{ ...item, text: 'a'.repeat(255) }] })).toEqual([]);
  });

  it('postmortemDone on an incident that is still open is a problem', () => {
    expect(problems({ ...good, resolvedAt: null })).toEqual([
      {
        row: 7,
        field: 'postmortemDone',
        message:
          'true, but the incident has no resolvedAt: a postmortem follows resolution; give resolvedAt or set postmortemDone to false',
      },
    ]);
    expect(problems({ ...good, resolvedAt: null, postmortemDone: false })).toEqual([]);
  });

  it('with now: times in the future (beyond 5 minutes of skew) are problems naming the field', () => {
    const now = new Date('2025-11-15T15:00:00Z');
    // Its action item was created the next day: in the future of these nows (the next test).
    const row = { ...good, actionItems: [] };
    const r = validateRow(row, 3, now);
    expect(r.ok ? [] : r.problems).toEqual([
      {
        row: 3,
        field: 'resolvedAt',
        message:
          '2025-11-15T15:47:00.000Z is in the future (now is 2025-11-15T15:00:00.000Z); expected a time that has passed',
      },
    ]);
    expect(validateRow(row, 3, new Date('2025-11-15T15:43:00Z')).ok).toBe(true); // 4 minutes of skew
    expect(validateRow(good, 3, new Date('2026-01-01T00:00:00Z')).ok).toBe(true);
  });

  it('titles, action items and names are one line, as ir declare and ir action add make them', () => {
    const r = validateRow(
      {
        ...good,
        title: 'multi\nline  title',
        timeline: [{ at: '2025-11-15T14:18:00Z', text: 'two\nlines stay', author: 'alice\nsmith' }],
        actionItems: [{ text: 'Fix cache\n## Heading', owner: '@bob\nx', due: '2025-11-18' }],
        roles: { ic: 'carol\nd' },
      },
      1,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.incident.title).toBe('multi line title');
    expect(r.incident.timeline.map((e) => [e.text, e.author])).toEqual([['two\nlines stay', 'alice smith']]);
    expect(r.incident.actionItems.map((a) => [a.text, a.owner])).toEqual([['Fix cache ## Heading', 'bob x']]);
    expect((r.incident.roles ?? []).map((x) => x.person)).toEqual(['carol d']);
  });

  it('with now: a timeline entry or an action item dated in the future is a problem too', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const r = validateRow(
      {
        ...good,
        timeline: [{ at: '2099-01-01T00:00:00Z', text: 'a typo for 2025' }],
        actionItems: [{ ...good.actionItems[0], completedAt: '2026-01-01T00:04:00Z' }],
      },
      3,
      now,
    );
    expect(r.ok ? [] : r.problems).toEqual([
      {
        row: 3,
        field: 'timeline[0].at',
        message:
          '2099-01-01T00:00:00.000Z is in the future (now is 2026-01-01T00:00:00.000Z); expected a time that has passed',
      },
    ]);
    // Within the same minutes of clock skew as the incident's own times; a created-at in the future too.
    const later = { ...good.actionItems[0], createdAt: '2026-02-01T00:00:00Z' };
    const r2 = validateRow({ ...good, actionItems: [later] }, 3, now);
    expect(r2.ok ? [] : r2.problems.map((p) => p.field)).toEqual(['actionItems[0].createdAt']);
  });

  it('accepts a complete row and normalises it', () => {
    const r = validateRow(good, 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.incident).toMatchObject({
      severity: 2,
      service: 'auth',
      postmortemDone: true,
      nearMiss: false,
      resolvedAt: new Date('2025-11-15T15:47:00Z'),
      actionItems: [{ owner: 'bob', due: '2025-11-18', completedAt: null, priority: null, type: null }],
    });
    expect(r.incident.timeline[0]).toEqual({
      at: new Date('2025-11-15T14:18:00Z'),
      type: 'note',
      text: 'Deploy v2.3.4 begins',
      author: 'alice',
    });
  });

  it('accepts snake_case headers and spreadsheet booleans', () => {
    const r = validateRow(
      {
        title: 'x',
        severity: 3,
        started_at: '2025-01-01T00:00:00Z',
        detected_at: '2025-01-01T00:01:00+01:00',
        postmortem_done: 'yes',
      },
      1,
    );
    expect(r.ok).toBe(false); // detected (23:01 UTC the day before) precedes started
    const r2 = validateRow(
      {
        title: 'x',
        severity: 3,
        started_at: '2025-01-01T00:00:00Z',
        detected_at: '2025-01-01T01:01:00+01:00',
        resolved_at: '2025-01-01T00:30:00Z',
        postmortem_done: 'yes',
      },
      1,
    );
    expect(r2.ok && r2.incident.postmortemDone).toBe(true);
  });

  it('names the row and every bad field', () => {
    expect(
      problems({
        title: ' ',
        severity: 'SEV-5',
        startedAt: '2025-11-15 14:23',
        detectedAt: '2025-11-15T14:27:00Z',
        resolvedAt: '2025-11-15T14:00:00Z',
        postmortemDone: 'maybe',
        owner: 'x',
        actionItems: [{ text: 'Be better', due: 'soon' }],
        timeline: [{ at: 'yesterday', text: '' }],
      }).map((p) => `${p.row}:${p.field}`),
    ).toEqual([
      '7:owner',
      '7:title',
      '7:severity',
      '7:startedAt',
      '7:resolvedAt',
      '7:postmortemDone',
      '7:timeline[0].at',
      '7:timeline[0].text',
      '7:actionItems[0].owner',
      '7:actionItems[0].due',
    ]);
  });

  it('a misspelt field is an unknown one with the field it was probably meant to be; others get the list alone', () => {
    const found = problems({
      ...good,
      sevrity: 'SEV-1',
      owner: 'x',
      timeline: [{ at: '2025-11-15T14:18:00Z', type: 'note', text: 'x', autor: 'alice' }],
      actionItems: [{ ...good.actionItems[0], ownr: 'bob' }],
    });
    expect(Object.fromEntries(found.map((p) => [p.field, p.message]))).toEqual({
      sevrity: expect.stringMatching(/^unknown field; did you mean severity\? expected one of title, severity, /),
      owner: expect.stringMatching(/^unknown field; expected one of title, /),
      'timeline[0].autor': expect.stringMatching(/^unknown field; did you mean author\? expected at, /),
      'actionItems[0].ownr': expect.stringMatching(/^unknown field; did you mean owner\? expected text, /),
    });
  });

  it('an object or a list where text or a number goes is a problem of its field, even one with its own toString key', () => {
    // As JSON.parse reads them: own keys that shadow what String() would call.
    const obj = JSON.parse('{"toString": 1, "valueOf": 1}') as unknown;
    expect(
      problems({
        ...good,
        severity: obj,
        impactFraction: [0.5],
        timeline: [{ at: '2025-11-15T14:18:00Z', text: 'x', type: obj, author: { name: 'bob' } }],
        actionItems: [{ text: 'Add a canary', owner: 'bob', due: '2025-11-30', priority: obj, type: ['fix'] }],
      }).map((p) => `${p.field}`),
    ).toEqual([
      'severity',
      'impactFraction',
      'timeline[0].type',
      'timeline[0].author',
      'actionItems[0].priority',
      'actionItems[0].type',
    ]);
  });

  it('refuses timestamps without a zone, and says what is accepted', () => {
    const [p] = problems({ ...good, startedAt: '2025-11-15T14:23:00' });
    expect(p).toMatchObject({ field: 'startedAt' });
    expect(p!.message).toMatch(/with a zone between 1970 and 9999, such as 2025-11-15T14:23:00Z/);
  });

  it('refuses a row that is not an object', () => {
    expect(problems([1, 2]).map((p) => p.field)).toEqual(['']);
  });

  it('parses days and timestamps strictly', () => {
    expect(parseDay('2025-02-30')).toBeUndefined();
    expect(parseDay('2025-11-18T23:30:00-02:00')).toBe('2025-11-19');
    expect(parseTimestamp('2025-11-15 14:23:00Z')).toEqual(new Date('2025-11-15T14:23:00Z'));
    expect(normalizeKey('Started At')).toBe('startedAt');
    expect(normalizeKey('postmortem_done')).toBe('postmortemDone');
    for (const key of ['STARTED_AT', 'Started At', 'started-at', 'startedat', 'STARTEDAT', 'startedAt'])
      expect(incidentField(key), key).toBe('startedAt');
    expect(incidentField('ISSUE KEY')).toBe('externalId');
    expect(incidentField('started')).toBeUndefined();
  });
});

describe('validateRow: the external id and its source', () => {
  const incidentOf = (v: Record<string, unknown>) => {
    const r = validateRow({ ...good, ...v }, 4);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.incident;
  };

  it('a row without one has neither', () => {
    expect(incidentOf({})).toMatchObject({ externalId: null, source: null });
  });

  it('externalId, or the id columns exports use: id, key, number, incident_number, Issue key (any case)', () => {
    expect(incidentOf({ externalId: ' Q1ABC ' }).externalId).toBe('Q1ABC');
    expect(incidentOf({ external_id: 'Q1ABC' }).externalId).toBe('Q1ABC');
    expect(incidentOf({ id: 'Q1ABC' }).externalId).toBe('Q1ABC');
    expect(incidentOf({ ID: 'Q1ABC' }).externalId).toBe('Q1ABC');
    expect(incidentOf({ Key: 'OPS-12' }).externalId).toBe('OPS-12');
    expect(incidentOf({ 'Issue key': 'OPS-12' }).externalId).toBe('OPS-12');
    expect(incidentOf({ incident_number: 1234 }).externalId).toBe('1234');
    // A number and its digits as text (JSON vs CSV) are the same id.
    expect(incidentOf({ number: 1234 }).externalId).toBe(incidentOf({ number: '1234' }).externalId);
    expect(incidentOf({ id: '' }).externalId).toBeNull();
  });

  it('two id columns in one row: which one is the identity is not guessed', () => {
    expect(problems({ ...good, id: 'Q1ABC', incident_number: 12 })).toEqual([
      {
        row: 7,
        field: 'incident_number',
        message:
          'externalId given twice (as "id" and "incident_number"); keep the one column that identifies the incident in its source',
      },
    ]);
    // An empty one does not count.
    expect(problems({ ...good, id: 'Q1ABC', number: '' })).toEqual([]);
  });

  it('bad ids are named by the column they came in', () => {
    for (const v of [true, 1.5, -1, { a: 1 }, 'x'.repeat(201), 'a\nb']) {
      expect(
        problems({ ...good, key: v }).map((p) => p.field),
        JSON.stringify(v),
      ).toEqual(['key']);
    }
    expect(problems({ ...good, key: 'x'.repeat(200) })).toEqual([]);
  });

  it('source: a lower-cased label', () => {
    expect(incidentOf({ id: 1, source: 'PagerDuty' })).toMatchObject({ externalId: '1', source: 'pagerduty' });
    expect(problems({ ...good, source: 'pager duty' })).toEqual([
      {
        row: 7,
        field: 'source',
        message: expect.stringMatching(/^invalid value "pager duty"; expected a name of letters, digits/),
      },
    ]);
  });
});

describe('formats', () => {
  it('detects by extension, then by content', () => {
    expect(detectFormat('a.jsonl', '')).toBe('jsonl');
    expect(detectFormat('a.csv', '[')).toBe('csv');
    expect(detectFormat('a.json', '  [')).toBe('json');
    expect(detectFormat('a.json', '{"title"')).toBe('jsonl');
    expect(detectFormat('export', 'title,severity')).toBe('csv');
  });

  it('JSON Lines: numbers rows by line, across chunk boundaries, skipping blank lines', () => {
    const text = `${JSON.stringify(good)}\n\n{"title": oops}\n${JSON.stringify(good)}`;
    const chunks = [text.slice(0, 10), text.slice(10, 200), text.slice(200)];
    const rows = [...jsonLines(chunks)];
    expect(rows.map((r) => [r.row, 'error' in r])).toEqual([
      [1, false],
      [3, true],
      [4, false],
    ]);
  });

  it('JSON array: numbers elements from 1; a syntax error names its line when V8 gives a position', () => {
    expect([...jsonArray('[{"a":1},{"b":2}]')].map((r) => r.row)).toEqual([1, 2]);
    expect([...jsonArray('\uFEFF[{"a":1}]')]).toEqual([{ row: 1, value: { a: 1 } }]);
    expect([...jsonLines(['\uFEFF{"a":1}\r\n{"b":2}\r\n'])]).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 2, value: { b: 2 } },
    ]);
    const [bad] = [...jsonArray('[\n{"a":1},\n{"b" 2}\n]')];
    expect(bad).toMatchObject({ row: 0, error: expect.stringMatching(/^not valid JSON \(line 3\): /) });
    expect([...jsonArray('{"a":1}')][0]).toMatchObject({ error: expect.stringMatching(/expected a JSON array/) });
  });

  it('CSV: keyed by header, row = line number, nested lists as JSON cells, empty cells absent', () => {
    const csv = [
      'title,severity,service,startedAt,detectedAt,resolvedAt,postmortemDone,actionItems',
      'A,2,auth,2025-11-15T14:23:00Z,2025-11-15T14:27:00Z,2025-11-15T15:47:00Z,true,',
      `B,1,,2025-11-16T10:00:00Z,2025-11-16T10:02:00Z,,false,"[{""text"":""x"",""owner"":""bob"",""due"":""2025-11-20""}]"`,
    ].join('\n');
    const rows = [...csvRows(csv)];
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    // A quoted cell over two lines and a blank line: rows are numbered by the line they start on.
    const multi = [...csvRows('title,severity\n"two\nlines",2\n\nB,3\nC,4')];
    expect(multi.map((r) => r.row)).toEqual([2, 5, 6]);
    // The same saved with Windows line ends (a spreadsheet export), and a cell over three lines.
    const windows = [...csvRows('title,severity\r\n"two\r\nlines",2\r\n\r\nB,3\r\n"x\r\ny\r\nz",4\r\nC,9\r\n')];
    expect(windows.map((r) => r.row)).toEqual([2, 5, 6, 9]);
    expect((windows[0] as { value: { title: string } }).value.title).toBe('two\nlines');
    const v = validateRow((rows[1] as { value: unknown }).value, 3);
    expect(v.ok && v.incident).toMatchObject({
      title: 'B',
      severity: 1,
      service: null,
      resolvedAt: null,
      actionItems: [{ owner: 'bob' }],
    });
  });
});

describe('CSV header', () => {
  it('a misspelt column is reported once, on line 1, and no row is read', () => {
    const rows = [
      ...csvRows(
        'title,severity,startAt,detectedAt\na,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\nb,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n',
      ),
    ];
    expect(rows).toEqual([
      { row: 1, error: expect.stringMatching(/^header: unknown column "startAt"; expected one of title, severity, /) },
    ]);
  });
  it('an id column by any of its names is known; two of them are reported once, on line 1', () => {
    expect([...csvRows('title,Issue key\na,OPS-1\n')]).toEqual([
      { row: 2, value: { title: 'a', 'Issue key': 'OPS-1' } },
    ]);
    expect([...csvRows('title,id,incident_number\na,Q1,1\nb,Q2,2\n')]).toEqual([
      {
        row: 1,
        error:
          'header: columns "id" and "incident_number" both give the external id; keep the one that identifies the incident in its source',
      },
    ]);
  });
  it('Title Case and snake_case headers are fine', () => {
    const rows = [...csvRows('Title,Severity,Started At,detected_at\na,1,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z\n')];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ row: 2, value: { Title: 'a' } });
  });
});

describe('import timestamps', () => {
  it.each(['0001-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z'])(
    'refuses %s: outside 1970–9999, as every time ir reads',
    (t) => {
      expect(parseTimestamp(t)).toBeUndefined();
    },
  );
  it('accepts the range ends', () => {
    expect(parseTimestamp('1970-01-01T00:00:00Z')?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(parseTimestamp('9999-12-31T23:59:59Z')?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });
});

describe('validateRow: acknowledged and mitigated instants', () => {
  it('are read as timestamps, in their order with detection and resolution', () => {
    const r = validateRow(
      { ...good, acknowledged_at: '2025-11-15T14:29:00Z', 'Mitigated At': '2025-11-15T15:10:00+00:00' },
      1,
    );
    expect(r.ok && [r.incident.acknowledgedAt?.toISOString(), r.incident.mitigatedAt?.toISOString()]).toEqual([
      '2025-11-15T14:29:00.000Z',
      '2025-11-15T15:10:00.000Z',
    ]);
    const plain = validateRow(good, 1);
    expect(plain.ok && [plain.incident.acknowledgedAt, plain.incident.mitigatedAt]).toEqual([null, null]);
    expect(
      problems({ ...good, acknowledgedAt: '2025-11-15T14:25:00Z', mitigatedAt: '2025-11-15T16:00:00Z' }).map((p) => [
        p.field,
        p.message,
      ]),
    ).toEqual([
      ['acknowledgedAt', '2025-11-15T14:25:00.000Z is before detectedAt 2025-11-15T14:27:00.000Z'],
      ['mitigatedAt', '2025-11-15T16:00:00.000Z is after resolvedAt 2025-11-15T15:47:00.000Z'],
    ]);
    expect(problems({ ...good, mitigatedAt: 'soon' })[0]!.field).toBe('mitigatedAt');
  });
});
