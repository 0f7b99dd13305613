/** `ir incident list --search` and the similar incidents `ir incident show` suggests, through the built binary. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[]) => runIr(args, { cwd: tmp.dir, env });
const json = (args: string[]) => {
  const r = ir([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeEach(() => {
  tmp = tempDir('ir-search-');
  writeFileSync(join(tmp.dir, 'ir.yaml'), '');
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice' };
  for (const args of [
    ['declare', '--title', 'Redis pool exhausted on checkout', '--sev', '2', '--service', 'checkout'],
    ['incident', 'resolve', 'INC-1', '--root-cause', 'connection storm after the v2.3 deploy'],
    ['declare', '--title', 'Search latency', '--sev', '3', '--service', 'search'],
    ['incident', 'log', 'INC-2', 'evictions on redis-cache-2'],
    ['declare', '--title', 'Checkout Redis timeouts', '--sev', '1', '--service', 'checkout'],
  ])
    expect(ir(args).code).toBe(0);
});
afterEach(() => tmp.cleanup());

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('search across history', () => {
  it('finds words in titles, timeline text and root causes, with --service, --severity and --since', () => {
    expect(ids(json(['incident', 'list', '--search', 'redis']))).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(ids(json(['incident', 'list', '--search', 'redi evict']))).toEqual(['INC-2']);
    expect(ids(json(['incident', 'list', '--search', 'storm']))).toEqual(['INC-1']);
    expect(ids(json(['incident', 'list', '--search', 'redis', '--service', 'checkout']))).toEqual(['INC-3', 'INC-1']);
    expect(ids(json(['incident', 'list', '--search', 'redis', '--severity', '1']))).toEqual(['INC-3']);
    expect(ids(json(['incident', 'list', '--search', 'redis', '--since', '1h']))).toHaveLength(3);
    expect(json(['incident', 'list', '--search', 'kafka'])).toEqual([]);
    const bad = ir(['incident', 'list', '--search', '!!']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--search: invalid value "!!"; expected one or more words/);
  });

  it('show suggests past incidents sharing the title’s words, with their root cause', () => {
    const shown = json(['incident', 'show', 'INC-3']);
    expect(shown.similar).toEqual([
      {
        id: 'INC-1',
        title: 'Redis pool exhausted on checkout',
        status: 'resolved',
        startedAt: expect.any(String),
        rootCause: 'connection storm after the v2.3 deploy',
        sharedWords: 2,
      },
    ]);
    expect(ir(['incident', 'show', 'INC-3']).stdout).toMatch(
      /Similar past incidents\n {2}INC-1 {2}Redis pool exhausted on checkout \(resolved, .*\) — root cause: connection storm after the v2\.3 deploy\n/,
    );
    expect(json(['incident', 'show', 'INC-2']).similar).toEqual([]);
    // Words only a timeline shares do not make incidents alike (every timeline mentions a pool).
    expect(ir(['incident', 'log', 'INC-2', 'checkout timeouts seen from search too']).code).toBe(0);
    expect(json(['incident', 'show', 'INC-3']).similar.map((s: { id: string }) => s.id)).toEqual(['INC-1']);
  });
});
