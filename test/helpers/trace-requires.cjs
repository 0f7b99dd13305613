// Preloaded with `node -r` by test/e2e/imports.test.ts: at exit, writes every file Node loaded
// through require() to $IR_TRACE_FILE, so a test can see what a command really pulled in.
'use strict';
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.IR_TRACE_FILE, JSON.stringify(Object.keys(require.cache)));
});
