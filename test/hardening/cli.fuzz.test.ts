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
/** Names every object has through its prototype: text from outside must be read as any other name. */
const INHERITED = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
/** Flag values must not start with '-' here (commander would read them as flags: a different test). */
const flag = fc.oneof(typed, fc.constantFrom(...INHERITED)).map((s) => (s.startsWith('-') ? ` ${s}` : s));

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
  /** A real line with its key or its value renamed to a name every object has (`rotation: constructor`). */
  const renamed = (choices: string[]) =>
    fc
      .tuple(fc.constantFrom(...choices), fc.constantFrom(...INHERITED), fc.boolean())
      .map(([line, name, key]) =>
        key ? line.replace(/[A-Za-z_][\w-]*(?=:)/, name) : line.replace(/[\w.%/$-]+(?=\]?\s*$)/, name),
      );
  const lines = (choices: string[]) =>
    fc
      .array(fc.oneof(fc.constantFrom(...choices), renamed(choices), fc.string({ maxLength: 12 })), {
        maxLength: 14,
      })
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
      fc.constantFrom('title', 'severity', 'startedAt', 'detectedAt', 'resolvedAt', 'service', 'Title', ...INHERITED),
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

describe('real files with one name renamed to one every object has', () => {
  /** Whole, valid files, so the renamed line is read in context (a random jumble rarely gets that far). */
  const FILES: { name: string; text: string[]; argv: (file: string) => string[]; codes?: number[] }[] = [
    {
      name: 'renamed-schedule.yaml',
      text: [
        'timezone: UTC',
        'layers:',
        '  - name: base',
        '    rotation: weekly',
        '    start: 2026-01-05',
        '    handoff: Mon 09:00',
        '    members: [alice, bob]',
        'overrides:',
        '  - start: 2026-11-26 00:00',
        '    end: 2026-11-27 00:00',
        '    person: carol',
        '    replace: alice',
      ],
      argv: (f) => ['oncall', 'who', '--schedule', f],
    },
    {
      name: 'renamed-ir.yaml',
      text: [
        'incident_types:',
        '  security:',
        '    checklist: [Rotate credentials]',
        '    roles:',
        '      liaison: carol',
        'alerts:',
        '  severity_label: severity',
        '  severities:',
        '    p1: SEV-1',
        '  service_labels: [service]',
        'components:',
        '  - id: api',
        '    name: API',
      ],
      argv: (f) => ['--config', f, 'config', '--json'],
    },
    {
      name: 'renamed-alert.json',
      text: [
        '{"version": "4", "status": "firing", "groupKey": "g", "alerts": [{"status": "firing",',
        '"labels": {"alertname": "HighLatency", "severity": "critical", "service": "api"},',
        '"annotations": {"summary": "slow"}, "startsAt": "2026-11-26T14:00:00Z"}]}',
      ],
      argv: (f) => ['alert', 'ingest', f, '--json'],
    },
    {
      name: 'renamed-runbook.md',
      text: [
        '---',
        'variables:',
        '  SVC:',
        '    default: api',
        '---',
        '# Restart',
        '## Diagnosis',
        '```sh {id=check timeout=5s}',
        'echo $SVC',
        '```',
      ],
      argv: (f) => ['runbook', f, '--dry-run'],
    },
  ];

  it('ir answers or refuses with a usage error, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES),
        fc.nat(),
        fc.constantFrom(...INHERITED),
        fc.nat(),
        async (file, line, name, which) => {
          const text = [...file.text];
          const i = line % text.length;
          // Every word of the line is a candidate: a key, a value, a label in JSON.
          const words = [...text[i]!.matchAll(/[A-Za-z_][\w-]*/g)];
          if (words.length === 0) return;
          const w = words[which % words.length]!;
          text[i] = text[i]!.slice(0, w.index) + name + text[i]!.slice(w.index + w[0].length);
          const path = join(cwd, file.name);
          writeFileSync(path, text.join('\n'));
          await answersOrRefuses(file.argv(path), text.join('\n'), [0, 1, 2]);
        },
      ),
      // More runs than the others: each is one small file, and the names that break are few among the lines.
      { numRuns: 200 },
    );
  });
});
