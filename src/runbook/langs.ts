/**
 * The fence languages ir runs, by how it runs them. The parser decides with these, and messages
 * that list them read them from here. No imports: the command can name them without loading the
 * markdown parser.
 */
export const SHELL_LANGS: ReadonlySet<string> = new Set([
  'bash',
  'sh',
  'shell',
  'console',
  'zsh',
  'shell-session',
  'shellsession',
]);
export const SQL_LANGS: ReadonlySet<string> = new Set(['sql', 'psql', 'postgresql', 'pgsql']);
/** PromQL, run as an instant query against the configured Prometheus. */
export const PROMQL_LANGS: ReadonlySet<string> = new Set(['promql']);
