/**
 * Everyday diagnostic commands that only read, judged "changes" before: each was skipped in CI
 * and asked about on a terminal, so a runbook's checks did not run unattended.
 */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell, sql } = useJudge();

describe('commands that only read', () => {
  it.each([
    'systemctl --failed',
    'systemctl',
    'systemctl --type=service --state=failed --no-pager',
    'systemctl -t service --state running',
    'systemctl -H admin@db1 status postgresql',
    'systemctl --host admin@db1 is-active nginx',
    'systemctl -p ActiveState show nginx',
    'systemctl list-machines',
    'vault kv get secret/app/config',
    'vault kv get -mount=secret app/config',
    'vault kv list secret/app',
    'vault kv metadata get secret/app/config',
    'consul kv get service/api/config',
    'consul kv get -recurse service/api',
    'gcloud storage ls gs://logs-bucket/2026/',
    'gcloud storage du -s gs://logs-bucket',
    'gcloud storage cat gs://logs-bucket/app.log',
  ])('%s only reads', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'reads' });
  });

  it.each([
    ['systemctl -H db1 restart postgresql', 'restart'],
    ['systemctl --state failed reset-failed', 'reset-failed'],
    ['vault kv put secret/app/config a=1', 'kv'],
    ['vault kv delete secret/app/config', 'kv'],
    ['vault kv metadata delete secret/app/config', 'kv'],
    ['consul kv put service/api/config x', 'kv'],
    ['consul kv delete -recurse service', 'kv'],
    ['gcloud storage rm gs://logs-bucket/app.log', 'storage'],
    ['gcloud storage cp app.log gs://logs-bucket/', 'storage'],
  ])('%s still changes (%s)', (cmd, word) => {
    const v = shell(cmd);
    expect(v.effect).toBe('changes');
    expect(v.reason).toContain(word);
  });
});

describe('COPY to the client prints rows, as a SELECT does', () => {
  it.each([
    'COPY orders TO STDOUT WITH (FORMAT csv, HEADER)',
    "COPY (SELECT id, state FROM pg_stat_activity WHERE state <> 'idle') TO STDOUT CSV HEADER",
    '\\copy orders to stdout csv header',
    '\\copy (select pid, state from pg_stat_activity) to stdout with (format csv)',
    '\\copy orders to pstdout',
  ])('%s only reads', (q) => {
    expect(sql(q)).toMatchObject({ effect: 'reads' });
  });

  it.each([
    ["COPY orders TO '/tmp/orders.csv'", 'COPY'],
    ["COPY orders TO PROGRAM 'gzip > /tmp/o.gz'", 'COPY'],
    ['COPY orders FROM STDIN', 'COPY'],
    ['COPY (DELETE FROM sessions RETURNING *) TO STDOUT', 'DELETE'],
    ['COPY (SELECT pg_terminate_backend(pid) FROM pg_stat_activity) TO STDOUT', 'pg_terminate_backend'],
    ["\\copy (select 'to stdout') to '/tmp/x.csv'", 'copy'],
    ['\\copy (select pg_terminate_backend(1)) to stdout', 'pg_terminate_backend'],
    ['\\copy orders from stdin', 'copy'],
  ])('%s does not read (%s)', (q, why) => {
    const v = sql(q);
    expect(v.effect).not.toBe('reads');
    expect(v.reason).toContain(why);
  });

  it('psql -c with \\copy to stdout in a shell step only reads', () => {
    expect(shell("psql -h db -c '\\copy orders to stdout csv'")).toMatchObject({ effect: 'reads' });
  });
});
