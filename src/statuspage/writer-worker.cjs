/**
 * The status page's file writer, on a thread of its own (see writeSite in ./site.ts). Creating ten
 * thousand small files is mostly time in the kernel; done here, it runs beside the rendering on the
 * main thread instead of after each page.
 *
 * workerData: { root: the new site's temporary directory, previous: the site it replaces or null }.
 * Messages in: a batch of [path, text] pairs (paths relative to root, in the order to write them),
 * or null when there are no more. Messages out: { count } once every file is written, or
 * { error: { message, code, path } } for the first file that could not be (nothing after it is
 * written).
 *
 * Plain CommonJS with no dependencies: it runs as it is from src/ (tests) and from dist/ (the build
 * copies it beside the lazily loaded command files).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');

const { root, previous } = workerData;
const made = new Set(['.']);
let count = 0;
let failed = false;

/**
 * Hard-links `from` (a file of the previous build) to `to` when it holds exactly `bytes`; false
 * when it differs, is missing, is not a plain file (a symbolic link is never followed), or the
 * file system cannot link. On a rebuild all but a few pages are unchanged, and a link costs a
 * fraction of a write.
 */
function linkUnchanged(from, to, bytes) {
  let fd;
  try {
    fd = fs.openSync(from, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size !== bytes.length) return false;
    const old = Buffer.allocUnsafe(st.size);
    if (fs.readSync(fd, old, 0, st.size, 0) !== st.size || !old.equals(bytes)) return false;
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

parentPort.on('message', (batch) => {
  if (failed) return;
  if (batch === null) {
    parentPort.postMessage({ count });
    return;
  }
  let current = root;
  try {
    for (const [file, text] of batch) {
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        current = path.join(root, dir);
        fs.mkdirSync(current, { recursive: true });
        made.add(dir);
      }
      current = path.join(root, file);
      const bytes = Buffer.from(text);
      if (!(previous && linkUnchanged(path.join(previous, file), current, bytes))) fs.writeFileSync(current, bytes);
      count++;
    }
  } catch (e) {
    failed = true;
    parentPort.postMessage({ error: { message: e.message, code: e.code, path: current } });
  }
});
