import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  formatUtc,
  isValidTimeZone,
  localDay,
  parseDay,
  parseInstant,
  utcMs,
  wallClock,
} from '../../src/time/instant.js';

const now = new Date('2026-11-26T20:15:00Z');

describe('parseInstant', () => {
  it('reads ISO-8601 with an offset as that instant', () => {
    expect(parseInstant('2026-11-26T14:32:00Z', now, 'Europe/Berlin')?.toISOString()).toBe('2026-11-26T14:32:00.000Z');
    expect(parseInstant('2026-11-26T14:32:00+01:00', now, 'UTC')?.toISOString()).toBe('2026-11-26T13:32:00.000Z');
  });

  it('reads local date-times and bare dates in the given zone', () => {
    expect(parseInstant('2026-11-26 14:32', now, 'Europe/Berlin')?.toISOString()).toBe('2026-11-26T13:32:00.000Z');
    expect(parseInstant('2026-07-01T09:00', now, 'America/New_York')?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(parseInstant('2036-01-01', now, 'UTC')?.toISOString()).toBe('2036-01-01T00:00:00.000Z');
  });

  it('reads a clock time as today in the zone', () => {
    expect(parseInstant('14:32', now, 'UTC')?.toISOString()).toBe('2026-11-26T14:32:00.000Z');
    // 20:15 UTC is already 2026-11-27 in Tokyo.
    expect(parseInstant('09:00', now, 'Asia/Tokyo')?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });

  it('reads a clock time on the day before or after today in the zone', () => {
    expect(parseInstant('tomorrow 03:00', now, 'UTC')?.toISOString()).toBe('2026-11-27T03:00:00.000Z');
    expect(parseInstant('Yesterday 23:50', now, 'UTC')?.toISOString()).toBe('2026-11-25T23:50:00.000Z');
    expect(parseInstant('today 14:32:10', now, 'UTC')?.toISOString()).toBe('2026-11-26T14:32:10.000Z');
    // Today is 2026-11-27 in Tokyo (20:15 UTC), so tomorrow is the 28th there.
    expect(parseInstant('tomorrow 09:00', now, 'Asia/Tokyo')?.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    // Across a month end and a daylight-saving change: 2026-11-01 01:30 happens twice in New York; the first.
    const halloween = new Date('2026-10-31T16:00:00Z');
    expect(parseInstant('tomorrow 01:30', halloween, 'America/New_York')?.toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it.each(['tomorrow', 'yesterday', 'tomorrow 25:00', 'next tomorrow 03:00', 'tomorrow03:00'])(
    'refuses a day word without a valid clock time: %j',
    (text) => {
      expect(parseInstant(text, now, 'UTC')).toBeUndefined();
    },
  );

  it('parseDay: a bare day word is a day (an instant it is not), any instant its local day', () => {
    expect(parseDay('tomorrow', now, 'UTC')).toBe('2026-11-27');
    expect(parseDay('TODAY', now, 'Asia/Tokyo')).toBe('2026-11-27'); // 20:15 UTC is the 27th there
    expect(parseDay('yesterday', new Date('2027-01-01T10:00:00Z'), 'UTC')).toBe('2026-12-31');
    expect(parseDay('2026-12-01', now, 'UTC')).toBe('2026-12-01');
    expect(parseDay('in 2 days', now, 'UTC')).toBe('2026-11-28');
    expect(parseDay('someday', now, 'UTC')).toBeUndefined();
    expect(parseInstant('tomorrow', now, 'UTC')).toBeUndefined();
  });

  it.each(['constructor', '__proto__'])(
    'parseDay: %s is no day (not the day "0NaN-NaN-NaN" an action item was given as due)',
    (word) => {
      expect(parseDay(word, now, 'UTC')).toBeUndefined();
    },
  );

  it("reads back a time as ir prints it: with UTC or the display zone's abbreviation after it", () => {
    const iso = (text: string, zone: string, at = now) => parseInstant(text, at, zone)?.toISOString();
    const berlin = 'Europe/Berlin';
    // What formatLocal and formatUtc print, and the timeline's `14:32:05 CET (13:32:05 UTC)` halves.
    const d = new Date('2026-11-26T13:32:05Z');
    expect(iso(formatLocal(d, berlin, true), berlin)).toBe(d.toISOString());
    expect(iso(formatUtc(d, true), berlin)).toBe(d.toISOString());
    expect(iso('2026-11-26 13:32 UTC', berlin)).toBe('2026-11-26T13:32:00.000Z');
    expect(iso('14:32:05 CET', berlin)).toBe('2026-11-26T13:32:05.000Z');
    expect(iso('13:32:05 utc', berlin)).toBe('2026-11-26T13:32:05.000Z');
    expect(iso('yesterday 23:50 UTC', berlin)).toBe('2026-11-25T23:50:00.000Z');
    expect(iso('2026-11-26 19:02 UTC+5:30', berlin)).toBe('2026-11-26T13:32:00.000Z');
    expect(iso('2026-11-26 08:32 GMT-5', berlin)).toBe('2026-11-26T13:32:00.000Z');
    // "Today" on a UTC clock: 20:15 UTC is already the 27th in Tokyo, still the 26th in UTC.
    expect(iso('09:00 UTC', 'Asia/Tokyo')).toBe('2026-11-26T09:00:00.000Z');
    // The abbreviation picks which of a time the clocks pass twice is meant.
    expect(iso('2026-10-25 02:30 CEST', berlin)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25 02:30 CET', berlin)).toBe('2026-10-25T01:30:00.000Z');
    expect(iso('2026-11-01 01:30 EST', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
    // The zone's abbreviation for the season it is not in, another zone's abbreviation, nonsense: refused.
    expect(iso('2026-07-01 12:00 CET', berlin)).toBeUndefined();
    expect(iso('2026-11-26 12:00 EST', berlin)).toBeUndefined();
    expect(iso('2026-11-26 12:00 UTC+15', berlin)).toBeUndefined();
    expect(iso('2026-11-26 12:00 soon', berlin)).toBeUndefined();
    expect(iso('2026-02-30 12:00 UTC', berlin)).toBeUndefined();
    // A time the clocks skip, with the zone's abbreviation: read as without it (03:30 CEST).
    expect(iso('2026-03-29 02:30 CET', berlin)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads relative times and now', () => {
    expect(parseInstant('10m ago', now, 'UTC')?.toISOString()).toBe('2026-11-26T20:05:00.000Z');
    expect(parseInstant('in 2h', now, 'UTC')?.toISOString()).toBe('2026-11-26T22:15:00.000Z');
    expect(parseInstant('now', now, 'UTC')?.toISOString()).toBe(now.toISOString());
  });

  it('utcMs reads years 0–99 as those years, not 1900–1999 (Date.UTC would)', () => {
    expect(utcMs(99, 11, 31, 23, 59)).toBe(Date.parse('0099-12-31T23:59:00Z'));
    expect(utcMs(4, 1, 29)).toBe(Date.parse('0004-02-29T00:00:00Z'));
    expect(utcMs(2026, 0, 1)).toBe(Date.UTC(2026, 0, 1));
  });

  it('refuses instants outside 1970–9999 rather than returning an Invalid Date', () => {
    expect(parseInstant('in 100000000 days', now, 'UTC')).toBeUndefined();
    expect(parseInstant('1000000000000d ago', now, 'UTC')).toBeUndefined();
    expect(parseInstant('+020000-01-01T00:00:00Z', now, 'UTC')).toBeUndefined();
    expect(parseInstant('9999-12-31 23:00', now, 'UTC')?.toISOString()).toBe('9999-12-31T23:00:00.000Z');
  });

  it.each(['', 'yesterday-ish', '25:00', '2026-13-01', '2026-02-30', '10 ago', 'in', '14:60'])('refuses %j', (text) => {
    expect(parseInstant(text, now, 'UTC')).toBeUndefined();
  });
});

describe('parseInstant range', () => {
  // Before: '99999999999d ago' was an Invalid Date (a crash, exit 70 in ir incident log --at),
  // '99999999d ago' the year -271764, and '0001-01-01' silently became 1901-01-01.
  it.each([
    '99999999999d ago',
    '99999999d ago',
    '0001-01-01',
    '0099-05-05 10:00',
    '1900-01-01',
    '1969-12-31T23:59:59Z',
    'in 999999d',
  ])('refuses %j: outside 1970–9999', (text) => {
    expect(parseInstant(text, now, 'UTC')).toBeUndefined();
  });

  it('accepts the ends of the range', () => {
    expect(parseInstant('1970-01-01T00:00:00Z', now, 'UTC')?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(parseInstant('9999-12-31 23:59', now, 'UTC')?.toISOString()).toBe('9999-12-31T23:59:00.000Z');
    expect(parseInstant('3000d ago', now, 'UTC')?.toISOString()).toBe('2018-09-09T20:15:00.000Z');
  });
});

describe('zones', () => {
  it('wallClock resolves a local time in a zone', () => {
    expect(wallClock('America/New_York', 2026, 3, 9, 10, 0)?.toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(wallClock('America/New_York', 2026, 3, 2, 10, 0)?.toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });
  it('a local time the clocks pass twice is its first occurrence; one they skip takes the offset before the gap', () => {
    const at = (zone: string, h: number, mi: number, y: number, mo: number, d: number) =>
      wallClock(zone, y, mo, d, h, mi)?.toISOString();
    // Summer time ends: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(at('Europe/Berlin', 2, 30, 2026, 10, 25)).toBe('2026-10-25T00:30:00.000Z');
    expect(at('America/New_York', 1, 30, 2026, 11, 1)).toBe('2026-11-01T05:30:00.000Z');
    // Lord Howe falls back half an hour: 01:45 happens at 14:45Z (+11) and again at 15:15Z (+10:30).
    expect(at('Australia/Lord_Howe', 1, 45, 2026, 4, 5)).toBe('2026-04-04T14:45:00.000Z');
    // Summer time begins: 02:30 does not exist; read with CET's offset, it is 03:30 CEST.
    expect(at('Europe/Berlin', 2, 30, 2026, 3, 29)).toBe('2026-03-29T01:30:00.000Z');
    expect(at('America/New_York', 2, 30, 2026, 3, 8)).toBe('2026-03-08T07:30:00.000Z');
    // Either side of a change, one reading.
    expect(at('Europe/Berlin', 3, 0, 2026, 10, 25)).toBe('2026-10-25T02:00:00.000Z');
    expect(at('Europe/Berlin', 1, 59, 2026, 10, 25)).toBe('2026-10-24T23:59:00.000Z');
  });
  it('validates IANA names', () => {
    expect(isValidTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
  it('formats local and UTC', () => {
    const d = new Date('2026-11-26T14:32:00Z');
    expect(formatUtc(d)).toBe('2026-11-26 14:32 UTC');
    // A shift that starts in 9999 ends in 10000, whose ISO form is +010000-01-03T…
    expect(formatUtc(new Date('+010000-01-03T15:00:00Z'))).toBe('+010000-01-03 15:00 UTC');
    expect(formatLocal(d, 'Europe/Berlin')).toBe('2026-11-26 15:32 CET');
  });
});

describe('formatLocal and localDay against Intl', () => {
  const zones = [
    'UTC',
    'Europe/London',
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
  ];
  const intl = (d: Date, zone: string, seconds: boolean) => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: seconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    }).formatToParts(d);
    const get = (t: string) => parts.find((p) => p.type === t)!.value;
    return {
      day: `${get('year')}-${get('month')}-${get('day')}`,
      time: `${get('hour')}:${get('minute')}${seconds ? `:${get('second')}` : ''}`,
    };
  };
  it('agree on every instant, DST changes and half-hour zones included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (t, zone, seconds) => {
          const d = new Date(t);
          const want = intl(d, zone, seconds);
          expect(formatLocal(d, zone, seconds).startsWith(`${want.day} ${want.time} `)).toBe(true);
          expect(localDay(d, zone)).toBe(want.day);
        },
      ),
      { numRuns: 3000 },
    );
    // The instants either side of London's spring and autumn changes in 2026.
    for (const [iso, zone, text] of [
      ['2026-03-29T00:59:59Z', 'Europe/London', '2026-03-29 00:59:59 GMT'],
      ['2026-03-29T01:00:00Z', 'Europe/London', '2026-03-29 02:00:00 BST'],
      ['2026-10-25T00:59:59Z', 'Europe/London', '2026-10-25 01:59:59 BST'],
      ['2026-10-25T01:00:00Z', 'Europe/London', '2026-10-25 01:00:00 GMT'],
    ] as const)
      expect(formatLocal(new Date(iso), zone, true)).toBe(text);
  });
});
