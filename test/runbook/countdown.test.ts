/** The live countdown of a `{until=…}` check on a terminal: the line, its redraws, its fallbacks. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderCountdown } from '../../src/runbook/render.js';
import { countdown, type Spinner } from '../../src/runbook/session.js';
import { baseEnv, IR_BIN } from '../helpers/cli.js';

const wait = { stepId: 'recovered', attempt: 3, last: 'got 0.12, expected < 0.05', leftMs: 170_000, everyMs: 5000 };

describe('renderCountdown', () => {
  it.each([
    [170_000, 'recovered: waiting, 2m 50s left · 3 attempts · last: got 0.12, expected < 0.05'],
    [59_001, 'recovered: waiting, 1m 00s left · 3 attempts · last: got 0.12, expected < 0.05'],
    [4_200, 'recovered: waiting, 5s left · 3 attempts · last: got 0.12, expected < 0.05'],
    [-5, 'recovered: waiting, 0s left · 3 attempts · last: got 0.12, expected < 0.05'],
  ])('%i ms left', (leftMs, line) => {
    expect(renderCountdown({ ...wait, leftMs })).toBe(line);
  });
  it('one attempt', () => {
    expect(renderCountdown({ ...wait, attempt: 1, leftMs: 10_000 })).toContain('· 1 attempt ·');
  });
});

describe('countdown', () => {
  afterEach(() => vi.useRealTimers());
  const spinner = (spinning: boolean) => {
    const texts: string[] = [];
    const s: Spinner = { start: () => {}, stop: () => {}, update: (t) => (spinning ? (texts.push(t), true) : false) };
    return { s, texts };
  };

  it('redraws the spinner line every second until the next attempt, then stops', () => {
    vi.useFakeTimers();
    let t = 0;
    const { s, texts } = spinner(true);
    const lines: string[] = [];
    const c = countdown(
      s,
      (m) => lines.push(m),
      () => t,
    );
    c.onAttempt('recovered: attempt 3 — …', { ...wait, leftMs: 10_000, everyMs: 3000 });
    for (let i = 0; i < 5; i++) {
      t += 1000;
      vi.advanceTimersByTime(1000);
    }
    expect(texts.map((x) => x.split(',')[1])).toEqual([
      ' 10s left · 3 attempts · last: got 0.12',
      ' 9s left · 3 attempts · last: got 0.12',
      ' 8s left · 3 attempts · last: got 0.12',
    ]);
    expect(lines).toEqual([]);
    c.stop();
  });

  it('prints the attempt as a line when the spinner is not showing', () => {
    const { s } = spinner(false);
    const lines: string[] = [];
    countdown(s, (m) => lines.push(m)).onAttempt('recovered: attempt 3 — …', wait);
    expect(lines).toEqual(['recovered: attempt 3 — …']);
  });
});

describe('under a pseudo-terminal', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('counts down in place while the check waits, and passes when it holds', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ir-countdown-'));
    const mark = join(dir, 'recovered');
    writeFileSync(
      join(dir, 'w.md'),
      `# Wait\n\n## Diagnosis\n\n### 1. Recovered\n\n\`\`\`bash {id=recovered until=60s every=2s}\ntest -f "${mark}"\n\`\`\`\n`,
    );
    const env = baseEnv({ HOME: dir, CI: undefined, TERM: 'xterm', NO_COLOR: '1' });
    // script(1) gives ir a terminal; stty gives it a width (ora needs one).
    const child = spawn(
      'script',
      ['-qec', `stty cols 120 rows 40; ${process.execPath} ${IR_BIN} runbook ./w.md --yes`, '/dev/null'],
      {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // The countdown is on screen: the check recovers.
        if (out.includes('recovered: waiting,')) writeFileSync(mark, '');
      });
      child.on('close', resolve);
    });
    expect(code, out).toBe(0);
    expect(out).toMatch(/recovered: waiting, \d+s left · 1 attempt · last: /);
    // In place of the one line per attempt a CI log gets.
    expect(out).not.toContain('recovered: attempt 1 —');
    expect(out).toContain('PASSED');
  }, 60_000);
});
