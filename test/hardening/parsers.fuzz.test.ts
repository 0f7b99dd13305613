/**
 * Every parser a user feeds, fed random and mutated input: each returns a result or refuses with
 * ir's usage error — never another exception, a hang, NaN, or a value outside its range. Runs are
 * bounded by count (numRuns), never by the clock.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSlo, parseSpanMinutes, parsePercent } from '../../src/budget/slo.js';
import { parseConfigText } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';
import { csvRows, jsonArray, jsonLines } from '../../src/history/formats.js';
import { validateRow } from '../../src/history/validate.js';
import { parseOncallFile } from '../../src/oncall/file.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { parseAnyDuration, parseDuration } from '../../src/time/duration.js';
import { inInstantRange, isoFieldsExist, parseInstant } from '../../src/time/instant.js';
import { printable } from '../../src/ui/printable.js';
import { CORPUS, inCI } from '../helpers/prereq.js';

const NOW = new Date('2026-11-26T14:32:00Z');
const RUNS = { numRuns: 300 };

/** Text that looks a bit like what users type: digits, units, separators, and anything at all. */
const typed = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[0-9.:\-+ TZdhmswy%a-z]{0,24}$/),
  fc.fullUnicodeString({ maxLength: 30 }),
);

/** Runs `f`; passes when it returns, or throws ir's usage error (exit 2) with a message. */
function resultOrUsageError(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return undefined;
  }
}

