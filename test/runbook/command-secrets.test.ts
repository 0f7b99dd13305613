/**
 * Secrets where ir shows what a step is and did. A credential written literally in a step's
 * command (`redis-cli -a …`, `PGPASSWORD=…`, a bearer token) is hidden wherever the command is
 * shown or cached: the plan, show, reports, effects cache. Output cut short hides a cut secret.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/context.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const RUNBOOK = [
  '# Literal credentials',
  '## Diagnosis',
  '### Bearer',
  '```bash {id=bearer}',
  'curl -s -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.sekretpayload.sig" http://127.0.0.1:1/health',
  '```',
  '### Redis',
  '```bash {id=redis}',
  'redis-cli -a RedisPw12345 -p 1 ping',
  '```',
  '### Postgres',
  '```bash {id=pg}',
  "PGPASSWORD=PgPw12345 psql -h 127.0.0.1 -p 1 -c 'select 1'",
  '```',
  '',
].join('\n');

const LEAK = /RedisPw12345|PgPw12345|sekretpayload/;

describe('credentials written in a command', () => {
  it('are hidden in the plan, show, a run report and the effects cache, which only its owner reads', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-cmdsecret-'));
    writeFileSync(join(dir, 's.md'), RUNBOOK);
    const cache = join(dir, 'cache');
    const env = { XDG_CACHE_HOME: cache, IR_RUNBOOK_INDEX: undefined };
    const outputs: string[] = [];
    for (const argv of [
      ['runbook', './s.md', '--dry-run'],
      ['runbook', './s.md', '--dry-run', '--json'],
      ['runbook', 'show', './s.md'],
      ['runbook', 'show', './s.md', '--json'],
      ['runbook', 'lint', './s.md'],
      ['runbook', './s.md', '--json', '--allow-mitigations'],
    ]) {
      const r = await runMain({ argv, cwd: dir, env });
      outputs.push(r.stdout + r.stderr);
    }
    for (const out of outputs) expect(out).not.toMatch(LEAK);
    // The dry run still shows what runs, with the credential masked.
    expect(outputs[0]).toContain('redis-cli -a ****** -p 1 ping');
    const plan = JSON.parse(outputs[1]!) as { steps: { command: string; effectCommand: string | null }[] };
    expect(plan.steps.map((s) => s.command)).toContain("PGPASSWORD=****** psql -h 127.0.0.1 -p 1 -c 'select 1'");
    const file = join(cache, 'ir', 'runbook-effects.json');
    expect(readFileSync(file, 'utf8')).not.toMatch(LEAK);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('output cut at the capture limit', () => {
  it('does not end with the start of a secret the cut fell inside', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-cmdsecret-'));
    writeFileSync(
      join(dir, 'c.md'),
      [
        '---',
        'variables:',
        '  MYPASS: {description: pw, secret: true}',
        '---',
        '# Cut',
        '## Diagnosis',
        '### Long',
        '```bash {id=long}',
        `head -c ${1024 * 1024 - 6} /dev/zero | tr '\\0' 'b'; echo -n "$MYPASS"; echo`,
        '```',
        '',
      ].join('\n'),
    );
    const r = await runMain({ argv: ['runbook', './c.md', '--json', '--var', 'MYPASS=pwMaterial-112233'], cwd: dir });
    const step = JSON.parse(r.stdout).steps[0];
    expect(step.truncatedBytes).toBeGreaterThan(0);
    expect(step.stdout.endsWith('b******')).toBe(true);
    expect(r.stdout).not.toContain('pwMate');
  });
});

describe("a plain variable holding a secret's value", () => {
  const SAME = [
    '# Connect',
    '## Diagnosis',
    '### Ping',
    '```bash {id=ping}',
    'echo "$HOST" "$DB_PASSWORD" $PORT',
    '```',
    '',
  ].join('\n');

  it('is hidden in the dry run (text and --json) and in show, as a run hides it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-cmdsecret-'));
    writeFileSync(join(dir, 's.md'), SAME);
    // DB_PASSWORD is a secret by its name; HOST is not, and holds the same value. PORT holds the
    // value of a credential-named variable of the environment no step uses.
    const vars = ['--var', 'DB_PASSWORD=s3cr3tValue', '--var', 'HOST=s3cr3tValue', '--var', 'PORT=EnvPw98765'];
    const env = { PGPASSWORD: 'EnvPw98765' };
    const text = await runMain({ argv: ['runbook', './s.md', '--dry-run', ...vars], cwd: dir, env });
    const json = await runMain({ argv: ['runbook', './s.md', '--dry-run', '--json', ...vars], cwd: dir, env });
    const show = await runMain({ argv: ['runbook', 'show', './s.md', ...vars], cwd: dir, env });
    for (const r of [text, json, show]) {
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/s3cr3tValue|EnvPw98765/);
    }
    expect(text.stdout).toContain('echo "******" "******" ******');
    const plan = JSON.parse(json.stdout) as {
      variables: { name: string; value: string }[];
      steps: { resolvedCommand: string }[];
    };
    expect(plan.steps[0]!.resolvedCommand).toBe('echo "******" "******" ******');
    expect(plan.variables).toEqual([
      expect.objectContaining({ name: 'HOST', value: '******' }),
      expect.objectContaining({ name: 'DB_PASSWORD', value: '******' }),
      expect.objectContaining({ name: 'PORT', value: '******' }),
    ]);
    expect(show.stdout).toContain('echo "******" "******" ******');
  });
});
