/**
 * What the posts a command made mean for its exit code — the one place this is decided, for every
 * command that posts (declare, incident update/resolve/notify, change record/exec, alert ingest,
 * oncall handoff, notify --retry). Pure.
 */
import { ExitCode } from '../errors.js';
import type { ConfigProblem } from '../store/incidents.js';

export interface PostOutcome {
  ok: boolean;
  /** Not attempted because of the configuration (see Delivery.configProblem). */
  configProblem?: ConfigProblem | null;
}

/**
 * 0 when every post was delivered; 3 when any failed for an external reason (an HTTP error, no
 * answer) — the service is what to look at, even if another post also had a configuration
 * problem; else 2 when a post could not be attempted because of the configuration (a variable
 * unset, a channel removed from ir.yaml). What the posts announce is recorded in every case.
 */
export function postsExitCode(posts: readonly PostOutcome[]): number {
  if (posts.some((p) => !p.ok && !p.configProblem)) return ExitCode.external;
  if (posts.some((p) => !p.ok)) return ExitCode.usage;
  return ExitCode.ok;
}

/** What to do about a post not attempted because of the configuration; `resend` the command that re-sends it. */
export function configFix(problem: ConfigProblem, channel: string, resend: string): string {
  return problem === 'unset'
    ? `set it in the environment ir runs in, then re-send with: ${resend}`
    : problem === 'invalid'
      ? `set it to the channel's https:// URL in the environment ir runs in, then re-send with: ${resend}`
      : `add channel "${channel}" back to ir.yaml, then re-send with: ${resend}`;
}
