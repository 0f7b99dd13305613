/**
 * Incident commands in-process, with a fixed clock and a real temporary SQLite file: the update
 * cadence marks of `ir incident list` and `ir incident show` (due at 20 minutes, overdue at 30 for
 * SEV-1/2 — the declaration counts as the first update), which an end-to-end test cannot reach
 * without waiting half an hour.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as declare } from '../../src/commands/incident/declare.js';
import { run as list } from '../../src/commands/incident/list.js';
import { timelineLines } from '../../src/commands/incident/render.js';
import { run as resolve } from '../../src/commands/incident/resolve.js';
import { run as role } from '../../src/commands/incident/role.js';
import { run as show } from '../../src/commands/incident/show.js';
import { run as status } from '../../src/commands/incident/status.js';
import { run as update } from '../../src/commands/incident/update.js';
import { tempDir } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const T0 = new Date('2026-11-26T14:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Runs one command at `minutes` after T0 against the shared database; returns its output. */
async function at_(minutes: number, command: (ctx: ReturnType<typeof testContext>['ctx']) => Promise<number>) {
  const t = testContext({
    cwd: tmp.dir,
    now: at(minutes),
    env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', TZ: 'Europe/Berlin' },
  });
  try {
    const code = await command(t.ctx);
    return { code, stdout: t.stdout(), stderr: t.stderr() };
  } finally {
    await t.ctx.close();
  }
}

const listNotes = (stdout: string, id: string) => stdout.split('\n').find((l) => l.startsWith(id)) ?? '';

