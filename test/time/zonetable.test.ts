import { tzOffset } from '@date-fns/tz';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  loadZoneTables,
  readZoneYear,
  resetZoneTables,
  zoneName,
  zoneOffset,
  zoneTables,
} from '../../src/time/zonetable.js';

// Zones with the awkward cases: DST both ways of the equator, half-hour DST (Lord Howe), +5:45,
// a skipped calendar day (Apia 2011), DST abolished (São Paulo 2019), Ramadan suspensions
// (Casablanca), "negative" DST in the data (Dublin), a two-hour DST (Troll), no DST (Kolkata).
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Apia',
  'America/Sao_Paulo',
  'Africa/Casablanca',
  'Europe/Dublin',
  'Antarctica/Troll',
  'Asia/Kolkata',
  'UTC',
];

const intlOffset = (zone: string, t: number) => Math.round(tzOffset(zone, new Date(t)) * 60_000);
const intlName = (zone: string, t: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(t))
    .find((p) => p.type === 'timeZoneName')!.value;

/** A small seeded generator, so a failure names instants that reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeEach(() => resetZoneTables());

describe('zone years read off Intl', () => {
  it.each(ZONES)('%s: the table gives Intl’s offset at random instants 1950–2060', (zone) => {
    const next = rng(zone.length * 7919);
    const from = Date.UTC(1950, 0, 1);
    const span = Date.UTC(2060, 0, 1) - from;
    for (let i = 0; i < 400; i++) {
      const t = from + Math.floor(next() * span);
      expect(zoneOffset(zone, t), `${zone} at ${new Date(t).toISOString()}`).toBe(intlOffset(zone, t));
    }
  });

  it.each(ZONES)('%s: every change of offset is found to the millisecond, with Intl’s names', (zone) => {
    for (const year of [1996, 2011, 2019, 2026, 2037]) {
      const segs = readZoneYear(zone, year);
      expect(segs[0]![0]).toBe(Date.UTC(year, 0, 1));
      for (const [i, [from, offset, us, gb]] of segs.entries()) {
        expect(intlOffset(zone, from)).toBe(offset);
        if (i > 0)
          expect(intlOffset(zone, from - 1), `${zone} just before ${new Date(from).toISOString()}`).toBe(
            segs[i - 1]![1],
          );
        expect(us).toBe(intlName(zone, from, 'en-US'));
        expect(gb).toBe(intlName(zone, from, 'en-GB'));
      }
    }
  });

  it.each(ZONES)('%s: hour by hour through 2011 and 2026, no change of offset is missed', (zone) => {
    for (const year of [2011, 2026]) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 3_600_000) {
        if (zoneOffset(zone, t) !== intlOffset(zone, t))
          expect(zoneOffset(zone, t), `${zone} at ${new Date(t).toISOString()}`).toBe(intlOffset(zone, t));
      }
    }
  });

  it('New York 2026: EST, EDT from 2026-03-08 07:00Z, EST again from 2026-11-01 06:00Z', () => {
    expect(readZoneYear('America/New_York', 2026)).toEqual([
      [Date.UTC(2026, 0, 1), -5 * 3_600_000, 'EST', 'GMT-5'],
      [Date.UTC(2026, 2, 8, 7), -4 * 3_600_000, 'EDT', 'GMT-4'],
      [Date.UTC(2026, 10, 1, 6), -5 * 3_600_000, 'EST', 'GMT-5'],
    ]);
    expect(zoneName('Europe/London', Date.UTC(2026, 6, 1), 'gb')).toBe('BST');
    expect(zoneName('America/New_York', Date.UTC(2026, 6, 1), 'us')).toBe('EDT');
  });
});

describe('the tables a cache keeps', () => {
  it('counts the years read in this process, and loaded years are used as they are', () => {
    zoneOffset('Europe/Berlin', Date.UTC(2026, 5, 1));
    const { tables, added } = zoneTables();
    expect(added).toBe(1);
    expect(Object.keys(tables['Europe/Berlin']!)).toEqual(['2026']);

    resetZoneTables();
    // A (deliberately false) loaded year is answered from, without reading Intl again.
    loadZoneTables({ 'Europe/Berlin': { '2026': [[Date.UTC(2026, 0, 1), 42, 'X', 'Y']] } });
    expect(zoneOffset('Europe/Berlin', Date.UTC(2026, 5, 1))).toBe(42);
    expect(zoneName('Europe/Berlin', Date.UTC(2026, 5, 1), 'gb')).toBe('Y');
    expect(zoneTables().added).toBe(0);
  });

  it('ignores malformed years in loaded data', () => {
    loadZoneTables({ 'Europe/Berlin': { '2026': [[1, 'x']] as never, '2027': [] } });
    expect(zoneOffset('Europe/Berlin', Date.UTC(2026, 5, 1))).toBe(2 * 3_600_000);
    expect(zoneOffset('Europe/Berlin', Date.UTC(2027, 0, 5))).toBe(3_600_000);
    expect(zoneTables().added).toBe(2);
  });
});

describe('zoneLabel: one name for a zone wherever ir prints a local time', () => {
  it('an abbreviation in common use, else the offset from UTC', async () => {
    const { zoneLabel } = await import('../../src/time/zonetable.js');
    const { formatLocal } = await import('../../src/time/instant.js');
    const { local } = await import('../../src/commands/oncall/shared.js');
    const winter = Date.UTC(2026, 0, 15, 12);
    const summer = Date.UTC(2026, 6, 15, 12);
    const cases: [string, number, string][] = [
      ['Europe/Berlin', winter, 'CET'],
      ['Europe/Berlin', summer, 'CEST'],
      ['America/New_York', winter, 'EST'],
      ['America/New_York', summer, 'EDT'],
      ['Europe/London', winter, 'GMT'],
      ['Europe/London', summer, 'BST'],
      ['UTC', winter, 'UTC'],
      ['Asia/Tokyo', winter, 'UTC+9'],
      ['Asia/Kolkata', winter, 'UTC+5:30'],
      ['America/Sao_Paulo', winter, 'UTC-3'],
    ];
    for (const [zone, t, label] of cases) {
      expect(zoneLabel(zone, t), zone).toBe(label);
      // The incident views and the on-call views name it the same way.
      expect(formatLocal(new Date(t), zone).endsWith(` ${label}`), zone).toBe(true);
      expect(local(t, zone).endsWith(` ${label}`), zone).toBe(true);
    }
  });
});
