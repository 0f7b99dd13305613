// Preloaded with `node -r` by test/e2e/imports.test.ts: at exit, writes every file Node loaded
// through require() to $IR_TRACE_FILE, so a test can see what a command really pulled in, and
// how many times it started ICU's locale machinery (each Intl.DateTimeFormat, Intl.Collator or
// localeCompare call), which costs a process ~15 ms the first time.
'use strict';
const { writeFileSync } = require('node:fs');
let intl = 0;
for (const name of ['DateTimeFormat', 'Collator']) {
  const Orig = Intl[name];
  const Wrapped = function (...args) {
    intl++;
    return new Orig(...args);
  };
  Wrapped.prototype = Orig.prototype;
  Wrapped.supportedLocalesOf = Orig.supportedLocalesOf;
  Intl[name] = Wrapped;
}
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound below with apply(this)
const localeCompare = String.prototype.localeCompare;
String.prototype.localeCompare = function (...args) {
  intl++;
  return localeCompare.apply(this, args);
};
process.on('exit', () => {
  // Node's own modules never enter require.cache; moduleLoadList names those loaded ("NativeModule crypto").
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  writeFileSync(process.env.IR_TRACE_FILE, JSON.stringify({ files: Object.keys(require.cache), intl, builtins }));
});
