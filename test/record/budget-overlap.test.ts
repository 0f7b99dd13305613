/** `ir budget --from-incidents`: overlapping incidents burn the budget once, at the largest share. */
import { describe, expect, it } from 'vitest';
import { combinedImpact } from '../../src/incident/impact.js';
import { at, opsRepo } from './helpers.js';

const span = (id: string, from: number, to: number | null, fraction: number) => ({
  id,
  startedAt: at(from),
  resolvedAt: to === null ? null : at(to),
  impactEndedAt: null,
  impactFraction: fraction,
});

describe('combinedImpact', () => {
  const within = { from: at(-1000), to: at(1000) };

  it('counts overlapping minutes once, at the largest share', () => {
    const c = combinedImpact([span('INC-1', 0, 60, 0.5), span('INC-2', 30, 90, 1)], at(100), within);
    // 0–30 at 50 % + 30–90 at 100 % (not 30 + 60 + the 15 of INC-1's second half)
    expect(c.minutes).toBe(75);
    expect(Object.fromEntries(c.counted)).toEqual({ 'INC-1': 15, 'INC-2': 60 });
    expect(c.overlaps).toEqual([{ incidents: ['INC-1', 'INC-2'], from: at(30), to: at(60) }]);
  });

  it('never burns above 100 %: three full outages at once are one', () => {
    const c = combinedImpact([span('A', 0, 60, 1), span('B', 0, 60, 1), span('C', 10, 50, 1)], at(100), within);
    expect(c.minutes).toBe(60);
    expect(c.overlaps).toEqual([{ incidents: ['A', 'B', 'C'], from: at(0), to: at(60) }]);
  });

  it('separate incidents add up; open ones run to now; only the part inside the window counts', () => {
    const c = combinedImpact([span('A', 0, 10, 1), span('B', 20, null, 0.5)], at(40), {
      from: at(5),
      to: at(40),
    });
    expect(c.minutes).toBe(5 + 10);
    expect(c.overlaps).toEqual([]);
  });
});

describe('ir budget --from-incidents with overlapping incidents', () => {
  const { ir, json } = opsRepo('slos:\n  - service: api\n    objective: 99.9\n    window: 1d\n');

  it('reports the combined downtime and which incidents overlapped', async () => {
    await json(
      120,
      'declare',
      '--title',
      'Errors',
      '--sev',
      '3',
      '--service',
      'api',
      '--traffic-affected',
      '50%',
      '--started-at',
      at(0).toISOString(),
      '--detected-at',
      at(0).toISOString(),
    );
    await json(
      120,
      'declare',
      '--title',
      'Latency',
      '--sev',
      '3',
      '--service',
      'api',
      '--started-at',
      at(30).toISOString(),
      '--detected-at',
      at(30).toISOString(),
    );
    await json(121, 'incident', 'resolve', 'INC-1', '--at', at(60).toISOString());
    await json(121, 'incident', 'resolve', 'INC-2', '--at', at(90).toISOString());
    const r = await json(130, 'budget', 'api', '--from-incidents');
    expect(r.downtimeMinutes).toBe(75);
    expect(
      r.incidents.map((i: { id: string; impactMinutes: number; countedMinutes: number }) => [
        i.id,
        i.impactMinutes,
        i.countedMinutes,
      ]),
    ).toEqual([
      ['INC-1', 30, 15],
      ['INC-2', 60, 60],
    ]);
    expect(r.incidentOverlaps).toEqual([
      { incidents: ['INC-1', 'INC-2'], from: at(30).toISOString(), to: at(60).toISOString() },
    ]);
    const text = (await ir(130, 'budget', 'api', '--from-incidents')).stdout;
    expect(text).toMatch(/Downtime\s+75\.00 min/);
    expect(text).toMatch(/Overlapping\s+INC-1, INC-2 2026-11-26 14:30 UTC → 2026-11-26 15:00 UTC: counted once/);
  });
});
