/** How the error boundary reports a failure of the state database (src/main.ts). */
import { ExitCode } from '../errors.js';

/**
 * SQLite failures that are the machine's doing, not ir's: a lock held by another process past the
 * busy timeout, a full disk, a read-only or damaged file. Every write is one transaction, so when
 * one of these stops a command nothing of it was written. (Matched by better-sqlite3's error
 * codes, so this module needn't load the driver.)
 */
export function storageFailure(
  error: unknown,
  /** The SQLite file the command used, when known: the message and the damage hint then name it. */
  dbPath?: string,
): { message: string; hint: string; exitCode: number } | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const detail = (error as Error).message;
  const where = 'the state database (`ir config` shows where it is; --db or IR_DB moves it)';
  const db = dbPath === undefined ? 'the state database' : `the state database ${dbPath}`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      message: `${db} is busy: another ir process kept it locked past the busy timeout; nothing was written`,
      hint: 'run the command again once the other ir process (a long import, say) has finished',
      exitCode: ExitCode.external,
    };
  }
  if (code.startsWith('SQLITE_FULL')) {
    return {
      message: `the disk holding ${db} is full (${detail}); nothing was written`,
      hint: `free some space, or move ${where}`,
      exitCode: ExitCode.external,
    };
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_CANTOPEN')) {
    return {
      message: `cannot write ${db} (${detail}); nothing was written`,
      hint: `check the permissions of ${where}`,
      exitCode: ExitCode.external,
    };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    // The file was identified as ir's before SQLite read it (store/sqlite/database.ts), so what
    // SQLite cannot read now is damage — a damaged schema included — never "another kind of file".
    const ir = dbPath === undefined ? 'ir' : `ir --db ${dbPath}`;
    return {
      message: `${db} is damaged (${detail}); nothing was written`,
      hint: `run \`${ir} db check\` to see the damage, then \`${ir} db recover\` to copy what is readable into a new file (the original is kept)`,
      exitCode: ExitCode.external,
    };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return {
      message: `${db} could not be read or written (${detail}); nothing was written`,
      hint: `check the disk and ${where}`,
      exitCode: ExitCode.external,
    };
  }
  return undefined;
}
