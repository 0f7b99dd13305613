/**
 * The same parsers fed through whole commands (in process, through the error boundary, as the CLI
 * runs them): whatever a user types or writes, ir answers or refuses with a usage error — exit 2,
 * an `error:` line and no stack trace — never an internal error, a hang, or NaN in what it prints.
 * Bounded by run count, never by the clock.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { CORPUS } from '../helpers/prereq.js';
import { runMain } from '../helpers/context.js';

const NOW = new Date('2026-11-26T14:32:00Z');
const RUNS = { numRuns: 40 };
const tmp = tempDir();
const cwd = tmp.dir;

beforeAll(async () => {
  const r = await runMain({ argv: ['declare', '--title', 'Seeded', '--sev', '2'], cwd, now: NOW, env: env() });
  expect(r.code, r.stderr).toBe(0);
  return () => tmp.cleanup();
});

function env(): Record<string, string> {
  return { IR_DB: join(cwd, 'ir.db'), IR_USER: 'alice', HOME: cwd };
}

/** Runs `ir argv`; passes when it exits with one of `codes`, a refusal being a plain usage error. */
async function answersOrRefuses(argv: string[], input: string, codes = [0, 2]): Promise<void> {
  const r = await runMain({ argv, cwd, now: NOW, env: env() });
  const what = `ir ${argv.join(' ')}\n${r.stderr}`;
  expect(codes, what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/internal error|\n\s+at |Please report/);
  if (r.code === 2) expect(r.stderr, what).toMatch(/^error: /m);
  if (!/nan/i.test(input)) expect(r.stdout + r.stderr, what).not.toMatch(/\bNaN\b/);
}

/** What users type into flags: near-misses of real values, and anything at all. */
const typed = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.stringMatching(/^[0-9.:\-+ TZdhmswy%PT]{1,16}$/),
  fc.constantFrom('99.9', '99.99%', '0.9999', '100', '0', '1e309', '-5', '30d', '4w', 'PT3M30S', '90s', '1h30m'),
  fc.constantFrom('2026-02-30', '2026-11-26 14:32', '10m ago', 'in 2h', 'now', '24:00', '9999-12-31T23:59:59Z'),
);
/** Flag values must not start with '-' here (commander would read them as flags: a different test). */
const flag = typed.map((s) => (s.startsWith('-') ? ` ${s}` : s));

describe('flags through whole commands', () => {
  it('ir budget --slo --window --downtime --elapsed', async () => {
    await fc.assert(
      fc.asyncProperty(flag, flag, flag, flag, async (slo, window, down, elapsed) => {
        await answersOrRefuses(
          ['budget', '--slo', slo, '--window', window, '--downtime', down, '--elapsed', elapsed],
          slo + window + down + elapsed,
        );
      }),
      RUNS,
    );
  });

  it('ir incident list --since (human and --json)', async () => {
    await fc.assert(
      fc.asyncProperty(flag, async (when) => {
        await answersOrRefuses(['incident', 'list', '--since', when], when);
        await answersOrRefuses(['incident', 'list', '--since', when, '--json'], when);
      }),
      RUNS,
    );
  });
});

