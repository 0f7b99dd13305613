/**
 * A step whose command prints credentials — a Kubernetes Secret (`kubectl get secret x -o yaml`),
 * a secret store's value — has its output hidden: a Secret's data values (and what they decode to)
 * wherever they appear for the rest of the run, any other such output whole. Nothing of it reaches
 * the report, the terminal or the state database.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secretOutputValues } from '../../src/runbook/secret-output.js';
import { runMain } from '../helpers/context.js';
import { useJudge } from '../helpers/judge.js';

const PASSWORD = 'supersecretpassword123';
const API_KEY = 'AKIAIOSFODNN7EXAMPLE';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const SECRET_YAML = [
  'apiVersion: v1',
  'data:',
  `  password: ${b64(PASSWORD)}`,
  `  api-key: ${b64(API_KEY)}`,
  'kind: Secret',
  'metadata:',
  '  name: db',
  'type: Opaque',
  '',
].join('\n');

describe('which commands print secrets', () => {
  const judge = useJudge();
  const prints = (cmd: string) => (judge.shell(cmd) as { printsSecrets?: string }).printsSecrets;

  it.each([
    'kubectl get secret db -o yaml',
    'kubectl get secrets -A -ojson',
    'kubectl -n prod get secret/db --output=jsonpath={.data.password}',
    'kubectl get secret,configmap -o yaml',
    "kubectl get secret db --template '{{.data.password}}'",
    'oc extract secret/db --to=-',
    'kubectl config view --raw',
    'vault kv get secret/app',
    'vault read database/creds/readonly',
    'aws secretsmanager get-secret-value --secret-id prod/db',
    'aws ssm get-parameter --name /prod/db --with-decryption',
    'gcloud secrets versions access latest --secret=db',
    'gcloud auth print-access-token',
    'oc whoami --show-token',
    'az aks get-credentials -g rg -n prod --file -',
    "redis-cli -h r config get '*'",
    'redis-cli CONFIG GET requirepass',
    'az keyvault secret show --vault-name v -n db',
    'op read op://prod/db/password',
    'pass show prod/db',
    'sops -d secrets.enc.yaml',
    'X=$(kubectl get secret db -o jsonpath={.data.password} | base64 -d)',
    'az storage account keys list -g rg -n logsacct',
    'az storage account show-connection-string -g rg -n logsacct',
    'az acr credential show -n registry',
    'az cosmosdb keys list -g rg -n db',
    'az redis list-keys -g rg -n cache',
    'az servicebus namespace authorization-rule keys list -g rg --namespace-name ns -n RootManageSharedAccessKey',
    'aws ec2 get-password-data --instance-id i-0abc --priv-launch-key key.pem',
    'aws sts assume-role --role-arn arn:aws:iam::1:role/ops --role-session-name oncall',
    'aws configure export-credentials --profile prod',
    'aws configure get aws_secret_access_key --profile prod',
    'aws ecr get-authorization-token',
    'helm get values api -n prod',
    'helm get values api --all -o yaml',
    'helm -n prod get all api',
    'helm get manifest api --revision 3',
    'helm get hooks api',
  ])('%s prints secrets', (cmd) => {
    expect(prints(cmd)).toMatch(/prints|print/);
  });

  it.each([
    'kubectl get secrets',
    'kubectl get secret db -o name',
    'kubectl get secrets -o wide',
    'kubectl describe secret db',
    'kubectl get configmap cfg -o yaml',
    'kubectl config view',
    'aws ssm get-parameter --name /prod/flag',
    'vault status',
    'pass',
    'oc whoami',
    'redis-cli config get maxmemory',
    'az storage account show -g rg -n logsacct',
    'az acr show -n registry',
    'aws ec2 get-password-data --instance-id i-0abc',
    'aws configure get region --profile prod',
    'aws sts get-caller-identity',
    'helm get notes api',
    'helm status api -n prod',
    'helm list -A',
  ])('%s prints no secret values', (cmd) => {
    expect(prints(cmd)).toBeUndefined();
  });
});

describe('secretOutputValues', () => {
  it('a Secret printed as YAML: its data values and what they decode to, not the rest', () => {
    const r = secretOutputValues(SECRET_YAML);
    expect(r.whole).toBe(false);
    expect(r.values).toEqual(expect.arrayContaining([b64(PASSWORD), PASSWORD, b64(API_KEY), API_KEY]));
    expect(r.values).not.toContain('db');
  });

  it('a List of Secrets as JSON, with stringData', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ kind: 'Secret', data: { a: b64(PASSWORD) }, stringData: { b: 'plain-text-secret' } }],
    };
    const r = secretOutputValues(JSON.stringify(list, null, 2));
    expect(r.whole).toBe(false);
    expect(r.values).toEqual(expect.arrayContaining([b64(PASSWORD), PASSWORD, 'plain-text-secret']));
  });

  it('Secrets beside anything else (helm get manifest, get secret,configmap) are hidden whole', () => {
    // A Deployment's env or a ConfigMap may carry the same password in plain text.
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          env:',
      '            - name: DB_PASSWORD',
      `              value: ${PASSWORD}`,
      '',
    ].join('\n');
    const manifest = `---\n# Source: api/templates/secret.yaml\n${SECRET_YAML}---\n# Source: api/templates/deployment.yaml\n${deployment}`;
    const r = secretOutputValues(manifest);
    expect(r.whole).toBe(true);
    expect(r.values).toContain(`value: ${PASSWORD}`);
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { kind: 'Secret', data: { a: b64(API_KEY) } },
        { kind: 'ConfigMap', data: { p: PASSWORD } },
      ],
    };
    expect(secretOutputValues(JSON.stringify(list, null, 2)).whole).toBe(true);
    // Helm's values before its manifests (helm get all) are not Kubernetes objects at all.
    expect(
      secretOutputValues(`USER-SUPPLIED VALUES:\npostgresql:\n  password: ${PASSWORD}\n---\n${SECRET_YAML}`).whole,
    ).toBe(true);
    // Secrets alone, with the empty document a trailing `---` makes, are still read as Secrets.
    expect(secretOutputValues(`${SECRET_YAML}---\n`).whole).toBe(false);
  });

  it('anything else (a value printed by jsonpath, a table) is secret whole', () => {
    expect(secretOutputValues('Key   Value\npassword   hunter22\n')).toEqual({
      values: ['Key   Value', 'password   hunter22'],
      whole: true,
    });
  });

  it('a line that is base64 (a data value printed by jsonpath) is hidden decoded too, as a later base64 -d prints it', () => {
    expect(secretOutputValues(`${b64(PASSWORD)}\n`)).toEqual({ values: [b64(PASSWORD), PASSWORD], whole: true });
    expect(secretOutputValues(b64(`${PASSWORD}\n`))).toEqual({ values: [b64(`${PASSWORD}\n`), PASSWORD], whole: true });
    // Text that is not base64, or decodes to no text, stays as it is.
    expect(secretOutputValues('hunter22 is it\n').values).toEqual(['hunter22 is it']);
    expect(secretOutputValues(`${Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('base64')}\n`).values).toHaveLength(1);
  });
});

describe('a run with a step that prints a Secret', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const RUNBOOK = [
    '# Secrets',
    '## Diagnosis',
    '### The Secret',
    '```bash {id=secret}',
    'kubectl get secret db -o yaml',
    '```',
    '### Decoded later',
    '```bash {id=decode}',
    `echo ${b64(PASSWORD)} | base64 -d`,
    '```',
    '### One value',
    '```bash {id=value capture=DB_VALUE}',
    'kubectl get secret db -o jsonpath={.data.other}',
    '```',
    '### Used',
    '```bash {id=used}',
    'echo "it is $DB_VALUE"',
    '```',
    '### Decoded from the value',
    '```bash {id=used-decoded}',
    'echo "$DB_VALUE" | base64 -d',
    '```',
  ].join('\n');

  it('hides the values in the report, later steps, the dry run’s note and the state database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-secret-output-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // A stand-in kubectl printing what the real one prints for these two requests.
    writeFileSync(join(dir, 'secret.yaml'), SECRET_YAML);
    writeFileSync(join(dir, 'other.txt'), 'b3RoZXJzZWNyZXR2YWx1ZQ==');
    writeFileSync(
      join(bin, 'kubectl'),
      `#!/bin/sh\ncase "$*" in *jsonpath*) cat "${join(dir, 'other.txt')}";; *) cat "${join(dir, 'secret.yaml')}";; esac\n`,
    );
    chmodSync(join(bin, 'kubectl'), 0o755);
    writeFileSync(join(dir, 's.md'), RUNBOOK);
    const env = { PATH: `${bin}:${process.env.PATH}`, IR_DB: join(dir, 'state.db') };

    const plan = await runMain({ argv: ['runbook', './s.md', '--dry-run'], cwd: dir, env });
    expect(plan.stdout).toContain(
      "output hidden: `kubectl get secret db -o yaml`: kubectl get secret -o yaml prints a Secret's values",
    );

    const r = await runMain({ argv: ['runbook', './s.md', '--json'], cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const steps = JSON.parse(r.stdout).steps as { id: string; stdout: string }[];
    const out = (id: string) => steps.find((s) => s.id === id)!.stdout;
    // The Secret keeps its shape; only its values are hidden.
    expect(out('secret')).toContain('kind: Secret');
    expect(out('secret')).toContain('password: ******');
    expect(out('decode').trim()).toBe('******');
    expect(out('value')).toBe(
      "****** (hidden: `kubectl get secret db -o jsonpath={.data.other}`: kubectl get secret -o jsonpath prints a Secret's values)",
    );
    expect(out('used').trim()).toBe('it is ******');
    expect(out('used-decoded').trim()).toBe('******');

    const text = await runMain({ argv: ['runbook', './s.md'], cwd: dir, env });
    const everything = [r.stdout, r.stderr, text.stdout, text.stderr, ...storedFiles(dir, bin)].join('\n');
    for (const secret of [
      PASSWORD,
      b64(PASSWORD),
      API_KEY,
      b64(API_KEY),
      'othersecretvalue',
      'b3RoZXJzZWNyZXR2YWx1ZQ',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

/** Every file ir wrote under `dir` (the state database and its caches), but the stand-ins. */
function storedFiles(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (path.startsWith(skip) || /secret\.yaml$|other\.txt$|s\.md$/.test(path) || !statSync(path).isFile()) continue;
    out.push(readFileSync(path).toString('latin1'));
  }
  return out;
}
