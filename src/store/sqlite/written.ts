/**
 * What this process has written to the SQLite file, for the message of a failure (see
 * store/failure.ts): a command whose change committed and whose read-back then failed must not
 * be told "nothing was written", or its user runs it again and records the change twice.
 *
 * SQLite counts the rows every completed INSERT, UPDATE and DELETE of a connection changed
 * (`total_changes()`, never lowered by a rollback). Around each outermost transaction the count
 * says whether it changed anything, and whether it committed (it returned) or rolled back (it
 * threw: the failure came inside it). Rows changed outside any transaction (a single autocommit
 * statement) are the count's rest, each committed as it completed.
 */
import type Database from 'better-sqlite3';
import type { Written } from '../failure.js';

export class WriteTracker {
  private readonly count: () => number | undefined;
  /** The count once the connection was open and migrated: a migration is not the command's change. */
  private readonly baseline: number | undefined;
  /** Rows changed inside transactions, committed or rolled back. */
  private inTransactions = 0;
  private committedTransaction = false;
  /** A count could not be read (the connection broken): the rest is not known. */
  private uncounted = false;
  /** The count when the connection was closed. */
  private atClose: number | undefined;
  /** Errors that ended a transaction (it rolled back). */
  private readonly failedInside = new WeakSet<object>();

  constructor(private readonly db: Database.Database) {
    const total = db.prepare('SELECT total_changes()').pluck();
    this.count = () => {
      try {
        return total.get() as number;
      } catch {
        this.uncounted = true;
        return undefined;
      }
    };
    this.baseline = this.count();
    this.wrapTransactions();
  }

  /** What a failure (`error`) left written: where it came, and whether a change of this process committed before it. */
  written(error: unknown): Written {
    const inside = typeof error === 'object' && error !== null && this.failedInside.has(error);
    return { stage: inside ? 'tx' : 'read', committed: this.committed() };
  }

  /** Whether a change of this process is in the file. */
  committed(): boolean {
    if (this.committedTransaction) return true;
    const now = this.atClose ?? (this.db.open ? this.count() : undefined);
    if (this.uncounted || now === undefined || this.baseline === undefined) return false;
    return now - this.baseline - this.inTransactions > 0;
  }

  /** Call just before closing the connection: the count is read while it can be. */
  closing(): void {
    if (this.db.open) this.atClose = this.count();
  }

  /** Every transaction ir runs (`db.transaction(fn)` and its .immediate() and the like) is counted. */
  private wrapTransactions(): void {
    const db = this.db;
    const original = db.transaction.bind(db);
    const counted =
      <A extends unknown[], R>(run: (...a: A) => R) =>
      (...a: A): R => {
        // A transaction inside another is a savepoint: the outermost one commits or not.
        if (db.inTransaction) return run(...a);
        const before = this.count();
        try {
          const result = run(...a);
          const after = this.count();
          if (before !== undefined && after !== undefined) {
            this.inTransactions += after - before;
            if (after > before) this.committedTransaction = true;
          }
          return result;
        } catch (e) {
          const after = this.count();
          if (before !== undefined && after !== undefined) this.inTransactions += after - before;
          if (typeof e === 'object' && e !== null) this.failedInside.add(e);
          throw e;
        }
      };
    db.transaction = ((fn: (...a: unknown[]) => unknown) => {
      const tx = original(fn);
      // The transaction's own properties are read-only: hand out a wrapper with the same shape.
      return Object.assign(counted(tx), {
        default: counted(tx.default.bind(tx)),
        deferred: counted(tx.deferred.bind(tx)),
        immediate: counted(tx.immediate.bind(tx)),
        exclusive: counted(tx.exclusive.bind(tx)),
      });
    }) as unknown as typeof db.transaction;
  }
}
