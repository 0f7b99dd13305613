/**
 * An escalation policy resolved to people at a moment: which level pages whom, from which minute.
 * A `type: schedule` target names a layer of a schedule — "Primary On-Call" / "Secondary On-Call"
 * (the policy's `schedule:`, or the only schedule), or "<schedule> primary|secondary". Pure.
 */
import { whoAt } from './rotation.js';
import type { EscalationPolicy, LayerName, Schedule } from './types.js';

export interface ResolvedTarget {
  type: 'schedule' | 'user';
  name: string;
  schedule?: string;
  layer?: LayerName;
  /** Who gets paged; a user target is its own name; null when the layer is empty then. */
  person: string | null;
  /** Why a schedule target resolves to nobody: it names no schedule layer (see `ir oncall lint`). */
  problem?: string;
  /** The target's line in the policy file. */
  line?: number;
}

export interface EscalationStep {
  level: number;
  startMinute: number;
  endMinute: number;
  targets: ResolvedTarget[];
}

export interface EscalationPlan {
  policy: string;
  file: string;
  at: number;
  repeatCount: number;
  /** Minutes one pass through the levels takes. */
  cycleMinutes: number;
  /** Minutes until the policy gives up (all passes). */
  totalMinutes: number;
  levels: EscalationStep[];
  /** Start minute of every pass: the first, then one per repeat. */
  passes: number[];
  /** The passes after the first, each resolved at its own minutes (a handoff can fall in between). */
  repeats: { startMinute: number; levels: EscalationStep[] }[];
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[-_/:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The schedule layer a target name means, or a message saying why there is none. */
export function resolveScheduleTarget(
  name: string,
  policy: Pick<EscalationPolicy, 'schedule'>,
  schedules: Schedule[],
): { schedule: Schedule; layer: LayerName } | { error: string } {
  const words = norm(name.replace(/on[\s-]?call/gi, ' '))
    .split(' ')
    .filter(Boolean);
  const layer: LayerName = words.includes('secondary') ? 'secondary' : 'primary';
  const rest = words.filter((w) => w !== 'primary' && w !== 'secondary').join(' ');
  const known = schedules.map((s) => s.name).join(', ') || '(none)';
  let schedule: Schedule | undefined;
  if (rest) {
    schedule = schedules.find((s) => norm(s.name) === rest);
    if (!schedule) return { error: `"${name}" names no schedule; known schedules: ${known}` };
  } else if (policy.schedule !== undefined) {
    schedule = schedules.find((s) => norm(s.name) === norm(policy.schedule!));
    if (!schedule)
      return { error: `escalation_policy.schedule "${policy.schedule}" names no schedule; known schedules: ${known}` };
  } else if (schedules.length === 1) {
    schedule = schedules[0]!;
  } else if (schedules.length === 0) {
    return { error: `"${name}" names a schedule layer, but there is no valid schedule to take it from` };
  } else {
    return {
      error: `"${name}" is ambiguous with ${schedules.length} schedules (${known}); write "<schedule> ${layer}" or set escalation_policy.schedule`,
    };
  }
  if (layer === 'secondary' && !schedule.eras.some((e) => e.secondary)) {
    return { error: `"${name}": schedule ${schedule.name} has no secondary layer` };
  }
  return { schedule, layer };
}

/** Problems with a policy's targets (for `ir oncall lint`), with their lines. */
export function policyProblems(policy: EscalationPolicy, schedules: Schedule[]): { line: number; message: string }[] {
  const out: { line: number; message: string }[] = [];
  policy.levels.forEach((l, i) =>
    l.targets.forEach((t, j) => {
      if (t.type !== 'schedule') return;
      const r = resolveScheduleTarget(t.name, policy, schedules);
      if ('error' in r) out.push({ line: policy.targetLines[i]?.[j] ?? 1, message: r.error });
    }),
  );
  return out;
}

/** Each level's window (from `offset`, the pass's first minute) and whom it pages when it starts. */
function resolveLevels(policy: EscalationPolicy, schedules: Schedule[], at: number, offset: number): EscalationStep[] {
  let minute = offset;
  return policy.levels.map((l, levelIndex) => {
    const startMinute = minute;
    minute += l.timeoutMinutes;
    const when = at + startMinute * 60_000;
    const targets = l.targets.map((t, j): ResolvedTarget => {
      if (t.type === 'user') return { type: 'user', name: t.name, person: t.name };
      const r = resolveScheduleTarget(t.name, policy, schedules);
      if ('error' in r)
        return {
          type: 'schedule',
          name: t.name,
          person: null,
          problem: r.error,
          line: policy.targetLines[levelIndex]?.[j] ?? 1,
        };
      const now = whoAt(r.schedule, when);
      return {
        type: 'schedule',
        name: t.name,
        schedule: r.schedule.name,
        layer: r.layer,
        person: now[r.layer]?.person ?? null,
      };
    });
    return { level: l.level, startMinute, endMinute: minute, targets };
  });
}

/**
 * The policy at instant `at`: each level's window and whom it pages (resolved when it starts).
 * A repeat pages the layers again at its own minutes, so a handoff during the escalation changes
 * who a repeat reaches: `repeats` holds every pass after the first, resolved the same way.
 */
export function escalationPlan(policy: EscalationPolicy, schedules: Schedule[], at: number): EscalationPlan {
  const levels = resolveLevels(policy, schedules, at, 0);
  const cycle = levels.at(-1)?.endMinute ?? 0;
  const passes = Array.from({ length: policy.repeatCount + 1 }, (_, i) => i * cycle);
  return {
    policy: policy.name,
    file: policy.file,
    at,
    repeatCount: policy.repeatCount,
    cycleMinutes: cycle,
    totalMinutes: cycle * passes.length,
    levels,
    passes,
    repeats: passes
      .slice(1)
      .map((startMinute) => ({ startMinute, levels: resolveLevels(policy, schedules, at, startMinute) })),
  };
}
