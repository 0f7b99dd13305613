/** The runbook step classifier as tests use it: a step made of one command, judged as a run would. */
import { beforeAll } from 'vitest';
import { loadJudges } from '../../src/runbook/classify.js';
import type { Verdict } from '../../src/runbook/effect.js';
import type { Step } from '../../src/runbook/types.js';

/** A diagnosis step holding `command` (shell unless `lang` says otherwise). */
export const step = (command: string, lang: Step['lang'] = 'shell'): Step => ({
  id: 's',
  index: 1,
  title: 's',
  heading: 'Diagnosis',
  kind: 'diagnosis',
  section: 'diagnosis',
  lang,
  command,
  notes: [],
  expectations: [],
  onFail: [],
  line: 1,
});

/**
 * The judge, loaded (with its shell, PostgreSQL and MySQL parsers) before the calling file's tests:
 * `shell('cmd')` and `sql('select 1')` give the verdict, `readOnly` the runbook's declared reads.
 */
export function useJudge(): {
  shell: (cmd: string, readOnly?: string[]) => Verdict;
  sql: (q: string) => Verdict;
} {
  let judge: (s: Step, readOnly: readonly string[]) => Verdict;
  beforeAll(async () => {
    judge = await loadJudges([step('true'), step('select 1', 'sql'), step("mysql -e 'select 1'")]);
  });
  return {
    shell: (cmd, readOnly = []) => judge(step(cmd), readOnly),
    sql: (q) => judge(step(q, 'sql'), []),
  };
}