describe('durations, SLOs, percentages, times', () => {
  it('parseDuration / parseAnyDuration: undefined or a finite, non-negative number of ms', () => {
    fc.assert(
      fc.property(typed, (s) => {
        for (const v of [parseDuration(s), parseAnyDuration(s)]) {
          if (v !== undefined) expect(Number.isFinite(v) && v >= 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('parseSlo / parsePercent / parseSpanMinutes: undefined or a finite number in range', () => {
    fc.assert(
      fc.property(fc.oneof(typed, fc.double().map(String)), (s) => {
        const slo = parseSlo(s);
        if (slo !== undefined) expect(slo > 0 && slo < 1).toBe(true);
        const pct = parsePercent(s);
        if (pct !== undefined) expect(Number.isFinite(pct)).toBe(true);
        const span = parseSpanMinutes(s);
        if (span !== undefined) expect(Number.isFinite(span) && span > 0).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseInstant: undefined or a valid instant from 1970 to 9999; never a day that does not exist', () => {
    const isoish = fc
      .tuple(
        fc.integer({ min: 1960, max: 10010 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('Z', '+01:00', '-05:30', '+25:00', ''),
      )
      .map(([y, mo, d, h, mi, z]) => {
        const p = (n: number) => String(n).padStart(2, '0');
        return `${String(y).padStart(4, '0')}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:00${z}`;
      });
    fc.assert(
      fc.property(fc.oneof(typed, isoish), fc.constantFrom('UTC', 'Europe/Berlin', 'America/St_Johns'), (s, tz) => {
        const d = parseInstant(s, NOW, tz);
        if (d === undefined) return;
        expect(inInstantRange(d.getTime())).toBe(true);
        // A calendar date typed in full comes back as that date (no rolling into the next month).
        if (/^\d{4}-\d{2}-\d{2}T.*(Z)$/.test(s)) expect(d.toISOString().slice(0, 10)).toBe(s.slice(0, 10));
        expect(isoFieldsExist(s)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('files users write', () => {
  const yamlish = fc.oneof(
    fc.string(),
    fc
      .array(
        fc.oneof(
          fc.constantFrom('name: x', 'timezone: UTC', 'layers:', '  - users: [a, b]', 'rotation: weekly', '&a [1]'),
          fc.constantFrom('*a', 'handoff: "09:00"', 'start: 2026-01-05', '- ', ': :', '{', '[', '!!binary x', '\t'),
          fc.string({ maxLength: 12 }),
        ),
        { maxLength: 12 },
      )
      .map((l) => l.join('\n')),
  );

  it('schedule / policy YAML: a parsed file or a usage error naming the file', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        resultOrUsageError(() => parseOncallFile(text, 'fuzz.yaml'));
      }),
      RUNS,
    );
  });

  it('ir.yaml: a config or a usage error naming the file', () => {
    const configish = fc.oneof(
      yamlish,
      fc
        .array(
          fc.constantFrom(
            'incidents:',
            '  webhooks:',
            '    - name: a',
            '      url: http://x',
            'slos:',
            '  api:',
            '    target: 99.9%',
            '    window: 30d',
            'timezone: Mars/Base',
            'learning:',
            '  metrics_since: 90d',
          ),
          { maxLength: 10 },
        )
        .map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(configish, (text) => {
        resultOrUsageError(() => parseConfigText(text, 'ir.yaml'));
      }),
      RUNS,
    );
  });

  it('a billion-laughs document is refused as invalid YAML, quickly, by both', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
      .concat('bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`))
      .join('\n');
    expect(() => parseOncallFile(bomb, 'bomb.yaml')).toThrow(/bomb\.yaml: invalid YAML/);
    expect(() => parseConfigText(bomb, 'ir.yaml')).toThrow(/ir\.yaml: invalid YAML/);
  });

  it('runbook markdown (random, and real runbooks mutated): a runbook or a usage error', () => {
    // The real runbooks of the corpus when it is here (required under CI), else one written here.
    const corpus = existsSync(CORPUS) ? CORPUS : undefined;
    if (!corpus && inCI()) throw new Error(`CI is set and the runbook corpus is not at ${CORPUS}`);
    let real = corpus
      ? (readdirSync(corpus, { recursive: true }) as string[])
          .filter((f) => f.endsWith('.md'))
          .slice(0, 20)
          .map((f) => readFileSync(join(corpus, f), 'utf8'))
      : [];
    if (real.length === 0) real = ['# Runbook\n\n## Steps\n\n```bash\necho hi\n```\n'];
    const mutated = fc
      .tuple(fc.constantFrom(...real), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }))
      .map(([t, a, b, ins]) => {
        const i = a % (t.length + 1);
        const j = Math.min(t.length, i + (b % 200));
        return t.slice(0, i) + ins + t.slice(j);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutated), (text) => {
        resultOrUsageError(() => parseRunbook(text, 'fuzz.md', 'fuzz'));
      }),
      { numRuns: 150 },
    );
  });
});

describe('import rows', () => {
  const field = fc.oneof(
    fc.string(),
    fc.constantFrom('2026-02-30T00:00:00Z', '2026-01-05T10:00:00Z', 'SEV-1', '9', '', 'true', '1e999', 'NaN'),
    fc.integer(),
    fc.double(),
    fc.constant(null),
  );
  const row = fc.dictionary(
    fc.constantFrom('title', 'severity', 'startedAt', 'detectedAt', 'resolvedAt', 'service', 'id', 'Title', 'x'),
    field,
  );

  it('validateRow: ok with a well-formed incident, or problems naming a field — never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(row, fc.anything()), (raw) => {
        const r = validateRow(raw, 1, NOW);
        if (r.ok) {
          expect(Number.isFinite(r.incident.startedAt.getTime())).toBe(true);
          expect(r.incident.title.trim().length).toBeGreaterThan(0);
        } else {
          expect(r.problems.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('CSV, JSON and JSON Lines readers: rows or row errors — never a throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        for (const rows of [csvRows(text), jsonArray(text), jsonLines([text])]) {
          for (const r of rows) expect(Number.isInteger(r.row)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('printable', () => {
  it('no control character but tab, newline and CRLF survives, whatever the input', () => {
    fc.assert(
      fc.property(fc.fullUnicodeString({ maxLength: 60 }), (s) => {
        // eslint-disable-next-line no-control-regex -- the control characters printable() must remove
        const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
        expect(printable(s)).not.toMatch(bad);
        // eslint-disable-next-line no-control-regex -- strips ir's own colour codes
        expect(printable(s, true).replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(bad);
      }),
      { numRuns: 500 },
    );
  });
});