describe('files through whole commands', () => {
  const lines = (choices: string[]) =>
    fc
      .array(fc.oneof(fc.constantFrom(...choices), fc.string({ maxLength: 12 })), { maxLength: 14 })
      .map((l) => l.join('\n'));

  it('a schedule file: ir oncall who --schedule --at', async () => {
    const schedule = lines([
      'timezone: UTC',
      'layers:',
      '  - name: base',
      '    rotation: weekly',
      '    start: 2026-01-05',
      '    handoff: Mon 09:00',
      '    members: [alice, bob]',
      '    restrictions: [weekdays 08:00-16:00]',
      'rotation: every 3 days',
      'shift_length: 12h',
      'members: [a]',
      '&a [1]',
      '*a',
      '!!binary x',
    ]);
    await fc.assert(
      fc.asyncProperty(schedule, flag, async (text, at) => {
        writeFileSync(join(cwd, 'fuzz.yaml'), text);
        await answersOrRefuses(['oncall', 'who', '--schedule', join(cwd, 'fuzz.yaml'), '--at', at], text + at);
      }),
      RUNS,
    );
  });

  it('ir.yaml: ir --config FILE config, and a command that reads it', async () => {
    const config = lines([
      'timezone: Europe/Berlin',
      'timezone: Mars/Base',
      'slos:',
      '  api:',
      '    target: 99.9%',
      '    window: 30d',
      'incidents:',
      '  webhooks:',
      '    - name: a',
      '      url: http://x',
      'learning:',
      '  metrics_since: 90d',
      '!!js/function x',
    ]);
    await fc.assert(
      fc.asyncProperty(config, async (text) => {
        writeFileSync(join(cwd, 'fuzz-ir.yaml'), text);
        await answersOrRefuses(['--config', join(cwd, 'fuzz-ir.yaml'), 'config', '--json'], text);
        await answersOrRefuses(['--config', join(cwd, 'fuzz-ir.yaml'), 'budget', 'api'], text);
      }),
      RUNS,
    );
  });

  it('runbook markdown (random, and real runbooks mutated): ir runbook FILE --dry-run, ir runbook lint FILE', async () => {
    const runbook = lines([
      '---',
      'variables:',
      '  SVC:',
      '    default: api',
      '    secret: true',
      '# Restart',
      '## Step',
      '```sh',
      '```bash {timeout=5s expect=ok}',
      'kubectl rollout restart deploy/$SVC',
      '```',
      '- [ ] check the dashboard',
    ]);
    // Real runbooks (the corpus, when it is here), cut and spliced at random places.
    const real = existsSync(CORPUS)
      ? (readdirSync(CORPUS, { recursive: true }) as string[])
          .filter((f) => f.endsWith('.md'))
          .slice(0, 20)
          .map((f) => readFileSync(join(CORPUS, f), 'utf8'))
      : [];
    const mutated = real.length
      ? fc.tuple(fc.constantFrom(...real), fc.nat(), fc.nat(), fc.string({ maxLength: 20 })).map(([t, a, b, ins]) => {
          const i = a % (t.length + 1);
          return t.slice(0, i) + ins + t.slice(Math.min(t.length, i + (b % 200)));
        })
      : runbook;
    await fc.assert(
      fc.asyncProperty(fc.oneof(runbook, mutated), async (text) => {
        writeFileSync(join(cwd, 'fuzz.md'), text);
        await answersOrRefuses(['runbook', join(cwd, 'fuzz.md'), '--dry-run'], text);
        // lint reports findings with exit 1.
        await answersOrRefuses(['runbook', 'lint', join(cwd, 'fuzz.md')], text, [0, 1, 2]);
      }),
      RUNS,
    );
  });

  it('import rows: ir incident import FILE --dry-run (JSON Lines and CSV)', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('2026-02-30T00:00:00Z', '2026-01-05T10:00:00Z', 'SEV-1', '2', '', '1e999', 'null'),
    );
    const row = fc.dictionary(
      fc.constantFrom('title', 'severity', 'startedAt', 'detectedAt', 'resolvedAt', 'service', 'Title'),
      value,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 4 }), fc.string({ maxLength: 80 }), async (rows, junk) => {
        const jsonl = [...rows.map((r) => JSON.stringify(r)), junk].join('\n');
        writeFileSync(join(cwd, 'fuzz.jsonl'), jsonl);
        await answersOrRefuses(['incident', 'import', join(cwd, 'fuzz.jsonl'), '--dry-run'], jsonl);
        const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        const csv = [header.join(','), ...rows.map((r) => header.map((h) => r[h] ?? '').join(',')), junk].join('\n');
        writeFileSync(join(cwd, 'fuzz.csv'), csv);
        await answersOrRefuses(['incident', 'import', join(cwd, 'fuzz.csv'), '--dry-run'], csv);
      }),
      RUNS,
    );
  });
});
