import { describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../src/errors.js';
import { formatLocal } from '../../src/time/instant.js';
import {
  lastStatusChangeAt,
  planDeclare,
  planDismiss,
  planLog,
  planReopen,
  planResolve,
  planRole,
  planSeverity,
  planStatus,
  planUpdate,
} from '../../src/incident/lifecycle.js';
import { activeResponders, holderOf } from '../../src/incident/model.js';
import { apply, at, fromDraft, incident, T0 } from './fixtures.js';

const usage = (fn: () => unknown, message: RegExp) => {
  expect(fn).toThrow(UsageError);
  expect(fn).toThrow(message);
};

describe('declare', () => {
  it('defaults: started = detected = now, the declarer is IC, whole traffic affected', () => {
    const d = planDeclare({ title: ' API latency spike ', severity: 2 }, T0, 'alice', 'UTC');
    expect(d).toMatchObject({
      title: 'API latency spike',
      startedAt: T0,
      detectedAt: T0,
      declaredAt: T0,
      commander: 'alice',
      impactFraction: 1,
    });
    expect(d.timeline.map((e) => e.type)).toEqual(['declared']);
    expect(d.timeline[0]!.text).toBe('SEV-2 declared: API latency spike; alice takes the incident commander role');
  });

  it('records the start and detection before the declaration, like a real timeline (started, detected, then declared)', () => {
    const d = planDeclare(
      { title: 'x', severity: 2, startedAt: at(-6), detectedAt: at(-2), commander: '@bob' },
      T0,
      'alice',
      'UTC',
    );
    expect(d.timeline.map((e) => [e.type, e.at])).toEqual([
      ['started', at(-6)],
      ['detected', at(-2)],
      ['declared', T0],
    ]);
    expect(d.commander).toBe('bob');
    expect(d.timeline.at(-1)!.text).toContain('bob is incident commander');
  });

  it('a title is one line: pasted newlines and tabs become single spaces', () => {
    const d = planDeclare({ title: 'DB down\n  after deploy\tv2.3.4\r\n', severity: 2 }, T0, 'alice', 'UTC');
    expect(d.title).toBe('DB down after deploy v2.3.4');
  });

  it('an unset start defaults to the detection time', () => {
    const d = planDeclare({ title: 'x', severity: 3, detectedAt: at(-5) }, T0, 'alice', 'UTC');
    expect(d.startedAt).toEqual(at(-5));
    expect(d.timeline.map((e) => e.type)).toEqual(['started', 'declared']);
  });

  it('refuses a title longer than 255 characters, naming the flag and the limit', () => {
    expect(planDeclare({ title: 'a'.repeat(255), severity: 4 }, T0, 'alice', 'UTC').title).toHaveLength(255);
    usage(
      () => planDeclare({ title: 'a'.repeat(256), severity: 4 }, T0, 'alice', 'UTC'),
      /--title: 256 characters; at most 255 are taken/,
    );
    // Characters, not UTF-16 units: 255 emoji are a title ir takes.
    expect([...planDeclare({ title: '🔥'.repeat(255), severity: 4 }, T0, 'alice', 'UTC').title]).toHaveLength(255);
  });

  it('refuses an empty title and a detection before the start', () => {
    usage(() => planDeclare({ title: '   ', severity: 2 }, T0, 'alice', 'UTC'), /--title: empty title/);
    usage(
      () => planDeclare({ title: 'x', severity: 2, startedAt: at(-1), detectedAt: at(-5) }, T0, 'alice', 'UTC'),
      /--detected-at: .* is before --started-at/,
    );
    usage(() => planDeclare({ title: 'x', severity: 2, commander: '@' }, T0, 'alice', 'UTC'), /--ic: empty name/);
  });
});

describe('status transitions', () => {
  const i = incident();
  it('moves forward, and may skip forward', () => {
    const c = planStatus(i, 'identified', at(10), 'alice', 'UTC');
    expect(c.patch).toEqual({ status: 'identified' });
    expect(c.timeline![0]).toMatchObject({ type: 'status', text: 'Status: investigating → identified', at: at(10) });
    expect(planStatus(i, 'monitoring', at(10), 'alice', 'UTC').patch).toEqual({ status: 'monitoring' });
  });

  it('the same status again changes nothing', () => {
    expect(planStatus(i, 'investigating', at(1), 'alice', 'UTC').noop).toBe('INC-1 is already investigating');
  });

  it('going back needs a reopen', () => {
    const monitoring = incident({ status: 'monitoring' });
    usage(
      () => planStatus(monitoring, 'identified', at(10), 'alice', 'UTC'),
      /moving back to identified needs a reopen/,
    );
    try {
      planStatus(monitoring, 'investigating', at(10), 'alice', 'UTC');
    } catch (e) {
      expect((e as UsageError).hint).toBe('ir incident reopen INC-1 --status investigating');
    }
  });

  it('a resolved incident only closes; closing needs a resolution', () => {
    const resolved = incident({ status: 'resolved', resolvedAt: at(30) });
    usage(
      () => planStatus(resolved, 'monitoring', at(40), 'alice', 'UTC'),
      /INC-1 is resolved; it cannot move to monitoring/,
    );
    expect(planStatus(resolved, 'closed', at(40), 'alice', 'UTC').patch).toEqual({
      status: 'closed',
      closedAt: at(40),
    });
    usage(() => planStatus(i, 'closed', at(40), 'alice', 'UTC'), /only a resolved incident can be closed/);
  });

  it('refuses a time before the start or before the last status change', () => {
    usage(() => planStatus(i, 'identified', at(-1), 'alice', 'UTC'), /--at: .* is before INC-1 started/);
    const identified = apply(i, planStatus(i, 'identified', at(20), 'alice', 'UTC'));
    expect(lastStatusChangeAt(identified)).toEqual(at(20));
    usage(() => planStatus(identified, 'monitoring', at(15), 'alice', 'UTC'), /before INC-1's last status change/);
  });
});

describe('nothing is mitigated or resolved before it was detected', () => {
  // Started an hour before it was noticed: the after-the-fact shape that gave negative times.
  const late = incident({ startedAt: at(-60), detectedAt: T0 });

  it('refuses a status change, a resolution or a mitigation time before the detection, naming the fix', () => {
    usage(() => planStatus(late, 'mitigated', at(-30), 'alice', 'UTC'), /--at: .* is before INC-1 was detected/);
    usage(() => planStatus(late, 'cancelled', at(-30), 'alice', 'UTC'), /--at: .* is before INC-1 was detected/);
    usage(() => planResolve(late, { at: at(-10) }, 'alice', 'UTC'), /--at: .* is before INC-1 was detected/);
    usage(
      () => planResolve(late, { at: at(30), mitigatedAt: at(-5) }, 'alice', 'UTC'),
      /--mitigated-at: .* is before INC-1 was detected/,
    );
    try {
      planResolve(late, { at: at(-10) }, 'alice', 'UTC');
    } catch (e) {
      expect((e as UsageError).hint).toBe(
        'if it was detected earlier, record that first: ir incident edit INC-1 --detected-at "<when>"',
      );
    }
  });

  it('accepts the detection instant itself, and an impact that ended unseen counts as mitigated on detection', () => {
    expect(planStatus(late, 'mitigated', T0, 'alice', 'UTC').patch).toMatchObject({ mitigatedAt: T0 });
    const c = planResolve(late, { at: at(30), impactEndedAt: at(-20) }, 'alice', 'UTC');
    expect(c.patch).toMatchObject({ resolvedAt: at(30), impactEndedAt: at(-20), mitigatedAt: T0 });
    expect(planResolve(late, { at: at(30), impactEndedAt: at(10) }, 'alice', 'UTC').patch!.mitigatedAt).toEqual(at(10));
  });
});

describe('resolve and reopen', () => {
  it('resolves with root cause and mitigation; the timeline says how long it took', () => {
    const c = planResolve(
      incident(),
      { at: at(84), rootCause: 'pool exhaustion', mitigation: 'rollback' },
      'alice',
      'UTC',
    );
    expect(c.patch).toMatchObject({
      status: 'resolved',
      resolvedAt: at(84),
      rootCause: 'pool exhaustion',
      mitigation: 'rollback',
      impactEndedAt: null,
    });
    expect(c.timeline![0]!.text).toBe('Resolved after 1h 24m. Root cause: pool exhaustion. Mitigation: rollback');
  });

  it('refuses resolving a resolved or closed incident', () => {
    usage(
      () => planResolve(incident({ status: 'resolved', resolvedAt: at(10) }), { at: at(20) }, 'alice', 'UTC'),
      /INC-1 is already resolved/,
    );
    usage(() => planResolve(incident({ status: 'closed' }), { at: at(20) }, 'alice', 'UTC'), /INC-1 is already closed/);
  });

  it('refuses resolving a false alarm without saying it was resolved before', () => {
    const cancelled = incident({ status: 'cancelled', closedAt: at(10) });
    const fn = () => planResolve(cancelled, { at: at(20) }, 'alice', 'UTC');
    usage(fn, /^INC-1 was cancelled as a false alarm at .*; a false alarm is not resolved$/);
    expect(fn).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/^if it was a real incident after all/) }),
    );
  });

  it('keeps the customer-impact end inside the incident', () => {
    expect(planResolve(incident(), { at: at(84), impactEndedAt: at(42) }, 'a', 'UTC').patch!.impactEndedAt).toEqual(
      at(42),
    );
    usage(
      () => planResolve(incident(), { at: at(84), impactEndedAt: at(90) }, 'a', 'UTC'),
      /--impact-ended-at: .* is after the resolution/,
    );
    usage(
      () => planResolve(incident(), { at: at(84), impactEndedAt: at(-1) }, 'a', 'UTC'),
      /--impact-ended-at: .* is before INC-1 started/,
    );
  });

  it('reopens to investigating (or an earlier status) and clears the resolution', () => {
    const resolved = apply(incident(), planResolve(incident(), { at: at(30) }, 'alice', 'UTC'));
    const c = planReopen(resolved, 'investigating', at(40), 'bob', 'UTC', 'errors are back');
    expect(c.patch).toEqual({
      status: 'investigating',
      resolvedAt: null,
      closedAt: null,
      impactEndedAt: null,
      rootCause: null,
      mitigation: null,
      mitigatedAt: null,
    });
    expect(c.timeline![0]!.text).toBe('Reopened: resolved → investigating. errors are back');
    expect(planReopen(incident({ status: 'monitoring' }), 'identified', at(5), 'a', 'UTC').patch!.status).toBe(
      'identified',
    );
  });

  it('refuses a reopen that is not a move back', () => {
    usage(
      () => planReopen(incident(), 'investigating', at(5), 'a', 'UTC'),
      /INC-1 is investigating; reopening moves it back to an earlier status and investigating is the first: there is nothing to reopen$/,
    );
    usage(
      () => planReopen(incident({ status: 'identified' }), 'monitoring', at(5), 'a', 'UTC'),
      /reopening moves it back to an earlier status \(investigating\)/,
    );
    usage(
      () => planReopen(incident({ status: 'resolved' }), 'closed', at(5), 'a', 'UTC'),
      /--status: an incident reopens to/,
    );
  });
});

