/** What a step does, judged from its commands with the real shell and PostgreSQL parsers. */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell, sql } = useJudge();

describe('shell steps', () => {
  it.each([
    'kubectl get pods -n prod -o wide',
    'oc describe pod web-0',
    'kubectl logs deploy/api --tail=100 | grep -i error',
    'kubectl top nodes',
    'kubectl rollout status deploy/api',
    'oc rollout history dc/web',
    'kubectl auth can-i delete pods',
    'kubectl --context prod -n kube-system get events --sort-by=.lastTimestamp',
    'aws ec2 describe-instances --instance-ids i-1',
    'aws s3api get-bucket-policy --bucket b',
    'aws iam list-access-keys --user-name u',
    'aws s3 ls s3://bucket/',
    'aws sts get-caller-identity',
    'gcloud compute instances list --project p',
    'gcloud container clusters describe c --zone z',
    'az vm show -g rg -n vm',
    'az monitor metrics list --resource r',
    'redis-cli -h "$REDIS_HOST" ping',
    'redis-cli -h r info memory | grep used_memory_human',
    'redis-cli slowlog get 10',
    'redis-cli --bigkeys',
    'curl -s -o /dev/null -w "%{http_code}" https://example.test/health',
    'curl -sS -X GET https://example.test/',
    'curl --get --data-urlencode "query=up" https://prom.example.test/api/v1/query',
    'curl -sG -d query=up https://prom.example.test/api/v1/query',
    'wget -qO- https://example.test/',
    'dig +short example.test',
    'ping -c 3 10.0.0.1',
    'cat /etc/resolv.conf | jq .',
    'jq .items[].metadata.name pods.json',
    'systemctl status nginx',
    'journalctl -u nginx --since "10 min ago" 2>/dev/null',
    'helm list -A',
    'docker ps --filter status=exited',
    'df -h && free -m',
    'for p in $(kubectl get pods -o name); do kubectl logs "$p" --tail=5; done',
    'NS=prod\nkubectl get pods -n "$NS" >/dev/null 2>&1 && echo ok',
    'check() { curl -fsS "$1"; }\ncheck https://example.test/health',
    'timeout 5 kubectl get nodes',
    'kubectl exec -n prod web-0 -- cat /etc/hosts',
    'psql "$DATABASE_URL" -c "SELECT count(*) FROM pg_stat_activity"',
    'psql -At <<SQL\nSELECT 1;\nSQL',
  ])('%s reads', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'reads' });
  });

  it.each([
    ['oc delete pod web-0', 'oc delete'],
    ['oc edit deployment/web', 'oc edit'],
    ['kubectl rollout restart deploy/api', 'kubectl rollout restart'],
    ['kubectl scale deploy/api --replicas=5', 'kubectl scale'],
    ['kubectl -n prod apply -f fix.yaml', 'kubectl apply'],
    ['aws iam update-access-key --access-key-id K --status Inactive --user-name u', 'aws iam update-access-key'],
    ['aws ec2 modify-instance-attribute --instance-id i --groups sg-1', 'aws ec2 modify-instance-attribute'],
    ['aws s3api delete-object --bucket b --key k', 'aws s3api delete-object'],
    ['aws s3 cp s3://b/k ./k', 'aws s3 cp'],
    ['gcloud compute instances stop vm-1', 'gcloud'],
    ['az vm restart -g rg -n vm', 'az vm restart'],
    ['redis-cli -h r flushall', 'FLUSHALL'],
    ['redis-cli config set maxmemory 2gb', 'CONFIG SET'],
    ['curl -X POST https://example.test/api/restart', 'POST'],
    ['curl -d @body.json https://example.test/', 'body'],
    ['curl -G -X POST -d a=1 https://example.test/', 'POST'],
    ['curl --get -F file=@x https://example.test/', 'body'],
    ['wget https://example.test/file.tgz', 'saves a file'],
    ['sudo mv /etc/a /etc/b', 'sudo'],
    ['chef-client', 'chef-client'],
    ['echo "nameserver 1.1.1.1" | tee /etc/resolv.conf', 'tee'],
    ['cat > /etc/app.conf <<EOF\nkey=value\nEOF', '/etc/app.conf'],
    ['kubectl get pods -o yaml > pods.yaml', 'pods.yaml'],
    ['systemctl restart nginx', 'systemctl restart'],
    ['apt-get install -y jq', 'apt-get install'],
    ['helm rollback api 3', 'helm rollback'],
    ['sed -i s/a/b/ /etc/app.conf', 'sed -i'],
    ['find /var/log -name "*.gz" -delete', 'find'],
    ['kill -9 1234', 'kill'],
    ['psql -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO app"', 'GRANT'],
    [
      "psql <<SQL\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle';\nSQL",
      'pg_terminate_backend',
    ],
    ['kubectl exec web-0 -- rm -rf /tmp/cache', 'inside the pod'],
  ])('%s changes (%s)', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('changes');
    expect(`${v.reason} ${v.command ?? ''}`).toContain(why);
  });

  it.each([
    ['./check-health.sh --all', 'check-health.sh'],
    ['my-internal-tool status', 'my-internal-tool'],
    ['bash -c "kubectl get pods"', 'bash'],
    ['$TOOL get pods', 'computed'],
    ['ssh bastion', 'ssh'],
    ['psql "$DATABASE_URL"', 'interactive'],
    ['if [ -z "$X" ]; then', 'does not parse'],
  ])('%s is unknown (%s)', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain(why);
  });

  it.each([
    ['kubectl proxy --address 0.0.0.0', 'every interface'],
    ['kubectl proxy --address=0.0.0.0 --port 8001', 'every interface'],
    ['oc proxy --address 10.0.0.5', '10.0.0.5'],
    ['kubectl proxy --address :: ', 'every interface'],
    ['kubectl proxy --address "$BIND"', 'cannot read'],
    ["kubectl proxy --accept-hosts='.*'", '--accept-hosts'],
    ["kubectl proxy --accept-hosts '^localhost$,^example\\.test$'", '--accept-hosts'],
    ['kubectl proxy --disable-filter', '--disable-filter'],
    ['kubectl port-forward --address 0.0.0.0 svc/api 8080:80', 'every interface'],
    ['kubectl -n prod port-forward pod/db-0 5432 --address=localhost,10.1.2.3', '10.1.2.3'],
    ['oc port-forward --address 192.168.1.9 dc/web 8080', '192.168.1.9'],
  ])('%s is unknown: it opens the cluster to other hosts (%s)', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain(why);
  });

  it.each([
    'kubectl proxy',
    'kubectl proxy --port 8001',
    'kubectl proxy --address 127.0.0.1 --port=0',
    'kubectl proxy --address=localhost',
    "kubectl proxy --address ::1 --accept-hosts '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$'",
    'kubectl port-forward svc/x 8080:80',
    'kubectl port-forward --address localhost,127.0.0.1 svc/x 8080:80',
    'oc port-forward --address=::1 pod/p 5432',
  ])('%s still reads (it listens on this host only)', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });

  it("a team's read-only tools (runbooks.read_only_commands) read", () => {
    expect(shell('./check-health.sh --all', ['check-health.sh'])).toMatchObject({ effect: 'reads', byConfig: true });
    expect(shell('/opt/tools/check-health.sh', ['check-health.sh'])).toMatchObject({ effect: 'reads' });
    // Listing a tool does not excuse what else the step does.
    expect(shell('check-health.sh && kubectl delete pod x', ['check-health.sh']).effect).toBe('changes');
  });

  it('names the command that decided', () => {
    const v = shell('kubectl get pods\nkubectl delete pod web-0 -n prod\necho done');
    expect(v).toMatchObject({ effect: 'changes', command: 'kubectl delete pod web-0 -n prod' });
  });
});

