import { describe, expect, it } from 'vitest';
import { check, globToRegExp, jsonSubset, parseExpectation, type Matcher } from '../../src/runbook/expect.js';

const obs = (stdout: string, exitCode: number | null = 0, durationMs = 10) => ({ stdout, exitCode, durationMs });

describe('parseExpectation', () => {
  it.each<[string, Matcher]>([
    ['PONG', { kind: 'exact', value: 'PONG' }],
    ['"two words"', { kind: 'exact', value: 'two words' }],
    ['`PONG`', { kind: 'exact', value: 'PONG' }],
    ['exact: 1 row', { kind: 'exact', value: '1 row' }],
    ['contains: Running', { kind: 'contains', value: 'Running' }],
    ['/^\\d+ rows?$/i', { kind: 'regex', source: '^\\d+ rows?$', flags: 'i' }],
    ['regex: ^ok', { kind: 'regex', source: '^ok', flags: '' }],
    ['glob: *Running*', { kind: 'glob', pattern: '*Running*' }],
    ['api-* (glob)', { kind: 'glob', pattern: 'api-*' }],
    ['exit 0', { kind: 'exit', code: 0 }],
    ['exit code 3', { kind: 'exit', code: 3 }],
    ['exit nonzero', { kind: 'exit', code: 'nonzero' }],
    ['Returns within 100ms', { kind: 'duration', maxMs: 100 }],
    ['within 2s', { kind: 'duration', maxMs: 2000 }],
    ['< 10', { kind: 'numeric', op: '<', value: 10 }],
    ['>= 1.5', { kind: 'numeric', op: '>=', value: 1.5 }],
    ['= 0', { kind: 'numeric', op: '==', value: 0 }],
    ['{"status": "healthy"}', { kind: 'json', value: { status: 'healthy' } }],
    [
      'Latency returns to normal within 2-3 minutes as cache warms',
      { kind: 'manual', text: 'Latency returns to normal within 2-3 minutes as cache warms' },
    ],
    ['Latency improves as new pods take load', { kind: 'manual', text: 'Latency improves as new pods take load' }],
  ])('%s', (text, matcher) => {
    expect(parseExpectation(text)).toEqual({ matcher });
  });

  it('reports an invalid regex and falls back to manual', () => {
    const r = parseExpectation('regex: ([');
    expect(r.matcher.kind).toBe('manual');
    expect(r.error).toMatch(/invalid regular expression/);
  });

  it('reports an impossible exit code', () => {
    expect(parseExpectation('exit 999').error).toMatch(/exit code "999"/);
  });
});

describe('check', () => {
  it('exact compares trimmed text, line by line', () => {
    expect(check({ kind: 'exact', value: 'PONG' }, obs('PONG\n')).ok).toBe(true);
    const v = check({ kind: 'exact', value: 'PONG' }, obs('Could not connect'));
    expect(v.ok).toBe(false);
    expect(v.detail).toBe('- PONG\n+ Could not connect');
  });
  it('contains, regex and glob', () => {
    expect(check({ kind: 'contains', value: 'Running' }, obs('pod-1 1/1 Running 0')).ok).toBe(true);
    expect(check({ kind: 'contains', value: 'Running' }, obs('pod-1 0/1 Pending')).ok).toBe(false);
    expect(check({ kind: 'regex', source: '^\\d+$', flags: '' }, obs(' 42 ')).ok).toBe(true);
    expect(check({ kind: 'glob', pattern: 'api-*-[0-9]' }, obs('api-xyz-3')).ok).toBe(true);
    expect(check({ kind: 'glob', pattern: 'api-?' }, obs('api-12')).ok).toBe(false);
  });
  it('exit codes', () => {
    expect(check({ kind: 'exit', code: 0 }, obs('', 0)).ok).toBe(true);
    expect(check({ kind: 'exit', code: 'nonzero' }, obs('', 2)).ok).toBe(true);
    expect(check({ kind: 'exit', code: 'nonzero' }, obs('', 0)).ok).toBe(false);
    expect(check({ kind: 'exit', code: 1 }, obs('', null)).detail).toBe('exit code was none (killed)');
  });
  it('duration', () => {
    expect(check({ kind: 'duration', maxMs: 100 }, obs('', 0, 99.9)).ok).toBe(true);
    const v = check({ kind: 'duration', maxMs: 100 }, obs('', 0, 250));
    expect(v).toEqual({ ok: false, expected: 'finishes within 100ms', detail: 'took 250ms, limit 100ms' });
  });
  it('numeric comparison of the output', () => {
    expect(check({ kind: 'numeric', op: '<', value: 10 }, obs('3\n')).ok).toBe(true);
    expect(check({ kind: 'numeric', op: '<', value: 10 }, obs('(integer) 12')).detail).toBe('got 12, expected < 10');
    expect(check({ kind: 'numeric', op: '<', value: 10 }, obs('many')).detail).toMatch(/^output is not a number/);
  });
  it('JSON structurally: spacing and key order do not matter, extra keys are fine', () => {
    const m: Matcher = { kind: 'json', value: { status: 'healthy' } };
    expect(check(m, obs('{"version":"1","status":"healthy"}')).ok).toBe(true);
    expect(check(m, obs('{ "status" : "degraded" }')).detail).toBe('$.status: expected "healthy", got "degraded"');
    expect(check(m, obs('<html>')).detail).toMatch(/^output is not JSON/);
  });
  it('manual needs a person', () => {
    expect(check({ kind: 'manual', text: 'looks fine' }, obs('x')).ok).toBe('manual');
  });
});

describe('jsonSubset', () => {
  it('arrays must match in length and order', () => {
    expect(jsonSubset([1, 2], [1, 2], '$')).toBeUndefined();
    expect(jsonSubset([1, 2], [1], '$')).toBe('$: expected 2 items, got 1');
    expect(jsonSubset({ a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 2, d: 0 }] } }, '$')).toBe(
      '$.a.b[0].c: expected 1, got 2',
    );
    expect(jsonSubset({ a: 1 }, { b: 1 }, '$')).toBe('$.a: missing');
  });
});

describe('globToRegExp', () => {
  it('escapes regex characters', () => {
    expect(globToRegExp('a.b(c)').test('a.b(c)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('[!a]x').test('bx')).toBe(true);
  });
});
