/** pgpass: libpq's password-file lookup (PGPASSFILE or ~/.pgpass), as the PostgreSQL driver uses it. */
declare module 'pgpass' {
  interface ConnectionInfo {
    host?: string;
    port?: number | string;
    database?: string;
    user?: string;
  }
  /** Calls back with the password of the first matching line, or undefined. */
  export default function pgpass(info: ConnectionInfo, callback: (password: string | undefined) => void): void;
}