describe('stakeholder update cadence marks, with a fixed clock', () => {
  beforeEach(async () => {
    expect((await at_(0, (ctx) => declare(ctx, { title: 'Checkout failing', sev: 2, service: 'api' }))).code).toBe(0);
    // SEV-4 has no cadence: never due.
    expect((await at_(0, (ctx) => declare(ctx, { title: 'Typo on the status page', sev: 4 }))).code).toBe(0);
  });

  it('not due before 20 minutes', async () => {
    const l = await at_(19, (ctx) => list(ctx, {}));
    expect(listNotes(l.stdout, 'INC-1')).not.toMatch(/update (due|overdue)/);
    const s = await at_(19, (ctx) => show(ctx, {}, 'INC-1'));
    expect(s.stdout).toMatch(/Next update\s+due at 2026-11-26 15:20 CET \(in 1m\b/);
    // show's times: the local zone, then UTC
    expect(s.stdout).toMatch(/Started\s+2026-11-26 15:00 CET · 14:00 UTC \(19m ago\)/);
    expect(JSON.parse((await at_(19, (ctx) => show(ctx, { json: true }, 'INC-1'))).stdout).update).toEqual({
      state: 'ok',
      lastAt: at(0).toISOString(),
      dueAt: at(20).toISOString(),
      overdueAt: at(30).toISOString(),
    });
  });

  it('due from 20 minutes after the declaration', async () => {
    const l = await at_(25, (ctx) => list(ctx, {}));
    expect(listNotes(l.stdout, 'INC-1')).toMatch(/update due/);
    expect(listNotes(l.stdout, 'INC-2')).not.toMatch(/update/);
    const s = await at_(25, (ctx) => show(ctx, {}, 'INC-1'));
    expect(s.stdout).toMatch(/Next update\s+DUE since 5m\b.*overdue at 2026-11-26 15:30 CET/);
    const j = JSON.parse((await at_(25, (ctx) => list(ctx, { json: true }))).stdout);
    expect(j.map((v: { id: string; update: { state: string } }) => [v.id, v.update.state])).toEqual([
      ['INC-2', 'none'],
      ['INC-1', 'due'],
    ]);
  });

  it('overdue from 30 minutes, with a pitfall warning; an update resets the clock', async () => {
    const l = await at_(41, (ctx) => list(ctx, {}));
    expect(listNotes(l.stdout, 'INC-1')).toMatch(/update overdue/);
    const s = await at_(41, (ctx) => show(ctx, {}, 'INC-1'));
    expect(s.stdout).toMatch(/Next update\s+OVERDUE by 11m\b.*\(last 41m\b.* ago\)/);
    const j = JSON.parse((await at_(41, (ctx) => show(ctx, { json: true }, 'INC-1'))).stdout);
    expect(j.update.state).toBe('overdue');
    expect(j.warnings.map((w: { code: string }) => w.code)).toContain('update-overdue');

    expect((await at_(42, (ctx) => update(ctx, { message: 'Rolled back the deploy' }, 'INC-1'))).code).toBe(0);
    expect(listNotes((await at_(50, (ctx) => list(ctx, {}))).stdout, 'INC-1')).not.toMatch(/update (due|overdue)/);
    expect(listNotes((await at_(63, (ctx) => list(ctx, {}))).stdout, 'INC-1')).toMatch(/update due/);
  });
});

describe('lifecycle refusals quote times in the display zone', () => {
  // Declared at T0 (14:00 UTC) with impact from 13:55 UTC; every --at below is before that.
  beforeEach(async () => {
    expect(
      (await at_(0, (ctx) => declare(ctx, { title: 'Checkout failing', sev: 2, startedAt: '2026-11-26T13:55:00Z' })))
        .code,
    ).toBe(0);
  });

  it('TZ (Europe/Berlin here) when ir.yaml sets no timezone', async () => {
    await expect(at_(30, (ctx) => status(ctx, { at: '2026-11-26T13:50:00Z' }, 'INC-1', 'identified'))).rejects.toThrow(
      '--at: 2026-11-26 14:50:00 CET is before INC-1 started (2026-11-26 14:55:00 CET)',
    );
    await expect(at_(30, (ctx) => resolve(ctx, { at: '20m ago', impactEndedAt: '10m ago' }, 'INC-1'))).rejects.toThrow(
      '--impact-ended-at: 2026-11-26 15:20:00 CET is after the resolution time 2026-11-26 15:10:00 CET',
    );
  });

  it('ir.yaml timezone over TZ', async () => {
    writeFileSync(join(tmp.dir, 'ir.yaml'), 'timezone: America/New_York\n');
    await expect(at_(30, (ctx) => role(ctx, { at: '2026-11-26 08:50' }, 'INC-1', 'sme', 'bob'))).rejects.toThrow(
      /^--at: 2026-11-26 08:50:00 EST is before INC-1 started \(2026-11-26 08:55:00 EST\)$/,
    );
  });
});

describe('timeline lines (ir incident timeline, show and watch)', () => {
  it('continue an entry of several lines under its text, not at column 0, with the #id at its end', () => {
    const t = testContext({ cwd: tmp.dir, env: { TZ: 'UTC' } });
    const entry = (id: number, type: string, text: string) => ({
      id,
      at: new Date('2026-11-26T14:00:00Z'),
      type,
      text,
      author: 'alice',
      recordedAt: new Date('2026-11-26T14:00:00Z'),
    });
    const lines = timelineLines(t.ctx, [entry(1, 'started', 'begun'), entry(2, 'note', 'a\nb\r\n\nc')], []);
    expect(lines).toEqual([
      '2026-11-26',
      '14:00:00 UTC  started  alice  begun',
      '14:00:00 UTC  note     alice  a',
      '                              b',
      '',
      '                              c  #2',
    ]);
  });
});

describe('ir incident list on a terminal', () => {
  it('cuts a long title to 60 characters, so each incident stays one line; piped, the title is whole', async () => {
    const title = `Checkout failing ${'x'.repeat(200)}`;
    expect((await at_(0, (ctx) => declare(ctx, { title, sev: 3 }))).code).toBe(0);
    const listed = async (tty: boolean) => {
      const t = testContext({
        cwd: tmp.dir,
        now: at(1),
        tty,
        env: { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', TZ: 'UTC', CI: tty ? undefined : 'true' },
      });
      try {
        expect(await list(t.ctx, {})).toBe(0);
        return listNotes(t.stdout(), 'INC-1');
      } finally {
        await t.ctx.close();
      }
    };
    const row = await listed(true);
    expect(row).toContain(`${title.slice(0, 59)}…`);
    expect(row).not.toContain(title.slice(0, 60));
    expect(await listed(false)).toContain(title);
  });
});
