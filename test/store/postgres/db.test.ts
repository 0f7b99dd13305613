/** The team database's URL as ir hands it to the driver, and the server as messages name it. */
import { describe, expect, it } from 'vitest';
import { libpqUrl, serverName } from '../../../src/store/postgres/db.js';

describe('libpqUrl: sslmode as psql reads it', () => {
  it('leaves a URL without TLS settings exactly as it was', () => {
    const url = 'postgres://ir:p%40ss@db.internal:5432/ir?application_name=x';
    expect(libpqUrl(url, {})).toBe(url);
  });
  it('asks the driver for libpq semantics whenever sslmode is given', () => {
    const out = new URL(libpqUrl('postgres://ir@db/ir?sslmode=require', {}));
    expect(out.searchParams.get('sslmode')).toBe('require');
    expect(out.searchParams.get('uselibpqcompat')).toBe('true');
  });
  it('takes PGSSLMODE, PGSSLROOTCERT, PGSSLCERT and PGSSLKEY for what the URL leaves out; the URL wins', () => {
    const env = { PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/ca.crt', PGSSLCERT: '/c.crt', PGSSLKEY: '/c.key' };
    const out = new URL(libpqUrl('postgres://ir@db/ir?sslmode=verify-ca', env));
    expect(Object.fromEntries(out.searchParams)).toEqual({
      sslmode: 'verify-ca',
      sslrootcert: '/etc/ca.crt',
      sslcert: '/c.crt',
      sslkey: '/c.key',
      uselibpqcompat: 'true',
    });
  });
  it('keeps an explicit uselibpqcompat, and the password as it was encoded', () => {
    const out = libpqUrl('postgres://ir:p%40ss%2Fw@db/ir?sslmode=require&uselibpqcompat=false', {});
    expect(new URL(out).searchParams.get('uselibpqcompat')).toBe('false');
    expect(out).toContain('ir:p%40ss%2Fw@db');
  });
});

describe('serverName', () => {
  it('host:port/database from the URL, then the PG* variables, then the defaults; never the password', () => {
    expect(serverName('postgres://ir:secret@db.internal:6432/team', {})).toBe('db.internal:6432/team');
    expect(serverName('postgres://', { PGHOST: 'h', PGPORT: '7', PGDATABASE: 'd' })).toBe('h:7/d');
    expect(serverName('postgres://', {})).toBe('localhost:5432/postgres');
  });
});
