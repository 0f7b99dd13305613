import { describe, expect, it } from 'vitest';
import { defaultDbPath, resolveDbPath, xdgBase } from '../src/paths.js';

describe('where ir keeps files', () => {
  it('an XDG variable counts only when absolute', () => {
    expect(xdgBase({ XDG_DATA_HOME: '/x/data', HOME: '/h' }, 'XDG_DATA_HOME', '.local/share')).toBe('/x/data');
    expect(xdgBase({ XDG_DATA_HOME: 'rel', HOME: '/h' }, 'XDG_DATA_HOME', '.local/share')).toBe('/h/.local/share');
    expect(xdgBase({ HOME: '/h' }, 'XDG_CACHE_HOME', '.cache')).toBe('/h/.cache');
  });
  it('the database: --db, then IR_DB (relative to the working directory), then the XDG data directory', () => {
    expect(defaultDbPath({ HOME: '/h' })).toBe('/h/.local/share/ir/ir.db');
    expect(resolveDbPath('/work', { HOME: '/h', IR_DB: 'state.db' })).toBe('/work/state.db');
    expect(resolveDbPath('/work', { HOME: '/h', IR_DB: 'state.db' }, '/tmp/x.db')).toBe('/tmp/x.db');
    expect(resolveDbPath('/work', { HOME: '/h', IR_DB: '' })).toBe('/h/.local/share/ir/ir.db');
  });
});