describe('roles', () => {
  it('experts are many; single roles hand off with a recorded history', () => {
    let i = incident();
    i = apply(i, planRole(i, 'sme', '@bob', at(5), 'alice', 'UTC'));
    i = apply(i, planRole(i, 'sme', 'carol', at(6), 'alice', 'UTC'));
    expect(activeResponders(i)).toEqual(['alice', 'bob', 'carol']);
    const handoff = planRole(i, 'commander', 'dana', at(30), 'alice', 'UTC', { handoff: true });
    expect(handoff.timeline![0]!.text).toBe('IC handoff: alice → dana');
    i = apply(i, handoff);
    expect(holderOf(i, 'commander')!.person).toBe('dana');
    expect(i.roles.find((r) => r.person === 'alice')).toMatchObject({
      role: 'commander',
      assumedAt: T0,
      leftAt: at(30),
    });
    expect(planRole(i, 'scribe', 'erin', at(31), 'dana', 'UTC').timeline![0]!.text).toBe('erin takes the scribe role');
  });

  it('taking the command from its holder needs --handoff; without it, exit 1 naming the holder', () => {
    const i = incident();
    let err: unknown;
    try {
      planRole(i, 'commander', 'bob', at(5), 'bob', 'UTC');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).exitCode).toBe(1);
    expect((err as ConflictError).message).toBe(
      `alice is incident commander of INC-1 since ${formatLocal(T0, 'UTC')}; bob did not take over`,
    );
    expect((err as ConflictError).hint).toBe('to hand over, run: ir incident role INC-1 ic bob --handoff');
    // Other one-holder roles still pass from person to person.
    let j = apply(i, planRole(i, 'scribe', 'erin', at(1), 'alice', 'UTC'));
    j = apply(j, planRole(j, 'scribe', 'fred', at(2), 'alice', 'UTC'));
    expect(holderOf(j, 'scribe')!.person).toBe('fred');
  });

  it('assigning a role someone already holds changes nothing', () => {
    expect(planRole(incident(), 'commander', 'Alice', at(1), 'alice', 'UTC').noop).toBe(
      'Alice already is an incident commander of INC-1',
    );
  });

  it('a name is one line, in a role and as the commander at declaration', () => {
    const c = planRole(incident(), 'sme', '@eve\n  mallory', at(1), 'alice', 'UTC');
    expect(c.startRoles).toEqual([expect.objectContaining({ role: 'sme', person: 'eve mallory' })]);
    expect(c.timeline![0]!.text).toBe('eve mallory joins as subject-matter expert');
    expect(planDeclare({ title: 'x', severity: 2, commander: 'a\nb' }, T0, 'alice', 'UTC').commander).toBe('a b');
  });

  it('refuses empty names and handoffs before the previous holder took over', () => {
    usage(() => planRole(incident(), 'sme', ' @ ', at(1), 'a', 'UTC'), /<person>: empty name/);
    usage(
      () => planRole(incident({ startedAt: at(-10) }), 'commander', 'bob', at(-5), 'a', 'UTC'),
      /before alice became incident commander/,
    );
  });

  it('dismissing ends every role the person holds; the IC must hand off first', () => {
    let i = incident();
    i = apply(i, planRole(i, 'sme', 'bob', at(5), 'alice', 'UTC'));
    i = apply(i, planRole(i, 'scribe', 'bob', at(6), 'alice', 'UTC'));
    const c = planDismiss(i, '@Bob', at(20), 'alice', 'UTC');
    expect(c.endRoles).toHaveLength(2);
    expect(c.timeline![0]!.text).toBe('bob dismissed (subject-matter expert, scribe)');
    i = apply(i, c);
    expect(activeResponders(i)).toEqual(['alice']);
    usage(
      () => planDismiss(i, 'alice', at(21), 'alice', 'UTC'),
      /alice is the incident commander of INC-1; hand command/,
    );
    usage(
      () => planDismiss(i, 'bob', at(21), 'alice', 'UTC'),
      /bob holds no role in INC-1; active responders: alice \(commander\)/,
    );
  });
});

