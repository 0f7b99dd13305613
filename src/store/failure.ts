/**
 * What a failure of the state database left written, in words — the one decision both backends
 * use (SQLite through the error boundary, src/main.ts; PostgreSQL in PgDb.explain) — and how the
 * error boundary reports a SQLite failure.
 */
import { ExitCode } from '../errors.js';

/**
 * When a failure happened, as far as what was written goes: outside any transaction (`read`, e.g.
 * reading back what to print), inside one before its COMMIT (`tx`: rolled back), or during the
 * COMMIT itself, whose outcome a lost connection leaves unknown (`commit`).
 */
export type FailureStage = 'read' | 'tx' | 'commit';

/** What the store says of a failure: where it came, and whether this process had committed a change before it. */
export interface Written {
  stage: FailureStage;
  committed: boolean;
}

export const NOTHING_WRITTEN = 'nothing was written';

/** What to do when running the command again could record the change twice. */
export const CHECK_BEFORE_AGAIN = 'check what is there (e.g. `ir incident show`) before running the command again';

/**
 * What a failure left written, as the end of an error message. Running the command again is safe
 * only when this is NOTHING_WRITTEN: once a change of this process was committed, a failure
 * afterwards (showing the result) must not send the user to run it again and record it twice.
 */
export function writtenAfter({ stage, committed }: Written): string {
  if (stage === 'commit') return 'whether the change was recorded is not known';
  if (!committed) return NOTHING_WRITTEN;
  return stage === 'tx'
    ? 'what ir had already recorded was kept, the rest was not written'
    : 'the change was recorded; only showing it failed';
}

/**
 * SQLite failures that are the machine's doing, not ir's: a lock held by another process past the
 * busy timeout, a full disk, a read-only or damaged file. Every write is one transaction, so a
 * failure inside one kept nothing of it; what this process committed before stays, and the
 * message says so (see writtenAfter). (Matched by better-sqlite3's error codes, so this module
 * needn't load the driver.)
 */
export function storageFailure(
  error: unknown,
  /**
   * The SQLite file the command used, when known (the message and the damage hint then name it),
   * and what the store says was written (default: nothing).
   */
  db: { path?: string; written?: Written } = {},
): { message: string; hint: string; exitCode: number } | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const detail = (error as Error).message;
  const where = 'the state database (`ir config` shows where it is; --db or IR_DB moves it)';
  const name = db.path === undefined ? 'the state database' : `the state database ${db.path}`;
  const written = writtenAfter(db.written ?? { stage: 'read', committed: false });
  const again = written === NOTHING_WRITTEN;
  /** The hint for this failure, then (when something was written) the warning against a second run. */
  const then = (hint: string) => (again ? hint : `${hint}; then ${CHECK_BEFORE_AGAIN}`);
  const failure = (message: string, hint: string) => ({
    message: `${message}; ${written}`,
    hint,
    exitCode: ExitCode.external,
  });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return failure(
      `${name} is busy: another ir process kept it locked past the busy timeout`,
      again ? 'run the command again once the other ir process (a long import, say) has finished' : CHECK_BEFORE_AGAIN,
    );
  }
  if (code.startsWith('SQLITE_FULL')) {
    return failure(`the disk holding ${name} is full (${detail})`, then(`free some space, or move ${where}`));
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_CANTOPEN')) {
    return failure(`cannot write ${name} (${detail})`, then(`check the permissions of ${where}`));
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    // The file was identified as ir's before SQLite read it (store/sqlite/database.ts), so what
    // SQLite cannot read now is damage — a damaged schema included — never "another kind of file".
    const ir = db.path === undefined ? 'ir' : `ir --db ${db.path}`;
    return failure(
      `${name} is damaged (${detail})`,
      then(
        `run \`${ir} db check\` to see the damage, then \`${ir} db recover\` to copy what is readable into a new file (the original is kept)`,
      ),
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return failure(`${name} could not be read or written (${detail})`, then(`check the disk and ${where}`));
  }
  return undefined;
}
