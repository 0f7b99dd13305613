/** The SQLite incident repository against a real temporary database file. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/types.js';
import { tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let path: string;

beforeEach(() => {
  tmp = tempDir();
  path = join(tmp.dir, 'state', 'ir.db');
  store = openSqliteStore(path);
});
afterEach(async () => {
  await store.close();
  tmp.cleanup();
});

describe('incident repository (SQLite)', () => {
  it('migrates to the incidents schema in a private file', async () => {
    const info = await store.info();
    // Other areas append their own migrations after these.
    expect(info.migrations.map((m) => [m.version, m.name]).slice(0, 2)).toEqual([
      [1, 'bookkeeping'],
      [2, 'incidents'],
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
