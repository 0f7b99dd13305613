/** What a step does, judged from its commands with the real shell and PostgreSQL parsers. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadJudges } from '../../src/runbook/classify.js';
import type { Verdict } from '../../src/runbook/effect.js';
import type { Step } from '../../src/runbook/types.js';

const step = (command: string, lang: Step['lang'] = 'shell'): Step => ({
  id: 's',
  index: 1,
  title: 's',
  heading: 'Diagnosis',
  kind: 'diagnosis',
  section: 'diagnosis',
  lang,
  command,
  notes: [],
  expectations: [],
  onFail: [],
  line: 1,
});

let judge: (s: Step, readOnly: readonly string[]) => Verdict;
beforeAll(async () => {
  judge = await loadJudges([step('true'), step('select 1', 'sql')]);
});
const shell = (cmd: string, readOnly: string[] = []) => judge(step(cmd), readOnly);
const sql = (q: string) => judge(step(q, 'sql'), []);

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
