/** The SQLite calendar repository: per-UID revisions survive a reopen; a failed decision writes nothing. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextRevision } from '../../src/oncall/revision.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { useTempDirs } from '../helpers/cli.js';

const dir = useTempDirs();
const t1 = new Date('2026-11-26T20:00:00Z');
const t2 = new Date('2026-11-27T08:00:00Z');

describe('store.calendar.revise', () => {
  it('records each UID once; a later call sees what the earlier one recorded, after a reopen too', async () => {
    const path = join(dir(), 'ir.db');
    let store = openSqliteStore(path);
    const first = await store.calendar.revise(
      [
        { uid: 'a', contentHash: 'h1' },
        { uid: 'b', contentHash: 'h1' },
        { uid: 'a', contentHash: 'h1' },
      ],
      (prev, hash) => nextRevision(prev, hash, t1),
    );
    expect([...first.keys()]).toEqual(['a', 'b']);
    await store.close();

    store = openSqliteStore(path);
    const seen: (string | undefined)[] = [];
    const second = await store.calendar.revise(
      [
        { uid: 'a', contentHash: 'h1' },
        { uid: 'b', contentHash: 'h2' },
        { uid: 'c', contentHash: 'h1' },
      ],
      (prev, hash) => {
        seen.push(prev?.contentHash);
        return nextRevision(prev, hash, t2);
      },
    );
    expect(seen).toEqual(['h1', 'h1', undefined]);
    expect(second.get('a')).toEqual(first.get('a'));
    expect(second.get('b')!.sequence).toBeGreaterThan(first.get('b')!.sequence);
    expect(second.get('b')!.modifiedAt).toEqual(t2);

    await expect(
      store.calendar.revise(
        [
          { uid: 'a', contentHash: 'h9' },
          { uid: 'b', contentHash: 'h9' },
        ],
        (prev, hash) => {
          if (prev?.contentHash === 'h2') throw new Error('boom');
          return nextRevision(prev, hash, t2);
        },
      ),
    ).rejects.toThrow('boom');
    const after = await store.calendar.revise([{ uid: 'a', contentHash: 'h1' }], (prev, hash) =>
      nextRevision(prev, hash, t2),
    );
    expect(after.get('a')).toEqual(first.get('a')); // the failed call's change to "a" was rolled back
    await store.close();
  });
});
