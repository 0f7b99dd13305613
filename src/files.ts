/** File writes that never leave a half-written file behind. */
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` whole or not at all: into a temporary file beside it, then renamed over
 * it, so a reader (a CI job, another ir process) sees the old content or the new, never part of
 * it. An existing file keeps its permissions; the temporary file is removed if anything fails.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { mkdir?: boolean; mode?: number } = {},
): void {
  if (opts.mkdir) mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.ir-tmp-${process.pid}`;
  try {
    rmSync(tmp, { force: true });
    writeFileSync(tmp, data, opts.mode === undefined ? undefined : { mode: opts.mode });
    try {
      chmodSync(tmp, statSync(path).mode & 0o7777);
    } catch {
      // A new file: `mode` when given (0600 for files that can hold step output), else the default.
      if (opts.mode !== undefined) chmodSync(tmp, opts.mode);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