describe('timeline entries, updates, severity', () => {
  it('logs typed entries and refuses empty ones', () => {
    expect(planLog({ at: at(3), type: 'finding', text: ' Pool at 98/100 ' }, 'bob').timeline).toEqual([
      { at: at(3), type: 'finding', text: 'Pool at 98/100', author: 'bob' },
    ]);
    usage(() => planLog({ at: at(3), type: 'note', text: '  ' }, 'bob'), /<text>: empty entry/);
  });

  it('updates only open incidents', () => {
    expect(planUpdate(incident(), 'Rollback in progress', at(20), 'alice', 'UTC').timeline![0]!.type).toBe('update');
    usage(
      () => planUpdate(incident({ status: 'resolved' }), 'x', at(20), 'alice', 'UTC'),
      /resolution notification was the last update/,
    );
    usage(() => planUpdate(incident(), ' ', at(20), 'alice', 'UTC'), /--message: empty update/);
  });

  it('escalates and downgrades', () => {
    expect(planSeverity(incident(), 1, at(5), 'a', 'UTC').timeline![0]!.text).toBe('Severity escalated: SEV-2 → SEV-1');
    expect(planSeverity(incident(), 3, at(5), 'a', 'UTC').timeline![0]!.text).toBe(
      'Severity downgraded: SEV-2 → SEV-3',
    );
    expect(planSeverity(incident(), 2, at(5), 'a', 'UTC')).toEqual({ noop: 'INC-1 is already SEV-2' });
  });

  it('changes the severity of open incidents only; after it, a correction goes through ir incident edit', () => {
    for (const status of ['resolved', 'closed', 'cancelled'] as const)
      usage(
        () => planSeverity(incident({ status }), 3, at(5), 'a', 'UTC'),
        new RegExp(`^INC-1 is ${status}: its severity is no longer escalated or downgraded$`),
      );
    expect(planSeverity(incident({ status: 'monitoring' }), 1, at(5), 'a', 'UTC').patch).toEqual({ severity: 1 });
    expect(planSeverity(incident({ status: 'closed' }), 2, at(5), 'a', 'UTC')).toEqual({
      noop: 'INC-1 is already SEV-2',
    });
  });

  it('a whole incident, planned and applied in order', () => {
    let i = fromDraft(planDeclare({ title: 'Payments', severity: 1, startedAt: at(-2) }, T0, 'alice', 'UTC'));
    for (const step of [
      (x: typeof i) => planRole(x, 'sme', 'bob', at(2), 'alice', 'UTC'),
      (x: typeof i) => planStatus(x, 'identified', at(10), 'alice', 'UTC'),
      (x: typeof i) => planStatus(x, 'monitoring', at(20), 'alice', 'UTC'),
      (x: typeof i) => planResolve(x, { at: at(30) }, 'alice', 'UTC'),
      (x: typeof i) => planStatus(x, 'closed', at(60), 'alice', 'UTC'),
    ])
      i = apply(i, step(i));
    expect(i.status).toBe('closed');
    expect(i.timeline.map((e) => e.type)).toEqual([
      'started',
      'declared',
      'role',
      'status',
      'status',
      'resolved',
      'closed',
    ]);
  });
});

