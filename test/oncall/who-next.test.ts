/**
 * `whoAt`'s next change of hands: who is on call from the next instant the primary changes,
 * from the same segments as who is on call now (overrides applied, time off taken out) — never
 * the bare rota — and why they change.
 */
import { describe, expect, it } from 'vitest';
import { whoAt } from '../../src/oncall/rotation.js';
import { compact, schedule, Z } from './helpers.js';

/** Daily 09:00 UTC: alice has 2026-03-06 09:00, bob 03-07, carol 03-08, dave 03-09, eve 03-10, alice 03-11 … */
const plain = (extra = '') =>
  compact({
    zone: 'UTC',
    start: '2026-01-05',
    shift: '1 day',
    handoff: '09:00',
    roster: ['alice', 'bob', 'carol', 'dave', 'eve'],
    extra,
  });

const layered = (extra = '') =>
  schedule(
    [
      'timezone: UTC',
      'layers:',
      '  - name: base',
      '    rotation: daily',
      '    start: 2026-01-05',
      '    handoff: "09:00"',
      '    members: [alice, bob, carol, dave, eve]',
      '  - name: backup',
      '    role: secondary',
      '    rotation: daily',
      '    start: 2026-01-05',
      '    handoff: "09:00"',
      '    members: [hal, ivy, jo]',
      extra,
    ].join('\n'),
  );

const next = (w: ReturnType<typeof whoAt>) => ({
  at: w.next ? new Date(w.next.at).toISOString() : undefined,
  primary: w.next?.primary?.person ?? null,
  reason: w.next?.reason,
  person: w.next?.person,
  nextHandoff: new Date(w.nextHandoff).toISOString(),
});

describe('whoAt: the next change of hands', () => {
  it('a regular handoff names the rostered next person', () => {
    const w = whoAt(plain(), Z('2026-03-10T12:00:00Z'));
    expect(w.primary?.person).toBe('eve');
    expect(next(w)).toMatchObject({ at: '2026-03-11T09:00:00.000Z', primary: 'alice', reason: 'handoff' });
  });

  it('an override on the next shift: its person is next, not the rota', () => {
    const s = plain('overrides:\n  - {start: "2026-03-11 09:00", end: "2026-03-12 09:00", person: zed}');
    const w = whoAt(s, Z('2026-03-10T12:00:00Z'));
    expect(next(w)).toMatchObject({
      at: '2026-03-11T09:00:00.000Z',
      nextHandoff: '2026-03-11T09:00:00.000Z',
      primary: 'zed',
      reason: 'override-starts',
      person: 'zed',
    });
    expect(w.next?.primary?.rostered).toBe('alice');
    // While zed covers, the handoff is when the override ends, to the rota's next person.
    expect(next(whoAt(s, Z('2026-03-11T12:00:00Z')))).toMatchObject({
      at: '2026-03-12T09:00:00.000Z',
      primary: 'bob',
      reason: 'override-ends',
      person: 'zed',
    });
  });

  it('an override across a handoff: the same person carries on, so the handoff is when it ends', () => {
    const s = plain('overrides:\n  - {start: "2026-03-10 15:00", end: "2026-03-12 09:00", person: zed}');
    expect(next(whoAt(s, Z('2026-03-10T16:00:00Z')))).toMatchObject({
      at: '2026-03-12T09:00:00.000Z',
      nextHandoff: '2026-03-12T09:00:00.000Z',
      primary: 'bob',
      reason: 'override-ends',
    });
  });

  it('time off on the next shift (plain): a gap, nobody, then the person back when it ends', () => {
    const s = plain('timeoff:\n  - {person: alice, start: "2026-03-10 00:00", end: "2026-03-12 00:00"}');
    const w = whoAt(s, Z('2026-03-10T12:00:00Z'));
    expect(next(w)).toMatchObject({ at: '2026-03-11T09:00:00.000Z', primary: null, reason: 'handoff' });
    expect(w.next?.primary).toBeUndefined();
    expect(next(whoAt(s, Z('2026-03-11T12:00:00Z')))).toMatchObject({
      at: '2026-03-12T00:00:00.000Z',
      nextHandoff: '2026-03-12T00:00:00.000Z',
      primary: 'alice',
      reason: 'timeoff-ends',
      person: 'alice',
    });
  });

  it('the person on call going on time off: a gap, told as time off, not as an override ending', () => {
    const s = plain('timeoff:\n  - {person: eve, start: "2026-03-10 15:00", end: "2026-03-10 20:00"}');
    expect(next(whoAt(s, Z('2026-03-10T12:00:00Z')))).toMatchObject({
      at: '2026-03-10T15:00:00.000Z',
      primary: null,
      reason: 'timeoff-starts',
      person: 'eve',
    });
  });

  it('time off on the next shift (layered): nobody next, and back when the time off ends', () => {
    const s = layered('timeoff:\n  - {person: alice, start: "2026-03-10 00:00", end: "2026-03-12 00:00"}');
    const w = whoAt(s, Z('2026-03-10T12:00:00Z'));
    expect(w.primary?.person).toBe('eve');
    expect(next(w)).toMatchObject({ at: '2026-03-11T09:00:00.000Z', primary: null, reason: 'handoff' });
    expect(w.next?.secondary?.person).toBe('jo');
    expect(w.next?.hasSecondary).toBe(true);
    expect(next(whoAt(s, Z('2026-03-11T12:00:00Z')))).toMatchObject({
      at: '2026-03-12T00:00:00.000Z',
      primary: 'alice',
      reason: 'timeoff-ends',
    });
  });

  it('layered: the person on call going on time off is told as time off', () => {
    const s = layered('timeoff:\n  - {person: carol, start: "2026-03-18 12:00", end: "2026-03-18 20:00"}');
    expect(next(whoAt(s, Z('2026-03-18T10:00:00Z')))).toMatchObject({
      at: '2026-03-18T12:00:00.000Z',
      primary: null,
      reason: 'timeoff-starts',
      person: 'carol',
    });
  });

  it('a gap over several shifts: the next change is when someone is on call again', () => {
    const s = plain(
      'timeoff:\n  - {person: alice, start: "2026-03-11 00:00", end: "2026-03-12 10:00"}\n  - {person: bob, start: "2026-03-12 00:00", end: "2026-03-13 00:00"}',
    );
    expect(next(whoAt(s, Z('2026-03-11T12:00:00Z')))).toMatchObject({
      at: '2026-03-13T00:00:00.000Z',
      primary: 'bob',
      reason: 'timeoff-ends',
    });
  });

  it('before the rotation starts: the first people, from the segments', () => {
    const s = plain('overrides:\n  - {start: "2026-01-05 09:00", end: "2026-01-06 09:00", person: zed}');
    const w = whoAt(s, Z('2026-01-01T00:00:00Z'));
    expect(w.shift).toBeUndefined();
    expect(next(w)).toMatchObject({ at: '2026-01-05T09:00:00.000Z', primary: 'zed' });
  });
});
