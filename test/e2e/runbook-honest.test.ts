/**
 * Honest outcomes from the built binary: checks whose tool cannot reach its API (a fake kubectl
 * and aws first on PATH that fail exactly as the real ones do with no kubeconfig and no
 * credentials) are `unreachable`, not failures, and point at no mitigation; --require-checks
 * fails a run that checked nothing; secrets a step prints never reach the report, JSON, JUnit,
 * the database or `runs --json`.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIrAsync, tempDir } from '../helpers/cli.js';

const tmp = tempDir('ir-rb-honest-');
const bin = join(tmp.dir, 'bin');
const env = (extra: Record<string, string> = {}) => ({
  PATH: `${bin}:${process.env.PATH}`,
  IR_DB: join(tmp.dir, 'ir.db'),
  IR_USER: 'alice',
  ...extra,
});
const ir = (args: string[], extra: Record<string, string> = {}) => runIrAsync(args, { cwd: tmp.dir, env: env(extra) });

// kubectl 1.3x with no kubeconfig (checked against the real one), and aws v2 without credentials.
const FAKE_KUBECTL = `#!/bin/sh
echo "$*" >> "${join(tmp.dir, 'kubectl.log')}"
cat >&2 <<'MSG'
E1205 08:53:13.277363   13928 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"
The connection to the server localhost:8080 was refused - did you specify the right host or port?
MSG
exit 1
`;
const FAKE_AWS = `#!/bin/sh
echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2
exit 253
`;

beforeAll(() => {
  mkdirSync(bin);
  writeFileSync(join(bin, 'kubectl'), FAKE_KUBECTL);
  writeFileSync(join(bin, 'aws'), FAKE_AWS);
  chmodSync(join(bin, 'kubectl'), 0o755);
  chmodSync(join(bin, 'aws'), 0o755);
  writeFileSync(
    join(tmp.dir, 'cluster.md'),
    [
      '# Cluster checks',
      '## Diagnosis',
      '### Pods',
      '```bash',
      'kubectl get pods -n api',
      '```',
      '### Instances',
      '```bash',
      'aws ec2 describe-instances',
      '```',
      '## Mitigation',
      '### Option A: Restart the pods',
      '```bash',
      'kubectl rollout restart deployment/api',
      '```',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(tmp.dir, 'secret.md'),
    [
      '---',
      'variables:',
      '  DB_PASS: {secret: true}',
      '---',
      '# Secret checks',
      '## Diagnosis',
      '### Leaky',
      '```bash',
      'echo "pass=$DB_PASS token=$API_TOKEN"',
      'echo "PGPASSWORD=hunter2hunter2 postgres://app:pa55w0rd@db/x AKIAIOSFODNN7EXAMPLE" >&2',
      'echo "curl -u admin:curlpw333 x; redis-cli -a redispw222 ping; mysql -pmysqlpw444; REDISCLI_AUTH=rcauth555" >&2',
      "printf 'password: yamlpw666\\n-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEAkeybody1\\n-----END RSA PRIVATE KEY-----\\n'",
      'false',
      '```',
      '',
    ].join('\n'),
  );
});
afterAll(() => tmp.cleanup());

describe('checks that could not run', () => {
  it('are unreachable, shown apart from failures, and point at no mitigation', async () => {
    const r = await ir(['runbook', 'cluster.md']);
    expect(r.stdout).toMatch(/could not check\s+pods/);
    expect(r.stdout).toContain('1 check could not run: kubectl cannot reach a cluster (pods)');
    expect(r.stdout).toContain('1 check could not run: aws has no credentials (instances)');
    expect(r.stdout).toContain('nothing was checked');
    expect(r.stdout).not.toContain('→ see');
    expect(r.stdout).not.toContain('Next: mitigation options');
    expect(r.code).toBe(0);
    // The mitigation was never run.
    expect(readFileSync(join(tmp.dir, 'kubectl.log'), 'utf8')).toBe('get pods -n api\n');

    const json = JSON.parse((await ir(['runbook', 'cluster.md', '--json'])).stdout);
    expect(json.steps.map((s: { status: string }) => s.status)).toEqual(['unreachable', 'unreachable', 'skipped']);
    expect(json.summary).toMatchObject({ fail: 0, unreachable: 2 });
    expect(json.checked).toBe(0);
    expect(json.next.options).toEqual([]);
  });
  it('--require-checks makes a run that checked nothing exit 1', async () => {
    const r = await ir(['runbook', 'cluster.md', '--require-checks']);
    expect(r.code).toBe(1);
  });
});

describe('secrets', () => {
  it('never reach the report, JSON, JUnit, the database or runs --json', async () => {
    const junit = join(tmp.dir, 'secret.xml');
    const extra = { API_TOKEN: 'tok-0123456789' };
    const human = await ir(['runbook', 'secret.md', '--var', 'DB_PASS=s3cr3t-db-pass'], extra);
    const json = await ir(
      ['runbook', 'secret.md', '--var', 'DB_PASS=s3cr3t-db-pass', '--json', '--junit', junit],
      extra,
    );
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    const runs = await ir(['runbook', 'runs', '--id', String(report.runId), '--json']);
    const db = readFileSync(join(tmp.dir, 'ir.db')).toString('latin1');
    const xml = readFileSync(junit, 'utf8');
    for (const text of [human.stdout, human.stderr, json.stdout, xml, runs.stdout, db]) {
      for (const secret of [
        's3cr3t-db-pass',
        'tok-0123456789',
        'hunter2hunter2',
        'pa55w0rd',
        'AKIAIOSFODNN7EXAMPLE',
        'curlpw333',
        'redispw222',
        'mysqlpw444',
        'rcauth555',
        'yamlpw666',
        'MIIEpAIBAAKCAQEAkeybody1',
      ])
        expect(text).not.toContain(secret);
    }
    expect(report.steps[0].stdout).toBe(
      'pass=****** token=******\npassword: ******\n-----BEGIN RSA PRIVATE KEY-----\n******\n-----END RSA PRIVATE KEY-----\n',
    );
    expect(statSync(junit).mode & 0o777).toBe(0o600);
  });
  it('--var refuses names that change how the shell runs', async () => {
    const r = await ir(['runbook', 'secret.md', '--var', 'BASH_ENV=/tmp/x', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--var BASH_ENV: refused');
  });
});
