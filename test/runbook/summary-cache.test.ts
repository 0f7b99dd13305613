import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summaries } from '../../src/runbook/summary-cache.js';
import { parseRunbook } from '../../src/runbook/parse.js';
import { tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('ir-rb-index-');
});
afterEach(() => tmp.cleanup());

describe('runbook summary cache', () => {
  it('parses only files that changed since they were indexed', async () => {
    const a = join(tmp.dir, 'a.md');
    const b = join(tmp.dir, 'b.md');
    writeFileSync(a, '# A\n## Trigger\nAlert: `a_fired`\n');
    writeFileSync(b, '# B\n');
    const file = join(tmp.dir, 'cache', 'index.json');
    const parsed: string[] = [];
    const load = async (p: string) => {
      parsed.push(p);
      return parseRunbook((await import('node:fs')).readFileSync(p, 'utf8'), p, p.endsWith('a.md') ? 'a' : 'b');
    };
    const first = await summaries([a, b], file, load);
    expect(first.map((s) => [s.name, s.title, s.alerts])).toEqual([
      ['a', 'A', ['a_fired']],
      ['b', 'B', []],
    ]);
    expect(parsed).toEqual([a, b]);
    parsed.length = 0;
    expect(await summaries([a, b], file, load)).toEqual(first);
    expect(parsed).toEqual([]);
    writeFileSync(b, '# B changed, longer\n');
    const third = await summaries([a, b], file, load);
    expect(parsed).toEqual([b]);
    expect(third[1]!.title).toBe('B changed, longer');
  });
  it('a damaged index is rebuilt', async () => {
    const a = join(tmp.dir, 'a.md');
    writeFileSync(a, '# A\n');
    const file = join(tmp.dir, 'index.json');
    writeFileSync(file, '{not json');
    const out = await summaries([a], file, async (p) => parseRunbook('# A\n', p, 'a'));
    expect(out[0]!.title).toBe('A');
  });
  it('an index written by another ir build is not read: every file is parsed again', async () => {
    const a = join(tmp.dir, 'a.md');
    writeFileSync(a, '# A\n');
    const file = join(tmp.dir, 'index.json');
    const load = async (p: string) => parseRunbook('# A\n', p, 'a');
    await summaries([a], file, load);
    const index = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { title: string }> };
    index.entries[a]!.title = 'what an older parser said';
    for (const stamp of [{ version: 3 }, { stamp: '3/0.0.1+0123456789abcdef' }]) {
      writeFileSync(file, JSON.stringify({ ...stamp, entries: index.entries }));
      expect((await summaries([a], file, load))[0]!.title, JSON.stringify(stamp)).toBe('A');
    }
  });
});
