import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import {
  collectNeeds,
  display,
  findAssigned,
  findRefs,
  parseVarFlags,
  resolveVars,
  shownVars,
  unusedVars,
} from '../../src/runbook/vars.js';
import type { Runbook } from '../../src/runbook/types.js';

describe('findRefs', () => {
  it('finds $NAME and ${NAME:-default}, not inside single quotes or lower-case', () => {
    expect(findRefs('redis-cli -h "$REDIS_HOST" -p ${REDIS_PORT:-6379} echo \'$NOT\' $lower \\$ESC')).toEqual([
      { name: 'REDIS_HOST', hasInlineDefault: false, unquoted: false },
      { name: 'REDIS_PORT', hasInlineDefault: true, unquoted: true },
    ]);
  });
  it('finds assignments', () => {
    expect([...findAssigned('NODE_NAME=x\nexport FOO=1; for POD in a b; do :; done')]).toEqual([
      'NODE_NAME',
      'FOO',
      'POD',
    ]);
  });
});

const RB = `---
variables:
  NAMESPACE: {default: prod, description: k8s namespace}
  TOKEN: {description: API token, secret: true}
---
# T
## Diagnosis
\`\`\`bash
kubectl -n $NAMESPACE get pods $POD
curl -H "Authorization: $TOKEN" \${AUTH_URL:-http://localhost}
NODE=$(hostname); echo $NODE $HOME
\`\`\`
`;

describe('unusedVarNames (the --var a runbook never reads)', () => {
  it('counts a lower- or mixed-case variable a step reads, not one it sets itself or never mentions', () => {
    const rb = parseRunbook(
      '# F\n## Check\n```bash\necho "$foo" ${Bar:-x}\nfor pod in a b; do echo $pod; done\n```\n',
      'f.md',
      'f',
    );
    expect(unusedVars(rb, ['foo', 'Bar', 'pod', 'baz', 'FOO'])).toEqual([
      { name: 'pod' },
      { name: 'baz' },
      { name: 'FOO' },
    ]);
    // Asking for values is unchanged: a lower-case name is the step's own, not a runbook variable.
    expect(collectNeeds(rb).map((n) => n.name)).toEqual([]);
  });
});

describe('unusedVars: the variable a mistyped --var was meant to be', () => {
  const rb = parseRunbook(
    '---\nvariables:\n  NAMESPACE: production\n  POD: {}\n---\n# F\n## Check\n```bash\nkubectl -n "$NAMESPACE" logs "$POD" | grep "$pattern"\n```\n',
    'f.md',
    'f',
  );
  it('names a declared or referenced variable a letter or two away, case aside', () => {
    expect(unusedVars(rb, ['NAMESPCE', 'pods', 'PATTERN', 'PGPASSWORD'])).toEqual([
      { name: 'NAMESPCE', meant: 'NAMESPACE' },
      { name: 'pods', meant: 'POD' },
      { name: 'PATTERN', meant: 'pattern' },
      { name: 'PGPASSWORD' },
    ]);
  });
  it('does not offer a variable that was given too', () => {
    expect(unusedVars(rb, ['NAMESPACE', 'NAMESPCE'])).toEqual([{ name: 'NAMESPCE' }]);
  });
});

