/** Corrections of the record, decided purely: `ir incident edit`, `log --amend`, `role --remove`. */
import { describe, expect, it } from 'vitest';
import { planAmend, planEdit, planRoleRemove } from '../../src/incident/edit.js';
import type { UsageError } from '../../src/errors.js';
import { planDismiss, planLog, planResolve, planRole } from '../../src/incident/lifecycle.js';
import { apply, at, incident, T0 } from '../incident/fixtures.js';

const tz = 'UTC';

describe('planEdit', () => {
  it('records each changed field with its old value, who and when, and says so in the timeline', () => {
    const i = incident({ service: 'api', title: 'API slow' });
    const change = planEdit(i, { title: '  API   latency ', severity: 1, service: 'api' }, at(10), 'bob', tz);
    expect(change.patch).toEqual({ title: 'API latency', severity: 1 });
    expect(change.edits).toEqual([
      { field: 'title', entryId: null, from: 'API slow', to: 'API latency', author: 'bob', at: at(10) },
      { field: 'severity', entryId: null, from: 'SEV-2', to: 'SEV-1', author: 'bob', at: at(10) },
    ]);
    expect(change.timeline!.map((e) => [e.type, e.text, e.author])).toEqual([
      ['edited', 'Title: "API slow" → "API latency"', 'bob'],
      ['edited', 'Severity: SEV-2 → SEV-1', 'bob'],
    ]);
  });

  it('clears a field given empty, and keeps what it held', () => {
    const i = incident({ service: 'api', rootCause: 'pool' });
    const change = planEdit(i, { service: '', rootCause: ' ' }, at(10), 'bob', tz);
    expect(change.patch).toEqual({ service: null, rootCause: null });
    expect(change.edits!.map((e) => [e.field, e.from, e.to])).toEqual([
      ['service', 'api', null],
      ['rootCause', 'pool', null],
    ]);
  });

  it('is a no-op when nothing differs', () => {
    expect(planEdit(incident({ title: 'x' }), { title: 'x', severity: 2 }, at(1), 'bob', tz).noop).toMatch(
      /already has those values/,
    );
  });

  it('a given start replaces an estimated one (even at the same instant) and moves the started entry', () => {
    const estimated = incident({ startEstimated: true });
    const same = planEdit(estimated, { startedAt: T0 }, at(5), 'bob', tz);
    expect(same.patch).toEqual({ startedAt: T0, startEstimated: false });
    expect(same.timeline![0]!.text).toContain('(estimated)');

    const withEntry = incident({
      startedAt: at(-10),
      timeline: [
        { id: 1, at: at(-10), type: 'started', text: 'Customer impact started', author: 'alice', recordedAt: T0 },
        { id: 2, at: T0, type: 'declared', text: 'SEV-2 declared', author: 'alice', recordedAt: T0 },
      ],
    });
    const moved = planEdit(withEntry, { startedAt: at(-30) }, at(5), 'bob', tz);
    expect(moved.amend).toEqual([{ entryId: 1, at: at(-30) }]);
    expect(moved.edits![0]).toMatchObject({
      field: 'startedAt',
      from: at(-10).toISOString(),
      to: at(-30).toISOString(),
    });
    // No started entry yet (the start was the declaration): one is added at the given start.
    const added = planEdit(incident({ startEstimated: true }), { startedAt: at(-20) }, at(5), 'bob', tz);
    expect(added.timeline!.find((e) => e.type === 'started')?.at).toEqual(at(-20));
  });

  it('refuses times out of order, naming the flag', () => {
    const i = incident({ startedAt: at(-10), detectedAt: at(-5) });
    expect(() => planEdit(i, { startedAt: at(-1) }, at(5), 'bob', tz)).toThrow(
      /^--started-at: INC-1 would be detected/,
    );
    expect(() => planEdit(i, { detectedAt: at(-20) }, at(5), 'bob', tz)).toThrow(/^--detected-at:/);
    const resolved = apply(i, planResolve(i, { at: at(3) }, 'alice', tz));
    expect(() => planEdit(resolved, { detectedAt: at(4) }, at(5), 'bob', tz)).toThrow(
      /^--detected-at: INC-1 was mitigated at 2026-11-26 14:26:00 UTC/,
    );
    expect(() => planEdit(i, { title: '  ' }, at(5), 'bob', tz)).toThrow(/^--title: empty title/);
  });
});

