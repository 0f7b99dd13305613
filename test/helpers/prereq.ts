/**
 * Prerequisites a test needs from outside the repository (a program, the runbook corpus). On a
 * laptop or a fresh clone a missing one skips the test loudly; under CI it is a failure, so CI
 * always exercises the real thing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Not from ./cli.js: this file is also loaded by global setup, where vitest itself cannot be imported.
const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** CI is set (and not "false" or "0"), as CI services and .ci/run set it. */
export function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** A missing prerequisite: under CI throws (the test fails, saying what is missing); otherwise warns and returns the reason to skip. */
export function skipUnlessCI(missing: string): string {
  if (inCI()) throw new Error(`CI is set and ${missing}`);
  process.stderr.write(`\n*** SKIPPING: ${missing} ***\n\n`);
  return missing;
}

/**
 * The corpus of real-world runbooks and alert rules (prometheus-operator/runbooks and its rule
 * files), kept outside the repository: IR_CORPUS_DIR, or ../shared/corpus beside the checkout.
 */
export const CORPUS = process.env.IR_CORPUS_DIR
  ? resolve(process.env.IR_CORPUS_DIR)
  : resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const CORPUS_RUNBOOKS = join(CORPUS, 'prometheus-operator-runbooks', 'content', 'runbooks');
export const CORPUS_RULES = join(CORPUS, 'prometheus-rules');

/** Undefined when the corpus is there; else the reason to skip (or, under CI, a failure). */
export function corpusOrSkip(): string | undefined {
  if (existsSync(CORPUS_RUNBOOKS) && existsSync(CORPUS_RULES)) return undefined;
  return skipUnlessCI(
    `the runbook corpus is not at ${CORPUS} (prometheus-operator-runbooks/content/runbooks and prometheus-rules/); set IR_CORPUS_DIR to its directory`,
  );
}