describe('collectNeeds / resolveVars', () => {
  const rb = parseRunbook(RB, 'x.md', 'x');
  it('collects front-matter and referenced variables; assigned and shell ones are not needed', () => {
    const needs = collectNeeds(rb);
    expect(needs.map((n) => [n.name, n.optional])).toEqual([
      ['NAMESPACE', false],
      ['TOKEN', false],
      ['POD', false],
      ['AUTH_URL', true],
    ]);
  });
  it('a variable named like a built-in property (constructor) is missing, not found on every environment', () => {
    const needs = collectNeeds(
      parseRunbook('---\nvariables:\n  constructor: {description: d}\n---\n# T\n', 'x.md', 'x'),
    );
    const r = resolveVars(needs, {}, { ...process.env });
    expect(r.resolved).toEqual([]);
    expect(r.missing.map((m) => m.name)).toEqual(['constructor']);
  });
  it('--var beats the environment beats the default; missing ones are all listed', () => {
    const needs = collectNeeds(rb);
    const r = resolveVars(needs, { POD: 'api-1' }, { NAMESPACE: 'staging', POD: 'ignored' });
    expect(r.resolved.map((v) => [v.name, v.value, v.source])).toEqual([
      ['NAMESPACE', 'staging', 'env'],
      ['POD', 'api-1', 'flag'],
    ]);
    expect(r.missing.map((m) => m.name)).toEqual(['TOKEN']);
    const d = resolveVars(needs, { TOKEN: 's3cret', POD: 'p' }, {});
    expect(d.resolved.find((v) => v.name === 'NAMESPACE')).toMatchObject({ value: 'prod', source: 'default' });
    expect(display('echo $TOKEN ${NAMESPACE} ${AUTH_URL:-http://x} $UNSET', shownVars(d.resolved, {}))).toBe(
      'echo ****** prod http://x $UNSET',
    );
  });
  it('parses --var flags and names bad ones', () => {
    expect(parseVarFlags(['A=1', 'B=x=y', 'C='])).toEqual({ vars: { A: '1', B: 'x=y', C: '' }, problems: [] });
    expect(parseVarFlags(['=1', 'no-equals']).problems).toHaveLength(2);
  });

  it('a malformed --var is named without what may be its value (a secret typed with : for =)', () => {
    const { problems } = parseVarFlags([
      'DB_PASS:hunter2-xyz',
      '=hunter2-xyz',
      '1DB=hunter2-xyz',
      'hunter2-xyz',
      'FOO',
    ]);
    for (const p of problems) expect(p).not.toContain('hunter2');
    expect(problems).toEqual([
      '--var "DB_PASS:…" (the rest not shown): expected NAME=value with NAME of letters, digits and _',
      '--var "=…" (the rest not shown): expected NAME=value with NAME of letters, digits and _',
      '--var number 3 (not shown: it may be a secret): expected NAME=value with NAME of letters, digits and _',
      '--var number 4 (not shown: it may be a secret): expected NAME=value with NAME of letters, digits and _',
      '--var "FOO": expected NAME=value with NAME of letters, digits and _',
    ]);
  });
  it('--var __proto__=x is kept, and reaches the steps like any --var', () => {
    const { vars } = parseVarFlags(['__proto__=x', 'constructor=y']);
    expect(Object.entries(vars)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(resolveVars([], vars, {}).resolved.map((v) => [v.name, v.value])).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });
  it.each(['BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'PATH', 'IFS', 'PS4'])(
    '--var %s=… is refused, naming it',
    (name) => {
      const r = parseVarFlags([`${name}=/tmp/x`, 'OK=1']);
      expect(r.vars).toEqual({ OK: '1' });
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toContain(`--var ${name}: refused`);
    },
  );
  const shown = (command: string, value: string) =>
    display(command, shownVars([{ name: 'X', value, source: 'flag' as const, secret: false }], {}));
  it.each([
    ['bare, plain', 'echo $X', 'web-1', 'echo web-1'],
    ['bare, hostile', 'echo $X', '$(touch /tmp/p); x', "echo '$(touch /tmp/p); x'"],
    ['bare, with a quote', 'echo ${X}', "it's", "echo 'it'\\''s'"],
    ['in double quotes', 'echo "v=$X"', '`id` "$HOME" \\', 'echo "v=\\`id\\` \\"\\$HOME\\" \\\\"'],
    ['in single quotes (not expanded)', "echo '$X'", 'v', "echo '$X'"],
    ['empty', 'echo $X', '', "echo ''"],
  ])('display quotes a value as the shell would: %s', (_what, command, value, want) => {
    expect(shown(command, value)).toBe(want);
  });
  it('a pasted plan gives the command the value as data', async () => {
    const { spawnSync } = await import('node:child_process');
    for (const value of ['$(echo pwned)', 'a\'b"c', '`echo pwned`; ls', 'x\ny', '*']) {
      for (const command of ['printf %s "$X"', 'printf %s "<${X}>"']) {
        const direct = spawnSync('bash', ['-c', command], { env: { X: value }, encoding: 'utf8' }).stdout;
        const pasted = spawnSync('bash', ['-c', shown(command, value)], { env: {}, encoding: 'utf8' }).stdout;
        expect(pasted).toBe(direct);
      }
    }
  });
});

describe('from_label: variables from the alert', () => {
  const text = [
    '---',
    'variables:',
    '  INSTANCE: { from_label: instance, default: api-0 }',
    '  POD: { from_label: pod, default: none }',
    '  REGION: { from_label: region }',
    '---',
    '# X',
    '## Diagnosis',
    '```bash',
    'echo "$INSTANCE $POD $REGION"',
    '```',
  ].join('\n');
  const rb = parseRunbook(text, 'x.md', 'x');

  it('--var beats the label, which beats the environment, which beats the default', () => {
    expect(rb.problems).toEqual([]);
    const r = resolveVars(
      collectNeeds(rb),
      { REGION: 'eu-1' },
      { INSTANCE: 'from-env', REGION: 'env-region' },
      { instance: 'api-7', region: 'us-2' },
    );
    expect(r.resolved.map((v) => [v.name, v.value, v.source])).toEqual([
      ['INSTANCE', 'api-7', 'alert'],
      ['POD', 'none', 'default'],
      ['REGION', 'eu-1', 'flag'],
    ]);
    expect(resolveVars(collectNeeds(rb), {}, {}, {}).missing.map((m) => m.name)).toEqual(['REGION']);
  });

  it('a from_label that is not a label name is a front matter problem', () => {
    const bad = parseRunbook(text.replace('from_label: pod', 'from_label: "pod name"'), 'x.md', 'x');
    expect(bad.problems.map((p) => p.message)).toEqual([
      'front matter variables: POD.from_label: "pod name" is not a label name; expected one such as instance or pod',
    ]);
  });
});

describe('variable values reach the shell as data', () => {
  const rb = (command: string, variables: Runbook['variables'] = []): Runbook =>
    ({
      name: 'r',
      title: 'r',
      path: 'r.md',
      variables,
      steps: [{ id: 's1', lang: 'shell', command, placeholders: [] }],
    }) as unknown as Runbook;

  it.each([
    ['a[$(touch /tmp/f)0]', '$('],
    ['a[1]', 'subscript'],
    ['$(touch /tmp/f)', '$('],
    ['`touch /tmp/f`', 'backquote'],
    ['${HOME}', '${'],
    ['-o/tmp/f', 'begins with "-"'],
  ])('--var X=%s is refused (%s), quoted or not', (value, why) => {
    for (const cmd of ['curl -s "$X"', 'curl -s $X', '[[ "$X" -gt 5 ]]']) {
      const r = resolveVars(collectNeeds(rb(cmd)), { X: value }, {});
      expect(r.refused).toHaveLength(1);
      expect(r.refused[0]).toContain('--var X');
      expect(r.refused[0]).toContain(why);
      expect(r.refused[0]).toContain('accepted:');
    }
  });

  it('whitespace is refused only where a step expands the variable unquoted', () => {
    const value = '-o/tmp/f file:///etc/hostname'.slice(9);
    expect(resolveVars(collectNeeds(rb('curl -s $URL')), { URL: `x ${value}` }, {}).refused[0]).toContain(
      'outside double quotes',
    );
    expect(resolveVars(collectNeeds(rb('curl -s "$URL"')), { URL: `x ${value}` }, {}).refused).toEqual([]);
    expect(resolveVars(collectNeeds(rb('echo "$MSG"')), { MSG: 'disk full on node-1' }, {}).refused).toEqual([]);
  });

  it('finds the variables of a here-document body whatever quotes it holds, unless its delimiter is quoted', () => {
    const names = (cmd: string) => findRefs(cmd).map((r) => [r.name, r.unquoted]);
    expect(names(`psql <<EOF\nSELECT 1 FROM t WHERE a = '$A' AND b = "\${B}";\nEOF\necho $C`)).toEqual([
      ['A', false],
      ['B', false],
      ['C', true],
    ]);
    expect(names(`psql <<'EOF'\nSELECT '$A';\nEOF\necho "$C"`)).toEqual([['C', false]]);
    expect(names(`psql <<-SQL\n\tSELECT '$A';\n\tSQL\necho $C`)).toEqual([
      ['A', false],
      ['C', true],
    ]);
    expect(names(`cat <<<EOF\necho '$A' $C`)).toEqual([['C', true]]);
    expect(names(`psql <<EOF\nSELECT '\\$A';\nEOF`)).toEqual([]);
  });

  it('a value a step hands to a database client may not end a string or a statement of its query', () => {
    const steps = [
      `psql -c "SELECT * FROM pg_stat_activity WHERE usename = '$DB_USER'"`,
      `mysql -e "SHOW PROCESSLIST" -h "$DB_USER"`,
      `psql <<EOF\nSELECT count(*) FROM orders WHERE region = '$DB_USER';\nEOF`,
    ];
    for (const cmd of steps) {
      for (const value of [
        "x'; DELETE FROM orders; --",
        'x"; DROP TABLE t',
        'a\\b',
        'x /* y',
        'x -- y',
        'a\nb',
        'x#y',
      ]) {
        const r = resolveVars(collectNeeds(rb(cmd)), { DB_USER: value }, {});
        expect(r.refused, `${cmd} with ${JSON.stringify(value)}`).toHaveLength(1);
        expect(r.refused[0]).toMatch(/--var DB_USER: refused: .* a step runs (psql|mysql) with \$DB_USER/);
      }
      // Names, hosts, dates and numbers pass.
      for (const value of ['app_user', 'db-1.internal', '2026-12-07', '42', 'eu west'])
        expect(resolveVars(collectNeeds(rb(cmd)), { DB_USER: value }, {}).refused, value).toEqual([]);
    }
    // A step that runs no database client keeps the general rules.
    expect(resolveVars(collectNeeds(rb('echo "$MSG"')), { MSG: "it's down; again" }, {}).refused).toEqual([]);
  });

  it('alert labels and front-matter defaults are checked and named', () => {
    const book = rb('kubectl get pod "$POD" -n $NS', [
      { name: 'POD', fromLabel: 'pod' },
      { name: 'NS', default: 'prod ns' },
    ] as Runbook['variables']);
    const r = resolveVars(collectNeeds(book), {}, {}, { pod: '--kubeconfig=/tmp/k' });
    expect(r.refused.join('\n')).toContain("POD (from the alert's label pod)");
    expect(r.refused.join('\n')).toContain('NS (front-matter default)');
  });

  it("a value from the environment ir runs in is the operator's own", () => {
    expect(resolveVars(collectNeeds(rb('curl $URL')), {}, { URL: '-v https://x' }).refused).toEqual([]);
  });

  it('a secret value is not shown in the refusal', () => {
    const r = resolveVars(collectNeeds(rb('psql -c "$Q"')), { API_TOKEN: '-secret-value' }, {});
    expect(r.refused[0]).toContain('--var API_TOKEN');
    expect(r.refused[0]).not.toContain('secret-value');
  });

  it('front-matter variables may not set names --var may not set', () => {
    for (const name of ['BASH_ENV', 'CURL_HOME', 'GIT_CONFIG_GLOBAL', 'PSQLRC', 'KUBECONFIG', 'WGETRC']) {
      const book = rb('true', [{ name, default: '/tmp/evil' }] as Runbook['variables']);
      const r = resolveVars(collectNeeds(book), {}, {});
      expect(r.refused[0]).toContain(`${name} (front-matter default): refused`);
      expect(parseVarFlags([`${name}=/tmp/x`]).problems[0]).toContain('refused');
    }
  });
});
