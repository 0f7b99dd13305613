/**
 * What runs unattended (`--yes`, no terminal, CI): fake `aws`, `oc`, `kubectl`, `sudo`, `psql`…
 * first on PATH record their arguments, so the test sees exactly which commands ran. Runbooks in
 * test/fixtures/wild are written in the style of public runbooks (AWS incident-response playbooks,
 * OpenShift alert runbooks, GitLab's, KubeSphere's Chinese ones).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runIr, tempDir } from '../helpers/cli.js';

const WILD = join(REPO_ROOT, 'test', 'fixtures', 'wild');
const tmp = tempDir('ir-rb-safety-');
afterAll(() => tmp.cleanup());

const bin = join(tmp.dir, 'bin');
const log = join(tmp.dir, 'calls.log');
const FAKES = ['aws', 'oc', 'kubectl', 'sudo', 'psql', 'chef-client', 'gitlab-psql', 'warm-cache', 'check-health.sh'];

interface Row {
  id: string;
  kind: string;
  status: string;
  reason: string | null;
  effect: string;
  effectReason: string;
  effectCommand: string | null;
}

beforeAll(() => {
  mkdirSync(bin, { recursive: true });
  for (const f of FAKES) {
    const p = join(bin, f);
    // Each fake records its arguments and answers like a healthy tool: one line of output naming
    // what it was asked (steps run under errexit and pipefail, so a `| grep` after it must match).
    writeFileSync(
      p,
      `#!/bin/sh\nprintf '%s %s\\n' "${f}" "$*" >> "${log}"\necho "${f} ok: Conditions Ready"\nexit 0\n`,
    );
    chmodSync(p, 0o755);
  }
  for (const f of [
    'aws-ransomware-playbook.md',
    'openshift-etcd-alert.md',
    'gitlab-db.md',
    'kubesphere-zh.md',
    'team-tools.md',
  ])
    copyFileSync(join(WILD, f), join(tmp.dir, f));
  writeFileSync(join(tmp.dir, 'ir.yaml'), 'runbooks:\n  dir: .\n  read_only_commands: [check-health.sh]\n');
  copyFileSync(join(bin, 'check-health.sh'), join(tmp.dir, 'check-health.sh'));
});

const env = () => ({
  IR_DB: join(tmp.dir, 'ir.db'),
  PATH: `${bin}:${process.env.PATH}`,
  XDG_CACHE_HOME: join(tmp.dir, 'cache'),
});

function run(file: string, extra: string[] = []): { code: number; rows: Row[]; calls: string[]; stderr: string } {
  writeFileSync(log, '');
  const r = runIr(['runbook', file, '--yes', '--json', ...extra], { env: env(), cwd: tmp.dir, timeoutMs: 60_000 });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  if (r.stdout.trim() === '') throw new Error(`no report (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, rows: (JSON.parse(r.stdout) as { steps: Row[] }).steps, calls, stderr: r.stderr };
}

const VARS = [
  'BUCKET=b',
  'SUSPECT_USER=u',
  'ACCESS_KEY_ID=k',
  'INSTANCE_ID=i',
  'QUARANTINE_SG=sg',
  'RANSOM_NOTE_KEY=n',
  'BACKUP_BUCKET=bb',
  'NODE=n1',
].flatMap((v) => ['--var', v]);

describe('unattended runs execute only what reads', () => {
  it('an AWS ransomware playbook: the detection reads run; containment, eradication and recovery do not', () => {
    const { rows, calls } = run('aws-ransomware-playbook.md', VARS);
    expect(calls).toEqual([
      'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DeleteObject --max-results 50',
      'aws s3api get-bucket-versioning --bucket b',
      'aws iam list-access-keys --user-name u',
    ]);
    const skipped = rows.filter((r) => r.status === 'skipped');
    expect(skipped.map((r) => r.kind)).toEqual(['mitigation', 'mitigation', 'mitigation', 'mitigation']);
    expect(rows.find((r) => r.effectCommand?.startsWith('aws iam update-access-key'))).toMatchObject({
      effect: 'changes',
      effectReason: 'aws iam update-access-key changes AWS',
    });
  });

  it('a check that changes something is skipped, naming the command; reads and {kind=diagnosis} run', () => {
    const { rows, calls } = run('team-tools.md');
    expect(calls).toEqual([
      'check-health.sh --service payments',
      'kubectl get hpa -n payments',
      'warm-cache --dry-run',
    ]);
    const annotate = rows.find((r) => r.effectCommand?.startsWith('kubectl annotate'));
    expect(annotate).toMatchObject({ kind: 'diagnosis', status: 'skipped', effect: 'changes' });
    expect(annotate!.reason).toContain('`kubectl annotate deploy/payments restarted-by=ir --overwrite`');
    // The front matter named the German heading a mitigation.
    expect(rows.at(-1)).toMatchObject({ kind: 'mitigation', status: 'skipped' });
  });

  it('GitLab style: sudo, chef-client, GRANT and tee into /etc never run; the SELECT does', () => {
    const { rows, calls } = run('gitlab-db.md');
    expect(calls.filter((c) => !c.startsWith('psql'))).toEqual([]);
    expect(calls.some((c) => c.startsWith('psql'))).toBe(true);
    const first = rows[0]!;
    expect(first).toMatchObject({ status: 'skipped', effect: 'changes', effectReason: 'sudo runs as root' });
    expect(rows.filter((r) => r.status !== 'skipped')).toHaveLength(1);
  });

  it('Chinese headings: 排查 checks run, 缓解 and 解决方法 are mitigations', () => {
    const { rows, calls } = run('kubesphere-zh.md', VARS);
    expect(calls).toEqual(['kubectl describe node n1', 'kubectl get pods -A --field-selector spec.nodeName=n1']);
    expect(rows.map((r) => r.kind)).toEqual(['diagnosis', 'mitigation', 'mitigation']);
  });

  it('OpenShift style: oc get runs; oc debug, oc delete and oc edit do not', () => {
    const { rows, calls } = run('openshift-etcd-alert.md');
    expect(calls.every((c) => /^oc get /.test(c))).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(rows.find((r) => r.effectCommand?.startsWith('oc debug'))).toMatchObject({ status: 'skipped' });
  });

  it('--allow-mitigations runs the changes too (the operator said so)', () => {
    const { calls } = run('kubesphere-zh.md', [...VARS, '--allow-mitigations']);
    expect(calls).toContain('kubectl drain n1 --ignore-daemonsets --delete-emptydir-data');
  });

  it('--dry-run --json and show --json give each step its effect and reason', () => {
    const plan = JSON.parse(
      runIr(['runbook', 'team-tools.md', '--dry-run', '--json'], { env: env(), cwd: tmp.dir }).stdout,
    ) as { steps: (Row & { willRun: boolean })[] };
    expect(plan.steps.map((s) => [s.effect, s.willRun])).toEqual([
      ['reads', true],
      ['reads', true],
      ['unknown', true],
      ['changes', false],
      ['changes', false],
    ]);
    const shown = JSON.parse(
      runIr(['runbook', 'show', 'team-tools.md', '--json'], { env: env(), cwd: tmp.dir }).stdout,
    ) as {
      steps: Row[];
    };
    expect(shown.steps[0]).toMatchObject({
      effect: 'reads',
      effectReason: 'check-health.sh is read-only (runbooks.read_only_commands)',
    });
    expect(shown.steps[3]).toMatchObject({ effect: 'changes', effectReason: 'kubectl annotate changes the cluster' });
  });

  it('classifications cached by another ir build are judged afresh, never trusted', () => {
    const cache = join(tmp.dir, 'cache', 'ir', 'runbook-effects.json');
    const plan = () =>
      (
        JSON.parse(runIr(['runbook', 'team-tools.md', '--dry-run', '--json'], { env: env(), cwd: tmp.dir }).stdout) as {
          steps: (Row & { willRun: boolean })[];
        }
      ).steps;
    expect(plan()[3]).toMatchObject({ effect: 'changes', willRun: false });
    // The same file as an older ir would have left it, every step said to only read.
    const written = JSON.parse(readFileSync(cache, 'utf8')) as { effects: Record<string, { effect: string }> };
    expect(Object.keys(written.effects).length).toBeGreaterThan(0);
    for (const e of Object.values(written.effects)) e.effect = 'reads';
    for (const stamp of [{ version: 7 }, { stamp: '7/0.0.1+0123456789abcdef' }]) {
      writeFileSync(cache, JSON.stringify({ ...stamp, effects: written.effects }));
      expect(plan()[3], JSON.stringify(stamp)).toMatchObject({ effect: 'changes', willRun: false });
    }
  });

  it('list does not load the parsers; classifications are cached beside the runbook index', () => {
    const cache = join(tmp.dir, 'cache', 'ir', 'runbook-effects.json');
    runIr(['runbook', 'team-tools.md', '--dry-run', '--json'], { env: env(), cwd: tmp.dir });
    expect(existsSync(cache)).toBe(true);
    const traceFile = join(tmp.dir, 'trace.json');
    const trace = runIr(['runbook', 'list', '--json'], {
      env: {
        ...env(),
        IR_TRACE_FILE: traceFile,
        NODE_OPTIONS: `--require ${join(REPO_ROOT, 'test', 'helpers', 'trace-requires.cjs')}`,
      },
      cwd: tmp.dir,
    });
    expect(trace.code).toBe(0);
    const files = (JSON.parse(readFileSync(traceFile, 'utf8')) as { files: string[] }).files;
    expect(files.filter((f) => /tree-sitter|libpg-query|runbook-(shell|sql|classify)/.test(f))).toEqual([]);
  });
});

describe('Runme cells', () => {
  it("a cell's cwd is where it runs, relative to the runbook's directory; without it, where ir was started", () => {
    const book = join(tmp.dir, 'books');
    mkdirSync(join(book, 'app'), { recursive: true });
    writeFileSync(
      join(book, 'where.md'),
      [
        '# Where',
        '',
        '## Diagnosis',
        '',
        '```sh {"name":"in-app","cwd":"app"}',
        'pwd',
        '```',
        '',
        '```sh {"name":"here"}',
        'pwd',
        '```',
        '',
      ].join('\n'),
    );
    const r = runIr(['runbook', join(book, 'where.md'), '--yes', '--json'], { env: env(), cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const steps = (JSON.parse(r.stdout) as { steps: { id: string; stdout: string }[] }).steps;
    const out = Object.fromEntries(steps.map((s) => [s.id, s.stdout.trim()]));
    expect(realpathSync(out['in-app']!)).toBe(realpathSync(join(book, 'app')));
    expect(realpathSync(out.here!)).toBe(realpathSync(tmp.dir));
  });
});

describe('a block is one script, split only where the real shell parser finds independent pieces', () => {
  it('a function called inside a quoted command substitution runs in the same step as its definition', () => {
    writeFileSync(
      join(tmp.dir, 'split.md'),
      [
        '# Split',
        '',
        '## Diagnosis',
        '',
        '```bash',
        '# helper',
        'pods() { kubectl get pods -n "$1"; }',
        '# report',
        'echo "pods: $(pods payments)"',
        '# logs, on their own',
        'ls /var/log/{syslog,messages} >/dev/null 2>&1 || true',
        '```',
        '',
      ].join('\n'),
    );
    const { code, rows, calls } = run('split.md');
    expect(rows.map((r) => [r.status, r.effect])).toEqual([
      ['pass', 'reads'],
      ['pass', 'reads'],
    ]);
    // Split apart, the second step would print "pods: command not found" and call nothing.
    expect(calls).toEqual(['kubectl get pods -n payments']);
    expect(code).toBe(0);
  });
});

describe('code blocks without a language', () => {
  it('never run unattended; lint lists those that parse as shell', () => {
    writeFileSync(
      join(tmp.dir, 'bare.md'),
      [
        '# Bare',
        '',
        '## Diagnosis',
        '',
        '```bash',
        'kubectl get nodes',
        '```',
        '',
        '```',
        'kubectl delete pod api-1',
        '```',
        '',
      ].join('\n'),
    );
    const { rows, calls } = run('bare.md');
    expect(calls).toEqual(['kubectl get nodes']);
    expect(rows.map((r) => r.effectCommand ?? r.id)).toHaveLength(1);
    const lint = runIr(['runbook', 'lint', 'bare.md', '--json'], { env: env(), cwd: tmp.dir });
    expect(lint.stdout).toContain('unlabelled-shell');
    expect(lint.stdout).toContain('kubectl delete pod api-1');
  });
});
