import { describe, expect, it } from 'vitest';
import { detectFormat, parseJsonBody, parseNotification } from '../../src/alert/formats.js';
import { UsageError } from '../../src/errors.js';
import { alertmanager, grafana, pagerduty } from './fixtures.js';

describe('detectFormat', () => {
  it('tells the three senders apart by their fields', () => {
    expect(detectFormat(alertmanager([{}]))).toBe('alertmanager');
    expect(detectFormat(grafana())).toBe('grafana');
    expect(detectFormat(pagerduty())).toBe('pagerduty');
    expect(detectFormat({ text: 'hello' })).toBeUndefined();
    expect(detectFormat([1, 2])).toBeUndefined();
  });
});

describe('parseNotification', () => {
  it('reads an Alertmanager v4 payload: labels, annotations, times, fingerprint; the zero endsAt is unset', () => {
    const n = parseNotification(alertmanager([{}, { status: 'resolved', endsAt: '2026-12-05T14:10:00Z' }]), 'am.json');
    expect(n.format).toBe('alertmanager');
    expect(n.groupKey).toBe('{}:{alertname="HighAPILatency"}');
    expect(n.alerts).toHaveLength(2);
    expect(n.alerts[0]).toMatchObject({
      status: 'firing',
      name: 'HighAPILatency',
      fingerprint: 'f00d0',
      labels: { severity: 'critical', service: 'api', instance: 'api-1' },
      annotations: { summary: 'p99 latency above 500ms' },
      startsAt: new Date('2026-12-05T14:00:00Z'),
    });
    expect(n.alerts[0]!.endsAt).toBeUndefined();
    expect(n.alerts[1]!.endsAt).toEqual(new Date('2026-12-05T14:10:00Z'));
  });

  it('reads Grafana-managed alerting, runbook_url included', () => {
    const n = parseNotification(grafana(), 'g.json');
    expect(n.format).toBe('grafana');
    expect(n.alerts[0]).toMatchObject({ name: 'DiskFull', fingerprint: '57c6d9296de2ad39' });
    expect(n.alerts[0]!.annotations.runbook_url).toBe('https://wiki.example.com/runbooks/disk-full');
  });

  it('reads PagerDuty Events v2: dedup_key is the identity, class the alert name, severity a label', () => {
    const n = parseNotification(pagerduty(), 'pd.json');
    expect(n.alerts[0]).toMatchObject({
      status: 'firing',
      name: 'ReplicationLag',
      fingerprint: 'srv01/mysql',
      labels: { severity: 'error', service: 'mysql' },
      annotations: {
        summary: 'MySQL replication lag above 60s',
        runbook_url: 'https://wiki.example.com/runbooks/replication-lag',
      },
    });
    expect(parseNotification(pagerduty('resolve'), 'pd.json').alerts[0]!.status).toBe('resolved');
    expect(parseNotification(pagerduty('acknowledge'), 'pd.json').alerts[0]!.acknowledge).toBe(true);
  });

  it('a PagerDuty trigger without dedup_key gets a stable one from its summary and source', () => {
    const body = pagerduty() as Record<string, unknown>;
    delete body.dedup_key;
    const a = parseNotification(body, 'x').alerts[0]!.fingerprint;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(parseNotification(structuredClone(body), 'x').alerts[0]!.fingerprint).toBe(a);
  });

  it.each([
    [{ text: 'hi' }, /am\.json: not an alert notification ir reads \(fields: text\)/],
    [[], /a JSON array/],
    [alertmanager([{ labels: { alertname: '' } }]), /am\.json: alerts\[0\]\.labels\.alertname: missing/],
    [alertmanager([{ status: 'pending' as 'firing' }]), /alerts\[0\]\.status: invalid status "pending"/],
    [alertmanager([{ startsAt: 'yesterday' }]), /alerts\[0\]\.startsAt: invalid time "yesterday"/],
    // Date would roll a day that does not exist into the next month, and read a time without an
    // offset in this machine's zone.
    [
      alertmanager([{ startsAt: '2026-02-31T14:00:00Z' }]),
      /alerts\[0\]\.startsAt: invalid time "2026-02-31T14:00:00Z"/,
    ],
    [
      alertmanager([{ status: 'resolved', endsAt: '2026-12-05T14:10:00' }]),
      /alerts\[0\]\.endsAt: invalid time "2026-12-05T14:10:00"; expected RFC 3339 with Z or an offset/,
    ],
    [{ alerts: [{ labels: { alertname: 'X' } }] }, /alerts\[0\]\.status: missing; expected firing or resolved/],
    [alertmanager([], {}), /alerts: empty/],
    [alertmanager([{}], { version: '3' }), /version: "3" is not supported/],
    [{ ...pagerduty(), event_action: 'snooze' }, /event_action: invalid value "snooze"/],
    [
      { ...pagerduty(), payload: { summary: 'x', source: 'y', severity: 'fatal' } },
      /payload\.severity: invalid value "fatal"; expected critical, error, warning, info/,
    ],
    [{ routing_key: 'k', event_action: 'resolve' }, /dedup_key: missing/],
  ])('refuses %#, naming the field', (body, message) => {
    const run = () => parseNotification(body, 'am.json');
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it('reads the RFC 3339 times senders write: nanoseconds, offsets with or without a colon', () => {
    const n = parseNotification(
      alertmanager([
        { startsAt: '2026-12-05T14:00:00.123456789Z' },
        { startsAt: '2026-12-05T15:00:00+01:00' },
        { startsAt: '2026-12-05T15:00:00.5+0100' },
      ]),
      'am.json',
    );
    expect(n.alerts.map((a) => a.startsAt?.toISOString())).toEqual([
      '2026-12-05T14:00:00.123Z',
      '2026-12-05T14:00:00.000Z',
      '2026-12-05T14:00:00.500Z',
    ]);
  });

  it('--format overrides detection, and then checks that shape', () => {
    expect(() => parseNotification(pagerduty(), 'x', 'alertmanager')).toThrow(/alerts: missing/);
  });

  it('parseJsonBody names the input and says what is wrong', () => {
    expect(() => parseJsonBody('{"a":', 'stdin')).toThrow(/^stdin: not valid JSON/);
    expect(() => parseJsonBody('  ', 'body')).toThrow(/body: empty/);
  });

  it('parseJsonBody never quotes the body: a stretch of it may be a routing key', () => {
    for (const [text, reason] of [
      ['{"routing_key": R0UT1NGKEYsecret00, "event_action": "trigger"}', "Unexpected token 'R'"],
      ['routing_key=R0UT1NGKEYsecret00', "Unexpected token 'r'"],
    ] as const) {
      expect(() => parseJsonBody(text, 'request body')).toThrow(`request body: not valid JSON (${reason})`);
      expect(() => parseJsonBody(text, 'request body')).not.toThrow(/routing_ke|R0UT1NG|ting_key/);
    }
  });
});

describe('labels named like built-in properties', () => {
  it('keeps a label and an annotation named __proto__ (assigning one to an object would drop it)', () => {
    // As JSON.parse reads a body: an own key (an object literal's __proto__ would set the prototype).
    const own = (v: string) => JSON.parse(`{"__proto__": "${v}"}`) as Record<string, string>;
    const n = parseNotification(alertmanager([{ labels: own('x'), annotations: own('y') }]), 'am.json');
    expect(Object.hasOwn(n.alerts[0]!.labels, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(n.alerts[0]!.labels, '__proto__')?.value).toBe('x');
    expect(Object.hasOwn(n.alerts[0]!.annotations, '__proto__')).toBe(true);
    const pd = pagerduty();
    (pd.payload as Record<string, unknown>).custom_details = own('z');
    expect(Object.hasOwn(parseNotification(pd, 'pd.json').alerts[0]!.labels, '__proto__')).toBe(true);
  });
});
