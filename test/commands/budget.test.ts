import { describe, expect, it } from 'vitest';
import { parseBudgetFlags, run as runBudget } from '../../src/commands/budget/index.js';
import { budget } from '../../src/commands/budget/spec.js';
import { parseFlags } from '../../src/commands/spec.js';
import { useTempDirs } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const dir = useTempDirs();

/** argv's raw values through the declaration's parsers, as cli.ts passes them. */
const flags = (raw: Record<string, unknown>) => parseFlags(budget, raw);
const run = (ctx: Parameters<typeof runBudget>[0], raw: Record<string, unknown>) => runBudget(ctx, flags(raw));

describe('argv → options', () => {
  it('maps flags to typed options', () => {
    expect(
      parseBudgetFlags(flags({ slo: '99.9%', window: '30d', downtime: ['90s', 'PT1M'], elapsed: '1d' }), 'api'),
    ).toEqual({
      service: 'api',
      slo: 0.999,
      windowMinutes: 43200,
      outagesMinutes: [1.5, 1],
      elapsedMinutes: 1440,
    });
    expect(parseBudgetFlags(flags({ slo: '99', bad: '5', total: '100' })).requests).toEqual({
      good: 95,
      bad: 5,
      total: 100,
    });
  });

  it('refuses mixing time-based and request-based input, and inconsistent counts', () => {
    expect(() => parseBudgetFlags(flags({ slo: '99', downtime: ['1m'], good: '1', total: '2' }))).toThrow(
      /cannot be combined/,
    );
    expect(() => parseBudgetFlags(flags({ slo: '99', good: '1', bad: '2', total: '4' }))).toThrow(/must equal --total/);
  });
});

describe('rendering', () => {
  it('draws a bar coloured by verdict on a terminal', async () => {
    const { ctx, stdout } = testContext({ cwd: dir(), tty: true, env: { CI: undefined, FORCE_COLOR: '1' } });
    expect(await run(ctx, { slo: '99.99', downtime: ['3.5m'] })).toBe(0);
    expect(stdout()).toMatch(/█+.*░+.* 86\.8% used/);
    // yellow for a warning
    expect(stdout()).toContain('\u001b[33m');
  });

  it('no bar on a terminal when CI is set', async () => {
    const { ctx, stdout } = testContext({ cwd: dir(), tty: true, env: { CI: 'true' } });
    await run(ctx, { slo: '99.99', downtime: ['3.5m'] });
    expect(stdout()).toMatch(/86\.8%/);
    expect(stdout()).not.toMatch(/█|░/);
  });

  it('no bar when stdout is not a terminal', async () => {
    const { ctx, stdout } = testContext({ cwd: dir() });
    await run(ctx, { slo: '99.99' });
    expect(stdout()).not.toMatch(/█/);
  });
});
