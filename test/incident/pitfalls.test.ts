import { describe, expect, it } from 'vitest';
import { updateStatus } from '../../src/incident/cadence.js';
import { planRole } from '../../src/incident/lifecycle.js';
import type { Incident } from '../../src/incident/model.js';
import { detectPitfalls } from '../../src/incident/pitfalls.js';
import { DEFAULT_CADENCE } from '../../src/incident/settings.js';
import { apply, at, incident, T0 } from './fixtures.js';

const codes = (i: Incident, minutes: number) =>
  detectPitfalls(i, DEFAULT_CADENCE[i.severity], at(minutes)).map((p) => p.code);

function withExpert(i = incident()): Incident {
  return apply(i, planRole(i, 'sme', 'bob', at(1), 'alice', 'UTC'));
}

describe('pitfalls, with a fixed clock', () => {
  it('a fresh incident with an IC and an expert has none', () => {
    expect(codes(withExpert(), 2)).toEqual([]);
  });

  it('no IC', () => {
    const i = incident({ roles: [] });
    expect(codes(i, 1)).toContain('no-ic');
  });

  it('the IC is also a subject-matter expert', () => {
    const i = incident();
    expect(codes(apply(i, planRole(i, 'sme', 'Alice', at(1), 'alice', 'UTC')), 2)).toContain('ic-is-sme');
  });

  it('more than 7 active responders (span of control 3–7)', () => {
    let i = incident();
    for (const p of ['b', 'c', 'd', 'e', 'f', 'g']) i = apply(i, planRole(i, 'sme', p, at(1), 'alice', 'UTC'));
    expect(codes(i, 2)).not.toContain('span-of-control'); // 7 people
    i = apply(i, planRole(i, 'scribe', 'h', at(1), 'alice', 'UTC'));
    expect(codes(i, 2)).toContain('span-of-control'); // 8 people
  });

  it('IC silent for 10+ minutes during an open SEV-1/2', () => {
    const i = withExpert(); // IC alice wrote the declaration at T0 and the role change at +1
    expect(codes(i, 10)).not.toContain('ic-silent');
    expect(codes(i, 11)).toContain('ic-silent');
    const spoke = apply(i, { timeline: [{ at: at(8), type: 'decision', text: 'roll back', author: 'alice' }] });
    expect(codes(spoke, 17)).not.toContain('ic-silent');
    expect(codes(spoke, 18)).toContain('ic-silent');
    expect(codes(withExpert(incident({ severity: 3 })), 60)).not.toContain('ic-silent');
  });

  it('a new IC is not silent before taking over', () => {
    let i = withExpert();
    i = apply(i, planRole(i, 'commander', 'dana', at(30), 'alice', 'UTC', { handoff: true }));
    expect(codes(i, 35)).not.toContain('ic-silent');
    expect(codes(i, 40)).toContain('ic-silent');
  });

  it('an open SEV-1/2 running 15+ minutes with no expert: escalate early', () => {
    const busy = (i: Incident) =>
      apply(i, { timeline: [{ at: at(14), type: 'note', text: 'still looking', author: 'alice' }] });
    expect(codes(busy(incident()), 14)).not.toContain('escalate-early');
    expect(codes(busy(incident()), 15)).toContain('escalate-early');
    expect(codes(busy(withExpert()), 15)).not.toContain('escalate-early');
    expect(codes(busy(incident({ severity: 3 })), 60)).not.toContain('escalate-early');
  });

  it('an expert who was dismissed still counts as brought in', () => {
    const i = withExpert();
    const dismissed = apply(i, { endRoles: [{ assignmentId: i.roles[1]!.id, at: at(5) }] });
    expect(codes(dismissed, 20)).not.toContain('escalate-early');
  });

  it('stakeholder update overdue after 30 minutes for SEV-1/2', () => {
    const i = withExpert();
    const talk = (x: Incident, m: number) =>
      apply(x, { timeline: [{ at: at(m), type: 'note', text: '…', author: 'alice' }] });
    expect(codes(talk(i, 29), 29)).not.toContain('update-overdue');
    const late = detectPitfalls(talk(i, 30), DEFAULT_CADENCE[2], at(30));
    expect(late.map((p) => p.code)).toEqual(['update-overdue']);
    expect(late[0]!.message).toContain('the last was 30m ago (every 20–30 minutes for SEV-2)');
  });

  it('resolved incidents raise nothing', () => {
    expect(codes(incident({ status: 'resolved', resolvedAt: at(5), roles: [] }), 90)).toEqual([]);
  });
});

describe('update cadence', () => {
  const i = incident();
  it('ok, due at 20 minutes, overdue at 30, measured from the last update', () => {
    expect(updateStatus(i, DEFAULT_CADENCE[2], at(19)).state).toBe('ok');
    expect(updateStatus(i, DEFAULT_CADENCE[2], at(20))).toMatchObject({
      state: 'due',
      dueAt: at(20),
      overdueAt: at(30),
      lastAt: T0,
    });
    expect(updateStatus(i, DEFAULT_CADENCE[2], at(30)).state).toBe('overdue');
    const updated = apply(i, { timeline: [{ at: at(25), type: 'update', text: 'rolling back', author: 'alice' }] });
    expect(updateStatus(updated, DEFAULT_CADENCE[2], at(30))).toMatchObject({ state: 'ok', dueAt: at(45) });
  });

  it('none for SEV-3/4 by default and once resolved', () => {
    expect(updateStatus(incident({ severity: 3 }), DEFAULT_CADENCE[3], at(90)).state).toBe('none');
    expect(updateStatus(incident({ status: 'resolved' }), DEFAULT_CADENCE[2], at(90)).state).toBe('none');
  });
});
