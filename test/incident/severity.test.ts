import { describe, expect, it } from 'vitest';
import { parseIncidentId, parseRole, parseSeverity, parseStatus, normalizePerson } from '../../src/incident/model.js';
import { classify, parseUserPercent } from '../../src/incident/severity.js';

describe('classify (defaults: > 50 % or data loss → SEV-1; 10–50 % or critical feature → SEV-2; < 10 % → SEV-3; none → SEV-4)', () => {
  const cases: [string, Parameters<typeof classify>[0], string, string][] = [
    ['51 %', { usersAffectedPercent: 51 }, 'SEV-1', '> 50% of users affected → SEV-1'],
    ['100 %', { usersAffectedPercent: 100 }, 'SEV-1', '> 50% of users affected → SEV-1'],
    ['data loss alone', { dataLoss: true }, 'SEV-1', 'any data loss → SEV-1'],
    ['data loss with 1 %', { usersAffectedPercent: 1, dataLoss: true }, 'SEV-1', 'any data loss → SEV-1'],
    ['exactly 50 %', { usersAffectedPercent: 50 }, 'SEV-2', '10–50% of users affected → SEV-2'],
    ['15 %', { usersAffectedPercent: 15 }, 'SEV-2', '10–50% of users affected → SEV-2'],
    ['exactly 10 %', { usersAffectedPercent: 10 }, 'SEV-2', '10–50% of users affected → SEV-2'],
    ['critical feature down alone', { criticalFeatureDown: true }, 'SEV-2', 'a critical feature down → SEV-2'],
    [
      'critical feature down with 2 %',
      { usersAffectedPercent: 2, criticalFeatureDown: true },
      'SEV-2',
      'a critical feature down → SEV-2',
    ],
    [
      'critical feature down with 70 %',
      { usersAffectedPercent: 70, criticalFeatureDown: true },
      'SEV-1',
      '> 50% of users affected → SEV-1',
    ],
    ['9.99 %', { usersAffectedPercent: 9.99 }, 'SEV-3', '< 10% of users affected → SEV-3'],
    ['0.1 %', { usersAffectedPercent: 0.1 }, 'SEV-3', '< 10% of users affected → SEV-3'],
    ['0 %', { usersAffectedPercent: 0 }, 'SEV-4', 'no customer impact → SEV-4'],
  ];
  it.each(cases)('%s', (_name, input, severity, rule) => {
    const c = classify(input)!;
    expect(c.severity).toBe(severity);
    expect(c.rule).toBe(rule);
    expect(c.reason).not.toBe('');
  });

  it('returns nothing when there is nothing to classify', () => {
    expect(classify({})).toBeUndefined();
    expect(classify({ dataLoss: false, criticalFeatureDown: false })).toBeUndefined();
  });

  it('uses configured thresholds in decisions and in the rule text', () => {
    const t = { sev1AbovePercent: 30, sev2FromPercent: 5 };
    expect(classify({ usersAffectedPercent: 31 }, t)).toMatchObject({
      severity: 'SEV-1',
      rule: '> 30% of users affected → SEV-1',
    });
    expect(classify({ usersAffectedPercent: 5 }, t)).toMatchObject({
      severity: 'SEV-2',
      rule: '5–30% of users affected → SEV-2',
    });
    expect(classify({ usersAffectedPercent: 4 }, t)).toMatchObject({ severity: 'SEV-3' });
  });
});

describe('parsers', () => {
  it.each([
    ['2', 2],
    ['SEV-2', 2],
    ['sev2', 2],
    ['Sev 1', 1],
    [' 4 ', 4],
    ['sev_3', 3],
    ['5', undefined],
    ['0', undefined],
    ['SEV-', undefined],
    ['P1', undefined],
    ['', undefined],
    ['sev-1.5', undefined],
  ] as const)('severity %j → %j', (text, level) => expect(parseSeverity(text)).toBe(level));

  it.each([
    ['15%', 15],
    ['15', 15],
    ['0.5 %', 0.5],
    ['0', 0],
    ['100%', 100],
    ['101', undefined],
    ['-5', undefined],
    ['abc', undefined],
    ['', undefined],
    ['15%%', undefined],
  ] as const)('user percent %j → %j', (text, p) => expect(parseUserPercent(text)).toBe(p));

  it.each([
    ['INC-12', 12],
    ['inc-12', 12],
    ['Inc12', 12],
    ['12', 12],
    [' INC-3 ', 3],
    ['INC-0', undefined],
    ['INC-', undefined],
    ['INC-x', undefined],
    ['12a', undefined],
    ['-1', undefined],
  ] as const)('incident id %j → %j', (text, n) => expect(parseIncidentId(text)).toBe(n));

  it.each([
    ['ic', 'commander'],
    ['IC', 'commander'],
    ['incident_commander', 'commander'],
    ['Incident Commander', 'commander'],
    ['deputy', 'deputy'],
    ['scribe', 'scribe'],
    ['sme', 'sme'],
    ['expert', 'sme'],
    ['subject-matter-expert', 'sme'],
    ['liaison', 'liaison'],
    ['boss', undefined],
    ['', undefined],
  ] as const)('role %j → %j', (text, role) => expect(parseRole(text)).toBe(role));

  it('statuses are the Statuspage words plus closed', () => {
    expect(parseStatus('Identified')).toBe('identified');
    expect(parseStatus('closed')).toBe('closed');
    expect(parseStatus('fixed')).toBeUndefined();
  });

  it('people are named as in chat', () => {
    expect(normalizePerson(' @alice ')).toBe('alice');
    expect(normalizePerson('@@bob')).toBe('bob');
  });
});
