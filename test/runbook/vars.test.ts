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
});
