/** Placeholders become variables; transcripts of other programs are samples, not shell. */
import { describe, expect, it } from 'vitest';
import { isTranscript, parseRunbook } from '../../src/runbook/parse.js';
import { fillPlaceholders, fillSqlPlaceholders, psqlSetLines, varName } from '../../src/runbook/placeholders.js';
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

describe('placeholders in SQL become psql variables', () => {
  it.each([
    ['SELECT pg_terminate_backend(<PID>);', "SELECT pg_terminate_backend(:'PID');"],
    [
      "SELECT * FROM pg_stat_activity WHERE usename = '<USER>';",
      "SELECT * FROM pg_stat_activity WHERE usename = :'USER';",
    ],
    ['SELECT count(*) FROM <TABLE_NAME>;', 'SELECT count(*) FROM :"TABLE_NAME";'],
    ['SELECT * FROM public.<table> LIMIT 5;', 'SELECT * FROM public.:"TABLE" LIMIT 5;'],
    ['select 1 from "<schema>".t join [ORDERS] o on true', 'select 1 from :"SCHEMA".t join :"ORDERS" o on true'],
    ['SELECT {{ .limit }} AS n', "SELECT :'LIMIT' AS n"],
  ])('%s → %s', (sql, want) => {
    const r = fillSqlPlaceholders(sql);
    expect(r.command).toBe(want);
    expect(r.placeholders.every((p) => p.filled)).toBe(true);
  });

  it.each([
    'SELECT a <> b, a < b, x<y AND y>z FROM t',
    'SELECT arr[1], ARRAY[ID] FROM t',
    "SELECT '<b>html</b>'::text",
    '-- run with <PID> from the query above\nSELECT 1',
    '/* <TABLE> */ SELECT 1',
  ])('%s has none', (sql) => {
    const r = fillSqlPlaceholders(sql);
    expect(r.command).toBe(sql);
    expect(r.placeholders.filter((p) => p.filled)).toEqual([]);
  });

  it('a placeholder in part of a literal or a $$ body is reported, not filled', () => {
    const r = fillSqlPlaceholders("SELECT * FROM t WHERE name LIKE '%<NAME>%'; DO $$ BEGIN PERFORM <X>; END $$;");
    expect(r.command).toBe("SELECT * FROM t WHERE name LIKE '%<NAME>%'; DO $$ BEGIN PERFORM <X>; END $$;");
    expect(r.placeholders).toEqual([
      { written: '<NAME>', name: 'NAME', filled: false },
      { written: '<X>', name: 'X', filled: false },
    ]);
  });

  it('a SQL step needs its placeholders as variables, each once', () => {
    const rb = parseRunbook(
      "# R\n\n## Check\n\n```sql\nSELECT * FROM <TABLE> WHERE id = <ID> AND owner = '<ID>';\n```\n",
      'r.md',
      'r',
    );
    expect(rb.steps[0]!.command).toBe(`SELECT * FROM :"TABLE" WHERE id = :'ID' AND owner = :'ID';`);
    expect(collectNeeds(rb).map((n) => n.name)).toEqual(['TABLE', 'ID']);
  });

  it("psql's \\set lines carry any value as data: quotes, backslashes, line breaks", () => {
    expect(psqlSetLines(['A', 'B'], { A: "it's", B: 'a\\b\nc' })).toBe("\\set A 'it''s'\n\\set B 'a\\\\b\\nc'\n");
  });
});
