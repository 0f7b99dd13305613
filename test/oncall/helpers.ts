import { parseOncallFile } from '../../src/oncall/file.js';
import type { EscalationPolicy, Schedule } from '../../src/oncall/types.js';

/** A schedule from YAML text, named after `file`. */
export function schedule(text: string, file = 'team.yaml'): Schedule {
  const f = parseOncallFile(text, file);
  if (f.kind !== 'schedule') throw new Error(`${file} is not a schedule`);
  return f.schedule;
}

export function policy(text: string, file = 'policy.yaml'): EscalationPolicy {
  const f = parseOncallFile(text, file);
  if (f.kind !== 'policy') throw new Error(`${file} is not a policy`);
  return f.policy;
}

/** A compact-form schedule. */
export function compact(opts: {
  zone: string;
  start: string;
  shift: string;
  handoff: string;
  roster: string[];
  offset?: number;
  extra?: string;
}): Schedule {
  return schedule(
    [
      `timezone: ${opts.zone}`,
      `start: ${opts.start}`,
      `shift_length: ${opts.shift}`,
      `handoff_time: "${opts.handoff}"`,
      `roster: [${opts.roster.join(', ')}]`,
      ...(opts.offset ? [`secondary_offset: ${opts.offset}`] : []),
      opts.extra ?? '',
    ].join('\n'),
  );
}

export const Z = (s: string): number => Date.parse(s);
export const H = 3_600_000;
