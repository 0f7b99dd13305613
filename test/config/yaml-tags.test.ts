/**
 * A YAML tag ir does not know (`!vault`, `!Ref`) is reported by ir, with the file and line, in
 * ir.yaml, schedule files and runbook front matter; the yaml library's own warning never reaches
 * stderr as a Node warning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ValidationError } from '../../src/errors.js';
import { parseOncallFile } from '../../src/oncall/file.js';
import { parseRunbook } from '../../src/runbook/parse.js';

let warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(w.message);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** process 'warning' events are emitted on the next tick. */
const settle = () => new Promise((r) => setImmediate(r));

describe('unknown YAML tags', () => {
  it('ir.yaml: refused naming the file and line, no Node warning', async () => {
    let err: unknown;
    try {
      parseConfigText('incidents:\n  notify: !vault secret/notify\n', 'ir.yaml');
    } catch (e) {
      err = e;
    }
    await settle();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.join('\n')).toMatch(/^ir\.yaml:2:\d+: .*!vault/m);
    expect(warnings).toEqual([]);
  });

  it('a schedule file: refused naming the file and line, no Node warning', async () => {
    expect(() => parseOncallFile('timezone: !tz UTC\nstart: 2026-01-05\n', 'schedules/x.yaml')).toThrow(
      ValidationError,
    );
    await settle();
    expect(warnings).toEqual([]);
  });

  it('runbook front matter: a problem of the runbook, no Node warning', async () => {
    const rb = parseRunbook('---\ntitle: !Sub "x"\n---\n# T\n\n## Diagnosis\n\n```bash\necho hi\n```\n', 'x.md', 'x');
    await settle();
    expect(rb.problems.map((p) => (typeof p === 'string' ? p : p.message)).join('\n')).toMatch(/!Sub/);
    expect(warnings).toEqual([]);
  });
});