describe('refusals quote times in the display zone, not UTC', () => {
  // T0 is 14:23 UTC: 15:23 in Berlin (CET in November), 09:23 in New York (EST).
  const berlin = 'Europe/Berlin';
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('a time before the start, before the last status change, before a handoff or a join', () => {
    const i = incident();
    expect(message(() => planStatus(i, 'identified', at(-1), 'alice', berlin))).toBe(
      '--at: 2026-11-26 15:22:00 CET is before INC-1 started (2026-11-26 15:23:00 CET)',
    );
    const identified = apply(i, planStatus(i, 'identified', at(20), 'alice', berlin));
    expect(message(() => planStatus(identified, 'monitoring', at(15), 'alice', berlin))).toBe(
      "--at: 2026-11-26 15:38:00 CET is before INC-1's last status change (2026-11-26 15:43:00 CET); the lifecycle moves forward in time",
    );
    expect(
      message(() => planRole(incident({ startedAt: at(-10) }), 'commander', 'bob', at(-5), 'a', 'America/New_York')),
    ).toBe('--at: 2026-11-26 09:18:00 EST is before alice became incident commander (2026-11-26 09:23:00 EST)');
    const withSme = apply(i, planRole(i, 'sme', 'bob', at(5), 'alice', berlin));
    expect(message(() => planDismiss(withSme, 'bob', at(2), 'alice', berlin))).toBe(
      '--at: 2026-11-26 15:25:00 CET is before bob joined as sme (2026-11-26 15:28:00 CET)',
    );
    expect(message(() => planUpdate(i, 'x', at(-3), 'alice', berlin))).toMatch(
      /^--at: 2026-11-26 15:20:00 CET is before INC-1 started/,
    );
    expect(message(() => planSeverity(i, 1, at(-3), 'alice', berlin))).toMatch(
      /^--at: 2026-11-26 15:20:00 CET is before/,
    );
    expect(message(() => planReopen(incident({ status: 'resolved' }), 'investigating', at(-3), 'a', berlin))).toMatch(
      /15:20:00 CET is before/,
    );
  });

  it('resolution times and the declaration’s start and detection', () => {
    expect(message(() => planResolve(incident(), { at: at(84), impactEndedAt: at(90) }, 'a', berlin))).toBe(
      '--impact-ended-at: 2026-11-26 16:53:00 CET is after the resolution time 2026-11-26 16:47:00 CET',
    );
    expect(message(() => planResolve(incident(), { at: at(84), impactEndedAt: at(-1) }, 'a', berlin))).toMatch(
      /^--impact-ended-at: 2026-11-26 15:22:00 CET is before INC-1 started \(2026-11-26 15:23:00 CET\)$/,
    );
    expect(
      message(() => planResolve(incident({ status: 'resolved', resolvedAt: at(10) }), { at: at(20) }, 'a', berlin)),
    ).toBe('INC-1 is already resolved (resolved at 2026-11-26 15:33:00 CET)');
    expect(
      message(() =>
        planDeclare({ title: 'x', severity: 2, startedAt: at(-1), detectedAt: at(-5) }, T0, 'alice', berlin),
      ),
    ).toBe(
      '--detected-at: 2026-11-26 15:18:00 CET is before --started-at 2026-11-26 15:22:00 CET; an incident is detected after it starts',
    );
  });

  it('says UTC when the display zone is UTC', () => {
    expect(message(() => planStatus(incident(), 'identified', at(-1), 'alice', 'UTC'))).toBe(
      '--at: 2026-11-26 14:22:00 UTC is before INC-1 started (2026-11-26 14:23:00 UTC)',
    );
  });
});
