// Preloaded with `node -r` by bench/learning.bench.mjs: on exit, writes this process's peak
// resident set size (bytes) to the file named by IR_BENCH_MAXRSS_FILE.
'use strict';
const file = process.env.IR_BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
