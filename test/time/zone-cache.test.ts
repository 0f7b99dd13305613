import { mkdirSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { machineZoneKey } from '../../src/time/zone-cache.js';
import { isValidTimeZone } from '../../src/time/instant.js';
import { loadZoneTables, resetZoneTables } from '../../src/time/zonetable.js';
import { tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => {
  resetZoneTables();
  tmp.cleanup();
});

describe("what decides the machine's zone (the key its cached answer is kept under)", () => {
  it('a linked /etc/localtime: TZ and the zone file it links to, so relinking it asks Intl again', () => {
    const dir = join(tmp.dir, 'linked');
    mkdirSync(dir, { recursive: true });
    const localtime = join(dir, 'localtime');
    symlinkSync('/usr/share/zoneinfo/Europe/Berlin', localtime);
    const berlin = machineZoneKey(undefined, localtime);
    expect(berlin).toContain('Europe/Berlin');
    expect(machineZoneKey('Bad/Zone', localtime)).not.toBe(berlin);
    // TZ set to nothing is not TZ unset: Intl answers differently for the two.
    expect(machineZoneKey('', localtime)).not.toBe(berlin);
    unlinkSync(localtime);
    symlinkSync('/usr/share/zoneinfo/Asia/Tokyo', localtime);
    expect(machineZoneKey(undefined, localtime)).not.toBe(berlin);
  });

  it('a copied /etc/localtime: the file itself and /etc/timezone, so replacing either asks Intl again', () => {
    const dir = join(tmp.dir, 'copied');
    mkdirSync(dir, { recursive: true });
    const localtime = join(dir, 'localtime');
    const timezone = join(dir, 'timezone');
    writeFileSync(localtime, 'TZif-a');
    writeFileSync(timezone, 'Europe/Berlin\n');
    const before = machineZoneKey(undefined, localtime, timezone);
    expect(before).toContain('Europe/Berlin');
    writeFileSync(timezone, 'Asia/Tokyo\n');
    expect(machineZoneKey(undefined, localtime, timezone)).not.toBe(before);
    writeFileSync(timezone, 'Europe/Berlin\n');
    writeFileSync(localtime, 'TZif-bb');
    utimesSync(localtime, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(machineZoneKey(undefined, localtime, timezone)).not.toBe(before);
  });

  it('no /etc/localtime: no key, so nothing is cached and Intl is asked every time', () => {
    expect(machineZoneKey(undefined, join(tmp.dir, 'missing'), join(tmp.dir, 'missing-too'))).toBeUndefined();
  });
});

describe('zones known from the cached tables', () => {
  it('a zone with cached years is valid without asking Intl; one whose offsets were never real is not taken on trust', () => {
    resetZoneTables();
    // A name Intl would refuse, planted as if an earlier run had read it: only the tables can say yes.
    loadZoneTables({ 'Cached/Zone': { '2026': [[Date.UTC(2026, 0, 1), 3_600_000, 'CET', 'CET']] } });
    expect(isValidTimeZone('Cached/Zone')).toBe(true);
    loadZoneTables({ 'Broken/Zone': { '2026': [[Date.UTC(2026, 0, 1), Number.NaN, '', '']] } });
    expect(isValidTimeZone('Broken/Zone')).toBe(false);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    resetZoneTables();
  });
});
