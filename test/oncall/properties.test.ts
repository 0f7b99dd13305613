import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handoffAt, segmentsBetween, shiftAt, shiftByIndex, shiftIndexAt, whoAt } from '../../src/oncall/rotation.js';
import { compact, H, Z } from './helpers.js';

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
  'Europe/London',
];
const SHIFTS = ['8h', '12h', '1 day', '3 days', '1 week', '2 weeks'];
const T0 = Z('2010-01-01T00:00:00Z');
const T1 = Z('2045-01-01T00:00:00Z');

const scheduleArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  shift: fc.constantFrom(...SHIFTS),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  size: fc.integer({ min: 1, max: 8 }),
  year: fc.integer({ min: 2012, max: 2040 }),
});

const build = (p: { zone: string; shift: string; hour: number; minute: number; size: number; year: number }) =>
  compact({
    zone: p.zone,
    start: `${p.year}-03-01`,
    shift: p.shift,
    handoff: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`,
    roster: Array.from({ length: p.size }, (_, i) => `p${i}`),
    offset: p.size > 1 ? 1 : undefined,
  });

describe('rotation properties', () => {
  it('at any instant after the start there is exactly one primary, and its shift contains the instant', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: T0, max: T1 }), (p, t) => {
        const s = build(p);
        const w = whoAt(s, t);
        if (t < handoffAt(s, 0)) {
          expect(w.primary).toBeUndefined();
          return;
        }
        expect(w.shift!.start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(w.shift!.end);
        const covering = segmentsBetween(s, 'primary', t, t + 1);
        expect(covering).toHaveLength(1);
        expect(covering[0]!.person).toBe(w.primary!.person);
      }),
      { numRuns: 300 },
    );
  });

  it('consecutive shifts tile time: each ends exactly where the next begins, never overlapping', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: T0, max: T1 }), (p, t) => {
        const s = build(p);
        const k = Math.max(0, shiftIndexAt(s, t));
        for (let i = k; i < k + 30; i++) {
          const a = shiftByIndex(s, i)!;
          const b = shiftByIndex(s, i + 1)!;
          expect(a.end).toBe(b.start);
          expect(a.end).toBeGreaterThan(a.start);
          // Wall-clock length is exact; elapsed length differs by at most the DST change.
          expect(Math.abs(a.end - a.start - s.shiftMs)).toBeLessThanOrEqual(H);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shiftAt agrees with the boundaries around it (no drift far from the start)', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: T0, max: T1 }), (p, t) => {
        const s = build(p);
        const sh = shiftAt(s, t);
        if (!sh) return;
        expect(handoffAt(s, sh.index)).toBeLessThanOrEqual(t);
        expect(handoffAt(s, sh.index + 1)).toBeGreaterThan(t);
      }),
      { numRuns: 300 },
    );
  });

  it('at a handoff instant the new shift has begun; a millisecond before, the old one holds (half-open)', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: T0, max: T1 }), (p, t) => {
        const s = build(p);
        const k = Math.max(1, shiftIndexAt(s, t));
        const h = handoffAt(s, k);
        expect(shiftIndexAt(s, h)).toBe(k);
        expect(shiftIndexAt(s, h - 1)).toBe(k - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('overrides: every instant still has exactly one primary', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 }),
        fc.integer({ min: 1, max: 60 * 24 * 10 }),
        fc.integer({ min: 0, max: 60 * 24 * 30 }),
        (offsetMin, lenMin, probeMin) => {
          const start = Z('2026-03-02T00:00:00Z') + offsetMin * 60_000;
          const end = start + lenMin * 60_000;
          const s = compact({
            zone: 'Europe/Berlin',
            start: '2026-03-02',
            shift: '1 week',
            handoff: 'Monday 09:00',
            roster: ['a', 'b', 'c', 'd', 'e'],
            extra: `overrides:\n  - {start: "${new Date(start).toISOString()}", end: "${new Date(end).toISOString()}", person: z}`,
          });
          const t = Z('2026-03-02T08:00:00Z') + probeMin * 60_000;
          const covering = segmentsBetween(s, 'primary', t, t + 1);
          expect(covering).toHaveLength(1);
          expect(covering[0]!.person === 'z').toBe(t >= start && t < end);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("results don't depend on the machine's TZ", () => {
  it('the same answers under different process TZ values', () => {
    const saved = process.env.TZ;
    const probes = [
      Z('2026-03-08T07:30:00Z'),
      Z('2026-11-01T06:45:00Z'),
      Z('2026-10-25T01:30:00Z'),
      Z('2036-01-01T00:00:00Z'),
    ];
    const answer = () =>
      ZONES.flatMap((zone) => {
        const s = compact({ zone, start: '2026-01-05', shift: '1 day', handoff: '01:30', roster: ['a', 'b', 'c'] });
        return probes.map((t) => {
          const w = whoAt(s, t);
          return `${w.primary?.person}@${w.shift?.start}-${w.shift?.end}`;
        });
      });
    try {
      process.env.TZ = 'UTC';
      const utc = answer();
      for (const tz of ['America/Los_Angeles', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
        process.env.TZ = tz;
        expect(new Date(Z('2026-07-01T00:00:00Z')).getTimezoneOffset()).not.toBe(0); // the TZ change took effect
        expect(answer()).toEqual(utc);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