describe('planAmend', () => {
  const logged = () => apply(incident(), planLog({ at: at(2), type: 'finding', text: 'Pool at 98/100' }, 'carol'));

  it('corrects a logged entry and keeps its old text in the history and the timeline', () => {
    const i = logged();
    const entry = i.timeline.find((e) => e.type === 'finding')!;
    const change = planAmend(i, `#${entry.id}`, 'Pool at 100/100', at(5), 'bob');
    expect(change.amend).toEqual([{ entryId: entry.id, text: 'Pool at 100/100' }]);
    expect(change.edits).toEqual([
      { field: 'entry', entryId: entry.id, from: 'Pool at 98/100', to: 'Pool at 100/100', author: 'bob', at: at(5) },
    ]);
    const after = apply(i, change);
    expect(after.timeline.find((e) => e.id === entry.id)).toMatchObject({ text: 'Pool at 100/100', at: at(2) });
    expect(after.timeline.at(-1)).toMatchObject({
      type: 'amended',
      text: `Entry #${entry.id} amended; it said: "Pool at 98/100"`,
      author: 'bob',
    });
    expect(planAmend(after, String(entry.id), 'Pool at 100/100', at(6), 'bob').noop).toMatch(/already says that/);
  });

  it("refuses ir's own entries, unknown ids and empty text", () => {
    const i = logged();
    expect(() => planAmend(i, '1', 'x', at(5), 'bob')).toThrow(/entry #1 is a declared entry written by ir/);
    expect(() => planAmend(i, '99', 'x', at(5), 'bob')).toThrow(/"99" is not an entry of INC-1.*logged entries: #2/);
    expect(() => planAmend(i, 'abc', 'x', at(5), 'bob')).toThrow(/--amend/);
    expect(() => planAmend(i, '2', '  ', at(5), 'bob')).toThrow(/empty entry/);
  });
});

describe('planRoleRemove', () => {
  const staffed = () => {
    let i = incident();
    i = apply(i, planRole(i, 'sme', 'bob', at(1), 'alice', tz));
    i = apply(i, planRole(i, 'scribe', 'bob', at(1), 'alice', tz));
    return apply(i, planRole(i, 'sme', 'carol', at(2), 'alice', tz));
  };

  it('ends one role and leaves the person’s others', () => {
    const i = staffed();
    const change = planRoleRemove(i, 'sme', '@Bob', at(5), 'alice', tz);
    const after = apply(i, change);
    expect(after.roles.filter((r) => r.leftAt === null).map((r) => `${r.role}:${r.person}`)).toEqual([
      'commander:alice',
      'scribe:bob',
      'sme:carol',
    ]);
    expect(change.timeline![0]!.text).toBe('bob leaves the subject-matter expert role (still scribe)');
  });

  it('takes the only holder when no person is named, and asks when several hold it', () => {
    const i = staffed();
    expect(planRoleRemove(i, 'scribe', undefined, at(5), 'alice', tz).timeline![0]!.text).toMatch(/^bob leaves/);
    expect(() => planRoleRemove(i, 'sme', undefined, at(5), 'alice', tz)).toThrow(
      /2 people are subject-matter experts of INC-1 \(bob, carol\)/,
    );
    expect(() => planRoleRemove(i, 'sme', 'dave', at(5), 'alice', tz)).toThrow(/dave is not a subject-matter expert/);
    expect(() => planRoleRemove(i, 'commander', 'alice', at(5), 'alice', tz)).toThrow(/always has one/);
    expect(() => planRoleRemove(i, 'deputy', undefined, at(5), 'alice', tz)).toThrow(/nobody holds that role/);
  });
});

describe('the commander cannot leave without a successor', () => {
  const hintOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      return (e as UsageError).hint;
    }
    return 'no error';
  };

  it('the hint hands over with --handoff, since taking command from its holder without it is refused', () => {
    const i = apply(incident(), planRole(incident(), 'sme', 'bob', at(1), 'alice', tz));
    const hints = [
      hintOf(() => planRoleRemove(i, 'commander', 'alice', at(5), 'alice', tz)),
      hintOf(() => planDismiss(i, 'alice', at(5), 'alice', tz)),
    ];
    for (const hint of hints) expect(hint).toMatch(/ir incident role INC-1 ic <person> --handoff$/);
    // What the hint says works; the same without --handoff does not.
    expect(() => planRole(i, 'commander', 'bob', at(5), 'alice', tz)).toThrow(/alice is incident commander/);
    expect(planRole(i, 'commander', 'bob', at(5), 'alice', tz, { handoff: true }).timeline![0]!.text).toBe(
      'IC handoff: alice → bob',
    );
  });
});
