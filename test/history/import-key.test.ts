/** The identity an imported incident keeps from its source: what makes two rows the same incident. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SOURCE,
  fingerprint,
  importKey,
  parseSource,
  type IdentityFields,
} from '../../src/history/import-key.js';
import { validateRow } from '../../src/history/validate.js';

const base: IdentityFields = {
  title: 'Login failures after deploy v2.3.4',
  startedAt: new Date('2025-11-15T14:23:00Z'),
  service: 'auth',
  externalId: null,
  source: null,
};

describe('importKey with an external id', () => {
  it('is the source label and the id; the row’s source, else --source, else the default', () => {
    expect(importKey({ ...base, externalId: 'Q1ABC' })).toBe(`ext:${DEFAULT_SOURCE}:Q1ABC`);
    expect(importKey({ ...base, externalId: 'Q1ABC' }, 'pagerduty')).toBe('ext:pagerduty:Q1ABC');
    expect(importKey({ ...base, externalId: 'OPS-12', source: 'jira' }, 'pagerduty')).toBe('ext:jira:OPS-12');
  });

  it('the id alone decides: a changed title, start or service is still the same incident', () => {
    const a = importKey({ ...base, externalId: '42' });
    expect(importKey({ ...base, externalId: '42', title: 'Renamed', startedAt: new Date(0), service: null })).toBe(a);
    expect(importKey({ ...base, externalId: '43' })).not.toBe(a);
    // Ids are compared exactly: PagerDuty ids are case-sensitive.
    expect(importKey({ ...base, externalId: 'q1abc' })).not.toBe(importKey({ ...base, externalId: 'Q1ABC' }));
  });

  it('the same id from two sources is two incidents', () => {
    expect(importKey({ ...base, externalId: '42', source: 'pagerduty' })).not.toBe(
      importKey({ ...base, externalId: '42', source: 'jira' }),
    );
  });
});

describe('fingerprint (no external id)', () => {
  const key = (over: Partial<IdentityFields>) => importKey({ ...base, ...over });

  it('is fp: and 32 hex digits, the same every time', () => {
    expect(key({})).toMatch(/^fp:[0-9a-f]{32}$/);
    expect(key({})).toBe(fingerprint(base.title, base.startedAt, base.service));
    // Pinned: a change to the rule would make every earlier import look new.
    expect(key({})).toBe(
      fingerprint('Login failures after deploy v2.3.4', new Date(Date.UTC(2025, 10, 15, 14, 23)), 'auth'),
    );
  });

  it('ignores case and white space in the title and service, and the zone the start was written in', () => {
    const a = key({});
    expect(key({ title: '  login FAILURES   after deploy v2.3.4 ' })).toBe(a);
    expect(key({ service: 'AUTH' })).toBe(a);
    const v = validateRow(
      {
        title: base.title,
        severity: 2,
        service: 'auth',
        startedAt: '2025-11-15T15:23:00+01:00',
        detectedAt: '2025-11-15T15:30:00+01:00',
      },
      1,
    );
    expect(v.ok && importKey(v.incident)).toBe(a);
  });

  it('title, start and service each tell incidents apart', () => {
    const a = key({});
    expect(key({ title: 'Login failures after deploy v2.3.5' })).not.toBe(a);
    expect(key({ startedAt: new Date('2025-11-15T14:23:01Z') })).not.toBe(a);
    expect(key({ service: 'api' })).not.toBe(a);
    expect(key({ service: null })).not.toBe(a);
  });

  it('the fields cannot run into each other', () => {
    expect(fingerprint('a b', base.startedAt, 'c')).not.toBe(fingerprint('a', base.startedAt, 'b c'));
    expect(fingerprint('a","b', base.startedAt, null)).not.toBe(fingerprint('a', base.startedAt, 'b'));
  });

  it('a source label without an external id changes nothing', () => {
    expect(key({ source: 'pagerduty' })).toBe(key({}));
    expect(importKey(base, 'jira')).toBe(key({}));
  });
});

describe('parseSource', () => {
  it('lower-case labels of letters, digits, ".", "_" and "-"', () => {
    expect(parseSource(' PagerDuty ')).toBe('pagerduty');
    expect(parseSource('ops.jira_cloud-2')).toBe('ops.jira_cloud-2');
    for (const bad of ['', 'a:b', 'two words', '-x', 'x'.repeat(65)]) expect(parseSource(bad), bad).toBeUndefined();
  });
});
