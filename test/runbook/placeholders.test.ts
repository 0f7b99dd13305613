/** Placeholders become variables; transcripts of other programs are samples, not shell. */
import { describe, expect, it } from 'vitest';
import { isTranscript, parseRunbook } from '../../src/runbook/parse.js';
import { fillPlaceholders, varName } from '../../src/runbook/placeholders.js';
import { collectNeeds } from '../../src/runbook/vars.js';

describe('placeholders', () => {
  it.each([
    ['kubectl logs <POD_NAME> -n <namespace>', 'kubectl logs "${POD_NAME}" -n "${NAMESPACE}"'],
    ['oc get pods -n [NAMESPACE]', 'oc get pods -n "${NAMESPACE}"'],
    ['kubectl -n {{ .namespace }} get pods', 'kubectl -n "${NAMESPACE}" get pods'],
    ['curl "https://<host-name>/health"', 'curl "https://${HOST_NAME}/health"'],
    ['redis-cli -h <redis host> ping', 'redis-cli -h "${REDIS_HOST}" ping'],
  ])('%s → %s', (cmd, want) => expect(fillPlaceholders(cmd).command).toBe(want));

  it.each([
    'cat <<EOF\nx\nEOF',
    'diff <(a) <(b)',
    'if [[ -z "$X" ]]; then echo; fi',
    "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{end}}'",
    'docker ps --format {{.Names}}',
    'grep -E "[A-Z]+" file',
    'sort < input.txt > out.txt',
    'echo ${ARR[0]}',
  ])('%s is left alone', (cmd) => {
    expect(fillPlaceholders(cmd)).toEqual({ command: cmd, placeholders: [] });
  });

  it('one inside single quotes is kept and reported as not filled', () => {
    expect(fillPlaceholders('jq \'.items[] | select(.name == "<name>")\'').placeholders).toEqual([
      { written: '<name>', name: 'NAME', filled: false },
    ]);
  });

  it('names: camelCase, dashes and template paths', () => {
    expect(varName('podName')).toBe('POD_NAME');
    expect(varName('Values.image-tag')).toBe('IMAGE_TAG');
  });

  it('a runbook step with placeholders needs those variables (asked on a terminal, --var in CI)', () => {
    const rb = parseRunbook('# R\n## Diagnosis\n```bash\nkubectl logs <POD_NAME> -n [NAMESPACE]\n```\n', 'r.md', 'r');
    expect(rb.steps[0]!.command).toBe('kubectl logs "${POD_NAME}" -n "${NAMESPACE}"');
    expect(rb.steps[0]!.placeholders?.map((p) => p.name)).toEqual(['POD_NAME', 'NAMESPACE']);
    expect(collectNeeds(rb).map((n) => n.name)).toEqual(['POD_NAME', 'NAMESPACE']);
  });
});

describe('transcripts', () => {
  it.each([
    ['> slowlog get 10\n1) 1) (integer) 14'],
    ['redis> INFO memory\n# Memory\nused_memory:1024'],
    ['127.0.0.1:6379> ping\nPONG'],
    ['db=# select 1;\n ?column?\n----------\n        1'],
    ['postgres=> \\dt'],
    ['mysql> show processlist;'],
  ])('%s is a sample', (body) => {
    expect(isTranscript(body)).toBe(true);
    const rb = parseRunbook(`# R\n## Diagnosis\n\`\`\`bash\n${body}\n\`\`\`\n`, 'r.md', 'r');
    expect(rb.steps).toHaveLength(0);
    expect(rb.shownBlocks).toEqual([{ lang: 'transcript', line: 3 }]);
  });

  it('shell is not a transcript: $ prompts run, continuation lines continue', () => {
    expect(isTranscript('$ redis-cli ping\nPONG')).toBe(false);
    expect(isTranscript('kubectl get pods \\\n> -n prod')).toBe(false);
    expect(isTranscript('echo a > b.txt')).toBe(false);
  });
});

describe('Runme notebooks', () => {
  it('name over id, excludeFromRunAll, options ir does not honour reported', async () => {
    const { readFileSync } = await import('node:fs');
    const { decideStep } = await import('../../src/runbook/safety.js');
    const text = readFileSync(new URL('../fixtures/wild/runme-notebook.md', import.meta.url), 'utf8');
    const rb = parseRunbook(text, 'runme.md', 'runme');
    expect(rb.steps.map((s) => s.id)).toEqual(['echo', 'cleanup', 'server']);
    const cleanup = rb.steps[1]!;
    expect(decideStep(cleanup, { interactive: false, allowMitigations: true, picked: false })).toMatchObject({
      action: 'skip',
      decidedBy: 'author',
    });
    expect(rb.warnings?.map((w) => w.message)).toEqual([
      'Runme background=true is ignored: ir waits for every step to finish',
    ]);
  });
});
