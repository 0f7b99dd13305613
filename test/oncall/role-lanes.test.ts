/** roleLanes: a role over a whole shift, the stretches shiftSegments leaves uncovered named as gaps. */
import { describe, expect, it } from 'vitest';
import { roleLanes, shiftAt, type Holding } from '../../src/oncall/rotation.js';
import { compact, schedule, Z } from './helpers.js';

/** Daily 09:00 New York shifts: a on Tue 2026-03-24 09:00 EDT → Wed 09:00 EDT (13:00Z → 13:00Z). */
const daily = (extra: string) =>
  compact({
    zone: 'America/New_York',
    start: '2026-01-05',
    shift: '1 day',
    handoff: '09:00',
    roster: ['a', 'b', 'c'],
    extra,
  });

const AT = Z('2026-03-24T15:00:00Z');
const text = (lane: Holding[]) =>
  lane.map((h) => `${h.person ?? '—'}${h.override ? '*' : ''} ${new Date(h.start).toISOString().slice(5, 16)}`);

describe('roleLanes', () => {
  it('a shift nobody is away from is one stretch, no gap', () => {
    const s = daily('');
    const lanes = roleLanes(s, shiftAt(s, AT)!, 'primary');
    expect(lanes).toHaveLength(1);
    expect(lanes[0]).toEqual([
      {
        person: 'a',
        start: Z('2026-03-24T13:00:00Z'),
        end: Z('2026-03-25T13:00:00Z'),
        override: undefined,
        rostered: 'a',
      },
    ]);
  });

  it('time off at the start, in the middle and at the end of a shift leaves a gap there', () => {
    const start = daily('timeoff:\n  - {person: a, start: "2026-03-24 00:00", end: "2026-03-25 00:00"}');
    expect(text(roleLanes(start, shiftAt(start, AT)!, 'primary')[0]!)).toEqual(['— 03-24T13:00', 'a 03-25T04:00']);
    const end = daily('timeoff:\n  - {person: a, start: "2026-03-24 18:00", end: "2026-03-26 00:00"}');
    expect(text(roleLanes(end, shiftAt(end, AT)!, 'primary')[0]!)).toEqual(['a 03-24T13:00', '— 03-24T22:00']);
    const middle = daily('timeoff:\n  - {person: a, start: "2026-03-24 12:00", end: "2026-03-24 18:00"}');
    const lane = roleLanes(middle, shiftAt(middle, AT)!, 'primary')[0]!;
    expect(text(lane)).toEqual(['a 03-24T13:00', '— 03-24T16:00', 'a 03-24T22:00']);
    expect(lane[1]).toMatchObject({ person: undefined, rostered: 'a', end: Z('2026-03-24T22:00:00Z') });
  });

  it('an override keeps its stretch; the time off it does not cover is still a gap', () => {
    const s = daily(
      [
        'timeoff:',
        '  - {person: a, start: "2026-03-24 12:00", end: "2026-03-24 18:00"}',
        'overrides:',
        '  - {person: zed, replace: a, start: "2026-03-24 12:00", end: "2026-03-24 14:00"}',
      ].join('\n'),
    );
    expect(text(roleLanes(s, shiftAt(s, AT)!, 'primary')[0]!)).toEqual([
      'a 03-24T13:00',
      'zed* 03-24T16:00',
      '— 03-24T18:00',
      'a 03-24T22:00',
    ]);
  });

  it('a role the schedule does not have has no lanes', () => {
    const s = daily('');
    expect(roleLanes(s, shiftAt(s, AT)!, 'secondary')).toEqual([]);
  });

  it('a layer with two people at once has a lane each: one away leaves a gap in that lane only', () => {
    const s = schedule(
      [
        'timezone: UTC',
        'layers:',
        '  - name: base',
        '    rotation: every 3 days',
        '    start: 2026-01-05',
        '    handoff: "10:00"',
        '    members: [hal, ivy, jo, kim]',
        '    people_at_once: 2',
        'timeoff:',
        '  - {person: ivy, start: "2026-01-06 00:00", end: "2026-01-07 00:00"}',
      ].join('\n'),
    );
    const lanes = roleLanes(s, shiftAt(s, Z('2026-01-05T12:00:00Z'))!, 'primary');
    expect(lanes.map(text)).toEqual([['hal 01-05T10:00'], ['ivy 01-05T10:00', '— 01-06T00:00', 'ivy 01-07T00:00']]);
  });
});
