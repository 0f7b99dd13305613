import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse.js';
import { collectNeeds, display, findAssigned, findRefs, parseVarFlags, resolveVars } from '../../src/runbook/vars.js';

describe('findRefs', () => {
  it('finds $NAME and ${NAME:-default}, not inside single quotes or lower-case', () => {
    expect(findRefs('redis-cli -h "$REDIS_HOST" -p ${REDIS_PORT:-6379} echo \'$NOT\' $lower \\$ESC')).toEqual([
      { name: 'REDIS_HOST', hasInlineDefault: false },
      { name: 'REDIS_PORT', hasInlineDefault: true },
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
    expect(
      display('echo $TOKEN ${NAMESPACE} ${AUTH_URL:-http://x} $UNSET', new Map(d.resolved.map((v) => [v.name, v]))),
    ).toBe('echo ****** prod http://x $UNSET');
  });
  it('parses --var flags and names bad ones', () => {
    expect(parseVarFlags(['A=1', 'B=x=y', 'C='])).toEqual({ vars: { A: '1', B: 'x=y', C: '' }, problems: [] });
    expect(parseVarFlags(['=1', 'no-equals']).problems).toHaveLength(2);
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
    display(command, new Map([['X', { name: 'X', value, source: 'flag' as const, secret: false }]]));
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