describe('SQL steps (PostgreSQL parser)', () => {
  it.each([
    'SELECT count(*) FROM pg_stat_activity;',
    'show max_connections;',
    'EXPLAIN SELECT * FROM orders WHERE id = 1;',
    'EXPLAIN ANALYZE SELECT 1;',
    "SET statement_timeout = '5s'; SELECT 1;",
    '\\x\nSELECT * FROM pg_stat_replication;',
    '\\dt+',
  ])('%s reads', (q) => expect(sql(q)).toMatchObject({ effect: 'reads' }));

  it.each([
    ['GRANT SELECT ON t TO u;', 'GRANT'],
    ['REVOKE ALL ON t FROM u;', 'REVOKE'],
    ['CREATE ROLE admin SUPERUSER;', 'CREATE ROLE'],
    ['ALTER ROLE app SUPERUSER;', 'ALTER ROLE'],
    ['UPDATE accounts SET locked = true;', 'UPDATE'],
    ['DELETE FROM sessions;', 'DELETE'],
    ['VACUUM FULL orders;', 'VACUUM'],
    ['EXPLAIN ANALYZE DELETE FROM t;', 'EXPLAIN ANALYZE'],
    ['SELECT pg_cancel_backend(123);', 'pg_cancel_backend'],
    ['SELECT * FROM jobs FOR UPDATE;', 'locks'],
    ['SELECT * INTO backup FROM t;', 'INTO'],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d;', 'WITH'],
    ["\\copy t TO '/tmp/t.csv' csv", 'copy'],
  ])('%s changes (%s)', (q, why) => {
    const v = sql(q);
    expect(v.effect).toBe('changes');
    expect(v.reason).toContain(why);
  });

  it('SQL that does not parse is unknown', () => {
    expect(sql('SELEC 1')).toMatchObject({ effect: 'unknown' });
  });
});

