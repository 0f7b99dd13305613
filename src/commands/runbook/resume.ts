/** `ir runbook resume <run>`: `ir runbook --resume <run>`, with the run number as an argument. */
import type { Context } from '../../context.js';
import { run as runRunbook } from './run.js';
import { parseRunNumber, type ResumeFlags } from './spec.js';

export async function run(ctx: Context, flags: ResumeFlags, runText: string): Promise<number> {
  return runRunbook(ctx, { ...flags, resume: parseRunNumber(runText, '<run>') });
}
