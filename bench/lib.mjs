// Whole-process timing against the `node -e 0` floor on the same machine, in the same run.
// Each command gets warm-up runs, then N timed runs; we report the median and its ratio to the floor.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const IR = join(ROOT, 'bin', 'ir');

/** `ir …` in `cwd` with `env`, as set-up for a bench case; throws with ir's stderr if it fails. */
export function irIn(cwd, env) {
  return (...args) => {
    const r = spawnSync(process.execPath, [IR, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', ...env },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`ir ${args.join(' ')}: ${r.stderr}`);
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Times one process; throws if it exits non-zero (unless allowed). */
export function timeOnce(argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    input: '',
    // Ten years of a layered schedule prints over 1 MB (spawnSync's default), which would kill it.
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !(opts.allowExit ?? []).includes(r.status)) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return ms;
}

export function measure(argv, { runs = 20, warmup = 3, ...opts } = {}) {
  for (let i = 0; i < warmup; i++) timeOnce(argv, opts);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(timeOnce(argv, opts));
  return { median: median(samples), min: Math.min(...samples), samples };
}

/**
 * Measures the floor and each case, interleaved: every round runs the floor and then each case
 * once, so a machine that slows down or speeds up mid-run moves them all alike and the ratios stay
 * fair. Prints a table and returns rows with ratios.
 * cases: [{ name, args: [...ir args], target?: 1.5, env?, cwd? }] (no target: reported only);
 * `argv` instead of `args` times a command other than ir.
 */
export function compareToFloor(title, cases, { runs = 20, warmup = 3 } = {}) {
  const argvs = [
    { argv: [process.execPath, '-e', '0'], opts: {} },
    ...cases.map((c) => ({
      argv: c.argv ?? [process.execPath, IR, ...c.args],
      opts: { env: c.env, cwd: c.cwd, allowExit: c.allowExit },
    })),
  ];
  const samples = argvs.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    argvs.forEach(({ argv, opts }, i) => {
      const ms = timeOnce(argv, opts);
      if (round >= warmup) samples[i].push(ms);
    });
  }
  const floor = { median: median(samples[0]) };
  const rows = cases.map((c, i) => {
    const m = median(samples[i + 1]);
    const ratio = m / floor.median;
    // A case without a target is reported, never failed.
    return { name: c.name, medianMs: m, ratio, target: c.target, ok: c.target === undefined || ratio <= c.target };
  });
  console.log(`\n${title}`);
  console.log(`  node -e 0 (floor)                         ${floor.median.toFixed(1).padStart(7)} ms`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(40)} ${r.medianMs.toFixed(1).padStart(7)} ms  ${r.ratio.toFixed(2)}x  ${r.target === undefined ? '(no target)' : `(target ≤ ${r.target}x) ${r.ok ? 'ok' : 'OVER'}`}`,
    );
  }
  return { floorMs: floor.median, rows };
}
