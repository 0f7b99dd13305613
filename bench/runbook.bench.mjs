// Runbooks: parsing a 50-step runbook; ir's overhead per step over plain bash
// (target ≤ 15 ms/step); `ir runbook list` over 200 runbooks against the node -e 0 floor (≤ 2×).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { compareToFloor, IR, measure, median, ROOT } from './lib.mjs';

function stepsRunbook(n, command) {
  const parts = ['---', 'title: Bench', '---', '# Bench', '', '## Diagnosis', ''];
  for (let i = 1; i <= n; i++)
    parts.push(`### Check ${i}`, '', '```bash', `# Check number ${i}`, command, '# Expected: ok', '```', '');
  parts.push(
    '## Mitigation',
    '',
    '### Option A: Nothing',
    '',
    '```bash',
    'true',
    '```',
    '',
    'Success criteria: none',
    '',
    '## Escalation Path',
    '',
    '- page someone',
  );
  return parts.join('\n');
}

export default async function runbookBench() {
  const dir = mkdtempSync(join(tmpdir(), 'ir-bench-rb-'));
  try {
    // 1. Parse: bundle the parser (as ir ships it) and time it in-process.
    const out = join(dir, 'parse.mjs');
    await build({
      entryPoints: [join(ROOT, 'src/runbook/parse.ts')],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { parseRunbook } = await import(pathToFileURL(out).href);
    const fifty = stepsRunbook(50, 'echo ok');
    for (let i = 0; i < 20; i++) parseRunbook(fifty, 'b.md', 'b');
    const parseSamples = [];
    for (let i = 0; i < 100; i++) {
      const t0 = process.hrtime.bigint();
      const rb = parseRunbook(fifty, 'b.md', 'b');
      parseSamples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (rb.steps.length !== 51) throw new Error(`expected 51 steps, parsed ${rb.steps.length}`);
    }
    const parseMs = median(parseSamples);
    const shipped = readFileSync(join(ROOT, 'runbooks', 'high-api-latency.md'), 'utf8');
    const shippedSamples = [];
    for (let i = 0; i < 100; i++) {
      const t0 = process.hrtime.bigint();
      parseRunbook(shipped, 'h.md', 'h');
      shippedSamples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }

    // 1b. Classify a 50-step runbook (reads / changes / unknown): the parsers loaded once, no cache.
    const cout = join(dir, 'classify.mjs');
    await build({
      entryPoints: [join(ROOT, 'src/runbook/classify.ts')],
      outfile: cout,
      bundle: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
      // The bundle sits in a temporary directory; the parsers' packages are found from the source's place.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'src/runbook/classify.ts')).href) },
      banner: { js: "import { createRequire as __irCr } from 'node:module'; const require = __irCr(import.meta.url);" },
    });
    const { loadJudges } = await import(pathToFileURL(cout).href);
    const mixed = [
      'kubectl get pods -n "$NAMESPACE" -o wide | grep -v Running',
      'aws ec2 describe-security-groups --group-ids "$SG" --query "SecurityGroups[0]"',
      'oc delete pod "$POD" -n "$NS"',
      'redis-cli -h "$REDIS_HOST" info memory | grep used_memory_human',
      'curl -s -o /dev/null -w "%{http_code}" "$URL/health"',
      'for p in $(kubectl get pods -o name); do kubectl logs "$p" --tail=20; done',
      'psql "$DATABASE_URL" -c "SELECT count(*) FROM pg_stat_activity WHERE state = \'active\'"',
      'sudo systemctl restart nginx',
    ];
    const classifyMd = stepsRunbook(50, 'echo ok').replace(
      /echo ok/g,
      () => mixed[Math.floor(Math.random() * mixed.length)],
    );
    const rbC = parseRunbook(classifyMd, 'c.md', 'c');
    const t0load = process.hrtime.bigint();
    const judge = await loadJudges(rbC.steps);
    const loadMs = Number(process.hrtime.bigint() - t0load) / 1e6;
    for (let i = 0; i < 5; i++) for (const st of rbC.steps) judge(st, []);
    const classifySamples = [];
    for (let i = 0; i < 30; i++) {
      const t0 = process.hrtime.bigint();
      for (const st of rbC.steps) judge(st, []);
      classifySamples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const classifyMs = median(classifySamples);

    // 2. Per-step overhead: the same 50 commands, each in its own bash, with and without ir.
    const rb1 = join(dir, 'one.md');
    const rb50 = join(dir, 'fifty.md');
    writeFileSync(rb1, stepsRunbook(1, 'echo ok'));
    writeFileSync(rb50, fifty);
    const bash = (n) => {
      const script = join(dir, `plain${n}.sh`);
      writeFileSync(script, Array.from({ length: n }, () => "bash -c 'echo ok' >/dev/null").join('\n'));
      return script;
    };
    const env = { IR_DB: join(dir, 'ir.db') };
    const runs = 10;
    const ir1 = measure([process.execPath, IR, 'runbook', rb1, '--json'], { runs, env }).median;
    const ir50 = measure([process.execPath, IR, 'runbook', rb50, '--json'], { runs, env }).median;
    const b1 = measure(['bash', bash(1)], { runs }).median;
    const b50 = measure(['bash', bash(50)], { runs }).median;
    const perStepIr = (ir50 - ir1) / 49;
    const perStepBash = (b50 - b1) / 49;
    const overhead = perStepIr - perStepBash;
    const overheadWithStartup = (ir50 - b50) / 50;

    // 3. list over 200 runbooks.
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 200; i++)
      writeFileSync(
        join(many, `rb-${String(i).padStart(3, '0')}.md`),
        shipped.replace('High API Latency', `High API Latency ${i}`),
      );
    // Cold: no index, every file parsed (markdown-it). Warm: the index answers (the usual case).
    const cold = measure([process.execPath, IR, 'runbook', 'list', '--dir', many], {
      runs: 5,
      warmup: 1,
      env: { IR_RUNBOOK_INDEX: 'off' },
    }).median;
    const list = compareToFloor('runbooks', [
      { name: 'ir --version (shared start-up, reference)', args: ['--version'], target: 99 },
      { name: 'ir runbook list (200 runbooks)', args: ['runbook', 'list', '--dir', many], target: 2 },
      { name: 'ir runbook list --json (200 runbooks)', args: ['runbook', 'list', '--json', '--dir', many], target: 2 },
    ]);
    const version = list.rows[0].medianMs;
    list.rows.shift();

    console.log(
      `  list (200) over ir --version               ${(list.rows[0].medianMs - version).toFixed(1).padStart(7)} ms  (cold, no index: ${cold.toFixed(0)} ms)`,
    );
    console.log(
      `  parse a 50-step runbook                   ${parseMs.toFixed(2).padStart(7)} ms  (the shipped high-api-latency runbook: ${median(shippedSamples).toFixed(2)} ms)`,
    );
    console.log(
      `  classify a 50-step runbook                ${classifyMs.toFixed(2).padStart(7)} ms  (target < 20) ${classifyMs < 20 ? 'ok' : 'OVER'}; loading both parsers once: ${loadMs.toFixed(0)} ms`,
    );
    console.log(
      `  50 steps: ir ${ir50.toFixed(0)} ms vs bash ${b50.toFixed(0)} ms; 1 step: ir ${ir1.toFixed(0)} ms vs bash ${b1.toFixed(0)} ms`,
    );
    console.log(
      `  overhead per step (slope, ir − bash)      ${overhead.toFixed(2).padStart(7)} ms  (target ≤ 15) ${overhead <= 15 ? 'ok' : 'OVER'}`,
    );
    console.log(
      `  overhead per step incl. start-up          ${overheadWithStartup.toFixed(2).padStart(7)} ms  (target ≤ 15) ${overheadWithStartup <= 15 ? 'ok' : 'OVER'}`,
    );
    return {
      rows: [
        ...list.rows,
        { name: 'classify a 50-step runbook', medianMs: classifyMs, target: 20, ok: classifyMs < 20 },
        { name: 'overhead per step', medianMs: overhead, target: 15, ok: overhead <= 15 },
        {
          name: 'overhead per step incl. start-up',
          medianMs: overheadWithStartup,
          target: 15,
          ok: overheadWithStartup <= 15,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
