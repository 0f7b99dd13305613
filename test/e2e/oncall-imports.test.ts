import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const DIST = join(REPO_ROOT, 'dist');

/** Every file `ir <cmd>` loads: the entry, the command's chunk, and their static imports. */
function staticGraph(commandChunk: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(DIST, file), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?["'](\.\/[^"']+\.js)["']/g)) {
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      visit(join(dir, m[1]!).replace(/\\/g, '/'));
    }
  };
  visit('ir.js');
  visit(`chunks/${commandChunk}`);
  return [...seen];
}

function packagesIn(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    const map = JSON.parse(readFileSync(join(DIST, `${f}.map`), 'utf8')) as { sources: string[] };
    for (const s of map.sources) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s);
      if (m) out.add(m[1]!);
    }
  }
  return out;
}

describe('ir oncall who keeps a small import graph', () => {
  const chunk = (name: string) => readdirSync(join(DIST, 'chunks')).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'))!;

  it('who loads no ical-generator, inquirer, ora or execa', () => {
    const pkgs = packagesIn(staticGraph(chunk('who')));
    expect(pkgs.has('@date-fns/tz')).toBe(true); // the walk does find bundled packages
    for (const heavy of ['ical-generator', '@inquirer/prompts', '@inquirer/core', 'ora', 'execa', 'cli-table3']) expect(pkgs.has(heavy), heavy).toBe(false);
  });

  it('export loads ical-generator only through a dynamic import', () => {
    expect(packagesIn(staticGraph(chunk('export'))).has('ical-generator')).toBe(false);
    expect(packagesIn([`chunks/${chunk('ics')}`]).has('ical-generator')).toBe(true);
  });
});
