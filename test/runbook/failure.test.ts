/**
 * What a failed step's output says: could the check run at all, did the target refuse, what do
 * well-known exit codes mean, which lines to show. Messages are the real tools' own (kubectl with
 * no kubeconfig, aws without credentials, curl, psql and redis-cli against nothing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerpt, explainExit, programsOf, refusedReason, unreachableReason } from '../../src/runbook/failure.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { judge, nextActions, resultRow, type StepResult } from '../../src/runbook/plan.js';
import { REPO_ROOT } from '../helpers/cli.js';

const KUBECTL_NO_CLUSTER = [
  'E1205 08:53:13.277363   13928 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"',
  'E1205 08:53:13.278954   13928 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"',
  'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
  '',
].join('\n');

const f = (command: string, exitCode: number | null, stderr: string) => ({
  command,
  lang: 'shell' as const,
  exitCode,
  stderr,
  stdout: '',
});

describe('unreachableReason', () => {
  it.each([
    ['kubectl without a cluster', f('kubectl get pods', 1, KUBECTL_NO_CLUSTER), 'kubectl cannot reach a cluster'],
    [
      'oc without login',
      f('oc get pods -n x', 1, 'error: You must be logged in to the server (Unauthorized)\n'),
      'oc has no valid credentials for the cluster',
    ],
    [
      'kubectl with a missing context',
      f('kubectl --context prod get pods', 1, 'error: context "prod" does not exist\n'),
      'kubectl has no such context',
    ],
    [
      'aws without credentials',
      f(
        'aws ec2 describe-instances',
        253,
        'Unable to locate credentials. You can configure credentials by running "aws configure".\n',
      ),
      'aws has no credentials',
    ],
    [
      'a missing program',
      f('nosuchtool --check', 127, 'bash: line 1: nosuchtool: command not found\n'),
      'nosuchtool is not installed (command not found)',
    ],
    [
      'curl: the host does not resolve',
      f('curl -s https://auth.internal/health', 6, ''),
      'curl: the host name does not resolve',
    ],
    [
      'psql: the host does not resolve',
      f(
        'psql -h db.internal -c "SELECT 1"',
        2,
        'psql: error: could not translate host name "db.internal" to address: Name or service not known\n',
      ),
      'host name db.internal does not resolve',
    ],
    [
      'redis-cli: the host does not resolve',
      f(
        'redis-cli -h redis.internal ping',
        1,
        'Could not connect to Redis at redis.internal:6379: Name or service not known\n',
      ),
      'host name redis.internal does not resolve',
    ],
    [
      'permission denied',
      f('cat /var/log/secure', 1, 'cat: /var/log/secure: Permission denied\n'),
      /^permission denied: cat:/,
    ],
  ])('%s', (_what, input, want) => {
    const got = unreachableReason(input);
    if (want instanceof RegExp) expect(got).toMatch(want);
    else expect(got).toBe(want);
  });

  it.each([
    [
      'redis-cli refused',
      f('redis-cli -p 1 ping', 1, 'Could not connect to Redis at 127.0.0.1:1: Connection refused\n'),
    ],
    [
      'psql refused',
      f(
        'psql -h 127.0.0.1 -p 1 -c "SELECT 1"',
        2,
        'psql: error: connection to server at "127.0.0.1", port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n',
      ),
    ],
    [
      'curl refused',
      f(
        'curl -sS http://127.0.0.1:1/',
        7,
        "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n",
      ),
    ],
    ['a plain failing check', f('test -f /etc/nothing', 1, '')],
  ])('a target that answers (or refuses) is not unreachable: %s', (_what, input) => {
    expect(unreachableReason(input)).toBeUndefined();
  });

  it('connection refused by the target is a finding, worded so', () => {
    expect(
      refusedReason(f('redis-cli -p 1 ping', 1, 'Could not connect to Redis at 127.0.0.1:1: Connection refused\n')),
    ).toBe('connection refused: Could not connect to Redis at 127.0.0.1:1: Connection refused');
    expect(refusedReason(f('curl -s http://127.0.0.1:1/', 7, ''))).toBe('connection refused (curl exit 7)');
  });
});

describe('excerpt', () => {
  it('prefers the last informative lines over klog noise, whole', () => {
    expect(excerpt(KUBECTL_NO_CLUSTER)).toBe(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
  });
  it('cuts a very long line at a word, never mid-word', () => {
    const line = `${'word '.repeat(100)}end`;
    const got = excerpt(line, 1, 50);
    expect(got.endsWith(' …')).toBe(true);
    expect(
      got
        .replace(' …', '')
        .split(' ')
        .every((w) => w === 'word'),
    ).toBe(true);
  });
  it('keeps the last lines when there are many', () => {
    expect(excerpt('a\nb\nc\nd\n', 2)).toBe('c\nd');
  });
});

describe('explainExit', () => {
  it.each([
    [6, 'curl -s x', /resolve/],
    [7, 'curl -s x', /connect/],
    [28, 'curl -s x', /timed out/],
    [2, 'psql -c "select 1"', /connection/],
    [127, 'foo', /not found/],
  ])('exit %d of %s', (code, command, want) => {
    expect(explainExit(code, programsOf(command, 'shell'))).toMatch(want);
  });
  it('an exit code of a program not in the step is not explained as that program', () => {
    expect(explainExit(7, programsOf('redis-cli ping', 'shell'))).toBeUndefined();
  });
  it('finds the programs of a script past assignments, sudo and pipes', () => {
    expect([...programsOf('PGPASSWORD=x sudo psql -c 1 | grep -q 1\ntimeout 5 curl -s u', 'shell')]).toEqual([
      'psql',
      'grep',
      'curl',
    ]);
  });
});

describe('judge: unreachable checks', () => {
  const path = join(REPO_ROOT, 'runbooks', 'high-api-latency.md');
  const rb = parseRunbook(readFileSync(path, 'utf8'), path, 'high-api-latency');
  const step = (id: string) => rb.steps.find((s) => s.id === id)!;
  const result = (r: Partial<StepResult>): StepResult => ({
    exitCode: 0,
    stdout: '',
    stderr: '',
    durationMs: 5,
    timedOut: false,
    truncatedBytes: 0,
    ...r,
  });
  it('kubectl without a cluster is unreachable, points at no mitigation, and fails nothing', () => {
    const s = step('check-recent-deploys');
    const row = resultRow(rb, s, result({ exitCode: 1, stderr: KUBECTL_NO_CLUSTER }));
    expect(row.status).toBe('unreachable');
    expect(row.reason).toBe('kubectl cannot reach a cluster');
    expect(row.pointsTo).toEqual([]);
    expect(nextActions(rb, [row])).toEqual({ options: [], escalate: false, escalation: [] });
  });
  it('a failing exit code explains itself with the last informative line', () => {
    const j = judge(
      step('is-auth-service-healthy'),
      result({
        exitCode: 28,
        stderr: 'curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received\n',
      }),
    );
    expect(j.status).toBe('fail');
    expect(j.reason).toBe(
      'exit code is 0: exit code was 28 (curl: the operation timed out): curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received',
    );
  });
});