describe('SQL functions: only calls ir knows to be read-only read', () => {
  // Queries on-call runbooks really run: they must stay reads under the allowlist.
  it.each([
    'SELECT count(*) FROM orders;',
    'SELECT now();',
    'SELECT current_timestamp, clock_timestamp(), statement_timestamp();',
    "SELECT pg_size_pretty(pg_database_size('app'));",
    "SELECT pg_size_pretty(pg_total_relation_size('public.orders')), pg_relation_size('orders'), pg_indexes_size('orders');",
    "SELECT pid, now() - query_start AS runtime, state, query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY runtime DESC LIMIT 10;",
    "SELECT pid, age(clock_timestamp(), xact_start), usename FROM pg_stat_activity WHERE xact_start IS NOT NULL AND state = 'idle in transaction';",
    'SELECT datname, age(datfrozenxid) FROM pg_database ORDER BY 2 DESC;',
    'SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp()) AS lag_seconds;',
    "SELECT date_part('hour', now()), date_trunc('day', now()), to_char(now(), 'YYYY-MM-DD');",
    'SELECT coalesce(sum(n_dead_tup), 0), avg(n_live_tup), max(n_dead_tup), min(n_live_tup) FROM pg_stat_user_tables;',
    'SELECT relname, round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 2) FROM pg_stat_user_tables;',
    'SELECT l.locktype, l.mode, l.granted, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted;',
    'SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;',
    'SELECT client_addr, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes FROM pg_stat_replication;',
    'SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn();',
    "SELECT current_setting('max_connections')::int, version(), current_database(), current_user, pg_backend_pid();",
    "SELECT string_agg(usename, ', '), array_agg(DISTINCT state), bool_or(wait_event IS NOT NULL) FROM pg_stat_activity;",
    'SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY total_exec_time) FROM pg_stat_statements;',
    "SELECT lower(state), upper(usename), length(query), substring(query from 1 for 80), left(query, 40), split_part(application_name, '-', 1) FROM pg_stat_activity;",
    "SELECT jsonb_build_object('n', count(*)), json_agg(datname) FROM pg_database;",
    "SELECT d.datname FROM pg_database d WHERE d.datname LIKE 'app%' AND d.datname NOT IN ('postgres') AND d.oid BETWEEN 1 AND 99999;",
    "SELECT greatest(1, 2), least(3, 4), abs(-1), floor(1.5), ceil(1.5), trim(' x '), replace('a', 'a', 'b'), concat('a', 'b'), format('%s', 1);",
    "SELECT to_regclass('public.orders'), pg_get_indexdef(indexrelid), has_table_privilege('orders', 'select') FROM pg_index LIMIT 1;",
    'SELECT * FROM generate_series(1, 3);',
    'SELECT pg_catalog.now();',
    "EXPLAIN SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day';",
    'EXPLAIN (FORMAT JSON) SELECT 1;',
    "SET statement_timeout = '5s'; SELECT count(*) FROM pg_stat_activity;",
    'SHOW max_connections;',
    "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END, now() AT TIME ZONE 'UTC';",
    "SELECT relname::text, relid::regclass FROM pg_stat_user_tables WHERE relname ILIKE 'ord%' AND relname NOT LIKE 'tmp%' AND schemaname = ANY (ARRAY['public']);",
    'SELECT query, calls, round(mean_exec_time::numeric, 2) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 5;',
    'SELECT pid, row_number() OVER (ORDER BY backend_start), rank() OVER (PARTITION BY usename ORDER BY backend_start) FROM pg_stat_activity;',
    "SELECT to_timestamp(0), make_interval(mins => 5), justify_interval(interval '90 minutes'), regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_activity;",
    "SELECT settings->>'name', settings->'value' FROM (SELECT jsonb_build_object('name', name, 'value', setting) AS settings FROM pg_settings) s WHERE EXISTS (SELECT 1) AND setting IS NOT NULL;",
    "SELECT unnest(ARRAY[1, 2]), pg_typeof(1), format_type(atttypid, atttypmod), obj_description('pg_class'::regclass) FROM pg_attribute LIMIT 1;",
    'SELECT slot_name, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) FROM pg_replication_slots;',
    'SELECT datname, numbackends, xact_commit, pg_postmaster_start_time(), inet_server_addr() FROM pg_stat_database;',
    'BEGIN; SELECT 1; COMMIT;',
  ])('%s reads', (q) => expect(sql(q)).toMatchObject({ effect: 'reads' }));

  it.each([
    ['SELECT bump();', 'calls bump(), which ir does not know to be read-only'],
    ['SELECT * FROM bump();', 'bump()'],
    ['SELECT count(*) FROM t WHERE bump() > 0;', 'bump()'],
    ['SELECT (SELECT bump());', 'bump()'],
    ['WITH x AS (SELECT bump()) SELECT * FROM x;', 'bump()'],
    ['SELECT app.count(*) FROM t;', 'schema app'],
    ['SELECT 1 OPERATOR(app.+) 2;', 'operator app.+'],
    ['SELECT 1 FROM t ORDER BY x USING OPERATOR(app.<);', 'operator app.<'],
    ['SELECT 1 WHERE 1 OPERATOR(app.=) ANY (SELECT 1);', 'operator app.='],
    ['EXPLAIN SELECT bump();', 'bump()'],
    ['EXPLAIN ANALYZE SELECT bump();', 'bump()'],
    ["SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '');", 'runs SQL given as a string'],
    ["SELECT * FROM dblink('dbname=app', 'DELETE FROM t RETURNING 1') AS t(x int);", 'runs SQL given as a string'],
    ["SELECT cursor_to_xml('c', 1, true, true, '');", 'runs SQL given as a string'],
    ['SELECT txid_current();', 'txid_current'],
    ['SELECT pg_current_xact_id();', 'pg_current_xact_id'],
  ])('%s is not a read (%s)', (q, why) => {
    const v = sql(q);
    expect(v.effect).not.toBe('reads');
    expect(v.reason).toContain(why);
  });

  it.each([
    ["SELECT nextval('orders_id_seq');", 'nextval'],
    ["SELECT setval('orders_id_seq', 1);", 'setval'],
    ['SELECT pg_terminate_backend(123);', 'pg_terminate_backend'],
    ["SELECT set_config('work_mem', '1GB', false);", 'set_config'],
    ['SELECT lo_unlink(1);', 'lo_unlink'],
    ["SELECT dblink_exec('dbname=app', 'DELETE FROM t');", 'dblink_exec'],
    ["SELECT pg_notify('ch', 'x');", 'pg_notify'],
    ["SELECT pg_logical_emit_message(true, 'p', 'x');", 'pg_logical_emit_message'],
    ['SELECT pg_advisory_lock(1);', 'pg_advisory_lock'],
    ['SELECT pg_try_advisory_lock(1);', 'pg_try_advisory_lock'],
    ['SELECT pg_switch_wal();', 'pg_switch_wal'],
    ["SELECT pg_create_restore_point('x');", 'pg_create_restore_point'],
    ['SELECT pg_reload_conf();', 'pg_reload_conf'],
    ['SELECT pg_rotate_logfile();', 'pg_rotate_logfile'],
  ])('%s changes, saying %s', (q, fn) => {
    const v = sql(q);
    expect(v.effect).toBe('changes');
    expect(v.reason).toContain(`${fn}()`);
  });

  it.each([
    ['SET ROLE admin;', 'SET ROLE'],
    ['SET SESSION AUTHORIZATION admin;', 'SESSION AUTHORIZATION'],
    ['SET search_path = app, pg_catalog; SELECT count(*) FROM t;', 'search_path'],
    ["COMMIT PREPARED 'tx1';", 'prepared'],
    ['CALL do_work();', 'CALL'],
    ['DO $$ BEGIN DELETE FROM t; END $$;', 'DO'],
  ])('%s is not a read (%s)', (q, why) => {
    const v = sql(q);
    expect(v.effect).not.toBe('reads');
    expect(v.reason).toContain(why);
  });

  it.each([
    ['SELECT 1 \\g /tmp/out.txt', 'a file'],
    ['SELECT 1 \\g |sh', 'a shell command'],
    ["SELECT 'DELETE FROM t' \\gexec", 'gexec'],
    ['\\o /tmp/out.txt\nSELECT 1;', 'a file'],
    ['\\w /tmp/q.sql', '\\w'],
    ['\\! rm -rf /tmp/x', 'shell command'],
    ['\\x \\g /tmp/out.txt', 'a file'],
    ['\\x \\\\ DELETE FROM t;', 'DELETE'],
  ])('psql meta-command in %j is not a read (%s)', (q, why) => {
    const v = sql(q);
    expect(v.effect).not.toBe('reads');
    expect(v.reason).toContain(why);
  });

  it('a backslash inside a string or comment is not a meta-command', () => {
    expect(sql("SELECT '\\g /tmp/x' AS s; -- \\o /tmp/y")).toMatchObject({ effect: 'reads' });
    expect(sql('SELECT 1 \\g')).toMatchObject({ effect: 'reads' });
    expect(sql('SELECT 1 \\watch 5')).toMatchObject({ effect: 'reads' });
  });
});

