/**
 * mysql/mariadb: what they run is judged with a MySQL parser, statement by statement, every -e
 * (and --init-command, a here-document) alike; client commands and options that write files or
 * run commands are not reads.
 */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell } = useJudge();

describe('mysql statements', () => {
  it.each([
    [`mysql -e 'SELECT 1; DROP TABLE t'`, 'changes', 'DROP changes the database'],
    [`mysql -e 'select 1; delete from t'`, 'changes', 'DELETE changes the database'],
    [`mysql -e "SELECT * FROM t INTO OUTFILE '/tmp/x'"`, 'changes', 'INTO OUTFILE writes a file'],
    [`mysql -e "SELECT * FROM t INTO DUMPFILE '/tmp/x'"`, 'changes', 'INTO DUMPFILE writes a file'],
    [`mysql -e 'SELECT a INTO @v FROM t'`, 'changes', 'INTO sets variables'],
    [`mysql -e 'SELECT * FROM t FOR UPDATE'`, 'changes', 'FOR UPDATE locks rows'],
    [`mysql -e 'SELECT * FROM t LOCK IN SHARE MODE'`, 'changes', 'LOCK IN SHARE MODE locks rows'],
    [`mysql -e 'SELECT 1 UNION SELECT a FROM t INTO OUTFILE "/x"'`, 'changes', 'INTO OUTFILE'],
    [`mysql -e 'SELECT bump_counter()'`, 'unknown', 'calls bump_counter(), which ir does not know to be read-only'],
    [`mysql -e 'SELECT app.f(1)'`, 'unknown', 'a function of schema app'],
    [`mysql -e 'SELECT * FROM t WHERE a IN (SELECT f(b) FROM u)'`, 'unknown', 'calls f()'],
    [`mysql -e "SELECT load_file('/etc/passwd')"`, 'unknown', "reads a file from the database server's disk"],
    [`mysql -e 'SELECT sleep(600)'`, 'unknown', 'holds the connection'],
    [`mysql -e 'SELECT benchmark(1000000000, md5(1))'`, 'unknown', 'runs an expression over and over'],
    [`mysql -e "SELECT get_lock('x', 10)"`, 'changes', 'takes or releases a named lock'],
    [`mysql -e 'SET GLOBAL max_connections = 1'`, 'changes', "changes the server's settings"],
    [`mysql -e 'SET @@global.read_only = 1'`, 'changes', "changes the server's settings"],
    [`mysql -e 'CALL cleanup()'`, 'changes', 'CALL changes the database'],
    [`mysql -e 'SHOW STATUS WHERE f(1)'`, 'unknown', 'SHOW … WHERE calls f()'],
    [`mysql -e 'SELECT 1 /*!50000 ; DROP TABLE t */'`, 'unknown', 'versioned comment, which MySQL runs as SQL'],
    [`mariadb -e 'SELECT 1; TRUNCATE t'`, 'changes', 'changes the database'],
    [`kubectl exec db-0 -- mysql -e 'DELETE FROM t'`, 'changes', 'DELETE changes the database'],
  ])('%s: %s', (cmd, effect, reason) => {
    const v = shell(cmd);
    expect(v.effect).toBe(effect);
    expect(v.reason).toContain(reason);
  });

  it.each([
    `mysql -e 'SELECT 1'`,
    `mysql -BN -e 'SELECT COUNT(*), NOW() FROM information_schema.innodb_trx WHERE trx_started < NOW() - INTERVAL 60 SECOND'`,
    `mysql -e 'select id, user, time, state from information_schema.processlist where time > 60 order by time desc limit 20'`,
    `mysql -e 'SHOW FULL PROCESSLIST'`,
    `mysql -uroot -p"$MYSQL_PWD" -h db -e 'SHOW ENGINE INNODB STATUS\\G'`,
    `mysql -e "SHOW GLOBAL STATUS LIKE 'Threads%'"`,
    `mysql -e "SHOW VARIABLES WHERE Variable_name = 'max_connections'"`,
    `mysql -e 'SHOW REPLICA STATUS\\G'`,
    `mysql -e 'DESCRIBE t; EXPLAIN SELECT * FROM t; USE db'`,
    `mariadb -e 'SELECT sys.format_bytes(1), @@version, USER(), JSON_EXTRACT(j, "$.a") FROM t'`,
    `mysql -e 'SET @n = 5; SELECT @n'`,
    `mysql --batch --skip-column-names -e 'SELECT 1'`,
    `mysql -o -e 'SELECT 1'`,
    "mysql <<'EOF'\nSHOW PROCESSLIST;\nSELECT COUNT(*) FROM t;\nEOF",
  ])('%s reads', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'reads' });
  });
});

describe('mysql -e in every spelling, each one judged', () => {
  it.each([
    `mysql --execute='DELETE FROM t'`,
    `mysql --execute 'DELETE FROM t'`,
    `mysql -e'DELETE FROM t'`,
    `mysql -Be 'DELETE FROM t'`,
    `mysql --exec='DELETE FROM t'`,
    `mysql -e 'SELECT 1' -e 'DELETE FROM t'`,
    `mysql -e 'SELECT 1' --execute='DELETE FROM t'`,
    `mysql --init-command='DELETE FROM t' -e 'SELECT 1'`,
    `mysql --loose-init-command='DELETE FROM t' -e 'SELECT 1'`,
    "mysql <<'EOF'\nSELECT 1;\nDELETE FROM t;\nEOF",
  ])('%s changes', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'changes' });
  });

  it('-pSECRET is the password, not -e', () => {
    expect(shell(`mysql -pe -e 'SELECT 1'`)).toMatchObject({ effect: 'reads' });
  });

  it('without -e or input it is interactive', () => {
    expect(shell('mysql -h db')).toMatchObject({
      effect: 'unknown',
      reason: 'mysql without -e opens an interactive session',
    });
  });
});

describe("mysql's client commands and options", () => {
  it.each([
    [`mysql -e 'system touch /tmp/x'`, 'changes', 'runs a shell command'],
    [`mysql -e '\\! touch /tmp/x'`, 'changes', 'runs a shell command'],
    [`mysql -e 'SELECT 1; \\! touch /tmp/x'`, 'changes', 'runs a shell command'],
    [`mysql -e 'tee /tmp/x'`, 'changes', 'writes the session to a file'],
    [`mysql -e 'SELECT 1 \\T /tmp/x'`, 'changes', 'writes the session to a file'],
    [`mysql -e 'pager sh -c id'`, 'changes', 'sends the output through a command'],
    [`mysql -e 'source /tmp/x.sql'`, 'unknown', 'runs a SQL file ir does not read'],
    ["mysql <<'EOF'\nSELECT 1;\nsystem touch /tmp/x\nEOF", 'changes', 'runs a shell command'],
    [`mysql --tee=/tmp/x -e 'SELECT 1'`, 'changes', 'writes the session to a file'],
    [`mysql --loose-tee=/tmp/x -e 'SELECT 1'`, 'changes', 'writes the session to a file'],
    [`mysql --pager='sh -c id' -e 'SELECT 1'`, 'changes', 'sends the output through a command'],
    [`mysql -#d:t:o,/tmp/trace -e 'SELECT 1'`, 'changes', 'writes a debug trace file'],
    [`mysql --defaults-file=/tmp/my.cnf -e 'SELECT 1'`, 'unknown', 'reads options'],
    [`mysql -G -e 'SELECT 1'`, 'unknown', 'client commands'],
  ])('%s: %s', (cmd, effect, reason) => {
    const v = shell(cmd);
    expect(v.effect).toBe(effect);
    expect(v.reason).toContain(reason);
  });
});
