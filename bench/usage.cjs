// Preloaded with `node -r` by bench/learning.bench.mjs: on exit, writes this process's peak
// resident set size (bytes) and CPU time (ms, user + system) as JSON to the file named by
// IR_BENCH_USAGE_FILE. CPU time stays meaningful when other work shares the machine; wall time
// does not.
'use strict';
const file = process.env.IR_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(
      file,
      JSON.stringify({ maxRss: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }),
    );
  });
}