describe('psql command lines', () => {
  it.each([
    ["psql -c 'SELECT count(*) FROM t' -c 'DELETE FROM t WHERE x = 2'", 'DELETE'],
    ["psql --command 'SELECT 1' --command 'UPDATE t SET x = 1'", 'UPDATE'],
    ["psql --command='SELECT 1' --command='DROP TABLE t'", 'DROP'],
    ["psql -At -c 'SELECT 1' -c 'SELECT bump()'", 'bump()'],
    ["psql -Atc 'DELETE FROM t'", 'DELETE'],
    ["psql -c'DELETE FROM t'", 'DELETE'],
    ["psql -o /tmp/out.txt -c 'SELECT 1'", '-o'],
    ["psql -o/tmp/out.txt -c 'SELECT 1'", '-o'],
    ["psql --output=/tmp/out.txt -c 'SELECT 1'", '-o'],
    ["psql --output /tmp/out.txt -c 'SELECT 1'", '-o'],
    ["psql -L /tmp/log.txt -c 'SELECT 1'", '-L'],
    ["psql --log-file=/tmp/log.txt -c 'SELECT 1'", '-L'],
    ["psql -qAtL/tmp/log.txt -c 'SELECT 1'", '-L'],
    ["psql -c '\\o /tmp/out.txt' -c 'SELECT 1'", 'a file'],
    ["psql -c 'SELECT 1 \\g /tmp/out.txt'", 'a file'],
    ["psql -c '\\copy t to /tmp/t.csv'", 'copy'],
    ['psql -c "SELECT \'DELETE FROM t\' \\gexec"', 'gexec'],
    ["psql -c '\\! touch /tmp/x'", 'shell'],
    ["kubectl exec -n db pg-0 -- psql -c 'SELECT 1' -c 'DELETE FROM t'", 'DELETE'],
  ])('%s is not a read (%s)', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).not.toBe('reads');
    expect(`${v.reason} ${v.command ?? ''}`).toContain(why);
  });

  it.each([
    ["psql -f /tmp/q.sql -c 'SELECT 1'", '-f'],
    ['psql --file=/tmp/q.sql', '-f'],
    ['psql -f-', '-f'],
  ])('%s is unknown (%s)', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain(why);
  });

  it.each([
    "psql -c 'SELECT count(*) FROM t' -c 'SELECT now()'",
    'psql -h db -p 5432 -U app -d app -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))"',
    "psql -v ON_ERROR_STOP=1 --command='SELECT 1'",
    "psql -X -c '\\dt+'",
    "kubectl exec -n db pg-0 -- psql -U postgres -c 'SELECT count(*) FROM pg_stat_activity'",
  ])('%s reads', (cmd) => expect(shell(cmd)).toMatchObject({ effect: 'reads' }));
});

describe('command words that name a property every object has', () => {
  // `constructor`, `__proto__`, `toString` … looked up in a plain table found the built-in
  // function: a step running one crashed ir ("wrap is not a function") or was judged by it.
  const names = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];
  const shapes = (w: string) => [
    w,
    `${w} get x`,
    `timeout 5 ${w}`,
    `sudo ${w}`,
    `redis-cli ${w}`,
    `curl -X ${w} https://example.test/`,
    `curl --${w} 1 https://example.test/`,
    `psql -c 'SET ${w} = 1'`,
    `mysql -e '\\${w}'`,
    `if true; then ${w}; fi`,
  ];
  it.each(names)('%s: judged like any unknown word, never by a built-in', (w) => {
    for (const cmd of shapes(w)) {
      const v = shell(cmd);
      expect(v.reason, cmd).not.toMatch(/native code|function|undefined/);
    }
    expect(shell(w).effect).toBe('unknown');
    expect(shell(`timeout 5 ${w}`).effect).toBe('unknown');
  });
});
