/**
 * Commands that look like reads but change, disrupt or block something: each was judged a read
 * (and so ran unattended, in CI) before.
 */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell, sql } = useJudge();

describe('redis-cli: commands that block every other client', () => {
  it.each([
    "redis-cli KEYS 'session:*'",
    "redis-cli -h r -p 6379 --no-auth-warning keys '*'",
    "kubectl exec -n cache redis-0 -- redis-cli keys 'user:*'",
    'redis-cli <<EOF\nPING\nKEYS *\nEOF',
  ])('%s is held back, pointing at --scan', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toContain('blocking');
    expect(v.reason).toContain('redis-cli --scan --pattern');
  });

  it('MONITOR is held back: it can halve the server’s throughput', () => {
    expect(shell('redis-cli monitor')).toMatchObject({
      effect: 'unknown',
      reason: expect.stringContaining('throughput'),
    });
  });

  it.each([
    'redis-cli SCAN 0 COUNT 100000000',
    "redis-cli -h r scan 0 match 'session:*' count 5000000",
    'redis-cli HSCAN big 0 COUNT 20000',
    "redis-cli --scan --pattern 'user:*' --count 1000000",
  ])('%s is held back: one call reads the keyspace at once, as KEYS does', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toMatch(/one blocking call.*COUNT up to 10,000/);
  });

  it('the cluster manager: check and info read, call is what its command is, the rest change', () => {
    expect(shell('redis-cli --cluster check 10.0.0.1:6379').effect).toBe('reads');
    expect(shell('redis-cli --cluster info 10.0.0.1:6379 -a pw').effect).toBe('reads');
    expect(shell('redis-cli --cluster call 10.0.0.1:6379 INFO memory').effect).toBe('reads');
    expect(shell('redis-cli --cluster call 10.0.0.1:6379 FLUSHALL').effect).toBe('changes');
    expect(shell('redis-cli --cluster fix 10.0.0.1:6379').reason).toContain('changes the cluster');
    expect(shell('redis-cli --cluster reshard 10.0.0.1:6379').effect).toBe('changes');
    expect(shell('redis-cli --cluster backup 10.0.0.1:6379 /tmp/b').effect).toBe('changes');
    expect(shell('redis-cli --lru-test 100000').effect).toBe('changes');
  });

  it('options without a value (--tls, --askpass, --insecure) do not hide the command after them', () => {
    expect(shell('redis-cli --tls --insecure -h r GET session:1').effect).toBe('reads');
    expect(shell('redis-cli --askpass get x').effect).toBe('reads');
    expect(shell('redis-cli --tls flushall').effect).toBe('changes');
    expect(shell('redis-cli --tls keys x').effect).toBe('unknown');
  });

  it('--replica asks the server for a full copy', () => {
    expect(shell('redis-cli --replica').reason).toContain('full copy');
  });

  it('--rdb writes even with a reporting mode (redis-cli runs it first)', () => {
    expect(shell('redis-cli --bigkeys --rdb dump.rdb').effect).toBe('changes');
  });

  it.each([
    "redis-cli --scan --pattern 'session:*'",
    "redis-cli --scan --pattern 'session:*' --count 1000",
    'redis-cli SCAN 0 COUNT 10000',
    "redis-cli sscan members 0 match 'count' count 100",
    'redis-cli --bigkeys',
    'redis-cli --memkeys',
    'redis-cli --hotkeys',
    'redis-cli client list',
    'redis-cli hgetall user:1',
    'redis-cli smembers online',
    'redis-cli lrange queue 0 -1',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });

  it('a team with a small keyspace marks KEYS a read with runbooks.read_only_commands: [redis-cli KEYS]', () => {
    const ro = ['redis-cli KEYS'];
    expect(shell("redis-cli -h r -p 6379 keys 'session:*'", ro)).toMatchObject({ effect: 'reads', byConfig: true });
    expect(shell("kubectl exec redis-0 -- redis-cli KEYS '*'", ro).effect).toBe('reads');
    // The entry names that form only: another command, or a write mode, is judged as before.
    expect(shell('redis-cli del keys', ro).effect).toBe('changes');
    expect(shell('redis-cli --pipe keys', ro).effect).toBe('changes');
    expect(shell('redis-cli monitor', ro).effect).toBe('unknown');
  });
});

describe('read verbs with a form that acts', () => {
  it('an sql step: psql runs a backquoted word in a meta-command through the shell (not one in single quotes)', () => {
    expect(sql('\\set n `kubectl delete pod web-0`\nSELECT :n;')).toMatchObject({
      effect: 'changes',
      reason: expect.stringContaining('backquotes'),
    });
    expect(sql('\\echo `id`')).toMatchObject({ effect: 'changes' });
    expect(sql("\\echo 'a `quoted` word'\nSELECT 1;").effect).toBe('reads');
  });

  it.each([
    // env reads the split command line in every spelling of -S.
    ["env --split-string='kubectl delete pod web-0'", 'changes', 'kubectl delete'],
    ["env -S'kubectl delete pod web-0'", 'changes', 'kubectl delete'],
    ["env -vS 'kubectl delete pod web-0'", 'changes', 'kubectl delete'],
    // journalctl: keys, the catalog, the journal's files, a cursor file.
    ['journalctl --setup-keys', 'changes', '--setup-keys'],
    ['journalctl --update-catalog', 'changes', '--update-catalog'],
    ['journalctl --smart-relinquish-var', 'changes', '--smart-relinquish-var'],
    ['journalctl -u api --cursor-file=/tmp/api.cursor', 'changes', 'cursor'],
    // Dynamic secrets engines issue a credential on each read.
    ['vault read database/creds/readonly', 'changes', 'issues a new credential'],
    ['vault read -format=json db-prod/creds/app', 'changes', 'issues a new credential'],
    ['vault read aws/sts/deploy', 'changes', 'issues a new credential'],
    ['vault read gcp/roleset/ci/key', 'changes', 'issues a new credential'],
    ['az aks get-credentials -g rg -n prod', 'changes', 'current context'],
    ['az aks check-acr -g rg -n prod --acr registry', 'changes', 'in the cluster'],
    ['aws s3api get-object --bucket b --key dump.sql dump.sql', 'changes', 'writes what it fetches'],
    ['aws stepfunctions get-activity-task --activity-arn arn:x', 'changes', 'takes a task'],
    ['aws dynamodb scan --table-name orders', 'unknown', 'whole table'],
    ['aws dynamodb scan --table-name orders --select COUNT', 'unknown', 'whole table'],
    ['aws apigateway test-invoke-method --rest-api-id a --resource-id r --http-method POST', 'changes', 'for real'],
    ["curl -Q 'DELE report.csv' ftp://files.example.test/", 'changes', 'FTP/SFTP'],
    ["curl -sQ '-DELE f' ftp://files.example.test/", 'changes', 'FTP/SFTP'],
    ["curl -H 'X-HTTP-Method-Override: DELETE' https://api.example.test/users/1", 'changes', 'as a DELETE'],
    ["wget -qO- --header='X-HTTP-Method: DELETE' https://api.example.test/users/1", 'changes', 'as a DELETE'],
    ['curl gopher://redis:6379/_FLUSHALL', 'unknown', 'as commands'],
    ['curl dict://memcached:11211/flush_all', 'unknown', 'as commands'],
    ['curl --url=gopher://redis:6379/_FLUSHALL', 'unknown', 'as commands'],
    ["curl telnet://redis:6379 <<< 'FLUSHALL'", 'unknown', 'as commands'],
    ['helm template api ./chart --output-dir /tmp/out', 'changes', 'writes files'],
    ['helm template api ./chart --post-renderer ./kustomize.sh', 'changes', 'runs a program'],
    ['helm template api ./chart --dependency-update', 'changes', 'writes files'],
    ['oc adm inspect ns/openshift-etcd', 'changes', 'local directory'],
    ['kubectl cluster-info dump --output-directory=/tmp/dump', 'changes', 'to a directory'],
  ])('%s %s', (cmd, effect, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe(effect);
    expect(v.reason).toContain(why);
  });

  it.each([
    'env -S "kubectl get pods"',
    'journalctl -u api --since "10 min ago"',
    'vault read sys/health',
    'vault read -field=password secret/data/db',
    'az aks show -g rg -n prod',
    'az aks get-credentials -g rg -n prod --file -',
    'aws s3api get-object --bucket b --key k /dev/stdout',
    'aws s3api head-object --bucket b --key k',
    'aws dynamodb scan --table-name orders --max-items 20',
    'aws dynamodb query --table-name orders --key-condition-expression "pk = :p"',
    'curl ftp://files.example.test/report.csv',
    "curl -H 'X-HTTP-Method-Override: GET' -H 'Accept: application/json' https://api.example.test/",
    'helm template api ./chart',
    'oc adm top nodes',
    'kubectl cluster-info',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});

describe('words ir cannot see decide what runs', () => {
  it.each([
    // xargs appends words from its input: they would be kubectl's verb, aws' service and operation.
    ['echo delete pod web-0 | xargs kubectl', 'changes', 'words from its input'],
    ['echo ec2 terminate-instances | xargs aws', 'unknown', 'words ir cannot read'],
    ['xargs aws ec2', 'changes', 'words from its input'],
    ['xargs git', 'changes', 'words from its input'],
    ['xargs gcloud', 'changes', 'words from its input'],
    // The first gcloud word after the groups is the verb; a later "list" is an argument.
    ['gcloud compute instances delete list', 'changes', 'instances delete'],
    ['gcloud compute instances delete get-worker-1', 'changes', 'instances delete'],
    ['gcloud compute instances stop describe', 'changes', 'instances stop'],
    // A variable whose value is code or a program the step's tools run.
    ['GIT_EXTERNAL_DIFF=./d.sh git diff', 'unknown', 'GIT_EXTERNAL_DIFF'],
    ['KUBECTL_EXTERNAL_DIFF=\'sh -c "rm -rf /tmp/x"\' kubectl diff -f app.yaml', 'unknown', 'KUBECTL_EXTERNAL_DIFF'],
    ['export LD_PRELOAD=/tmp/hook.so\nkubectl get pods', 'unknown', 'LD_PRELOAD'],
    ['env KUBECTL_EXTERNAL_DIFF=./d.sh kubectl diff -f app.yaml', 'unknown', 'KUBECTL_EXTERNAL_DIFF'],
    ["GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0='rm x' git log", 'unknown', 'GIT_CONFIG_COUNT'],
    ['CURL_HOME=/tmp/cfg curl https://example.test/', 'unknown', 'CURL_HOME'],
  ])('%s %s', (cmd, effect, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe(effect);
    expect(v.reason).toContain(why);
  });

  it.each([
    'kubectl get pods -o name | xargs -n1 kubectl logs --tail=5',
    'kubectl get pods -o name | xargs kubectl describe',
    'xargs -I{} kubectl logs {} --tail 5',
    'cat hosts.txt | xargs -n1 dig +short',
    'gcloud compute instances list',
    'gcloud beta run services list',
    'gcloud deploy releases list',
    'gcloud compute backend-services get-health web --global',
    'gcloud config get-value project',
    'KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes',
    'PAGER=cat git log -5',
    'NS=prod kubectl get pods -n "$NS"',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});

describe('system tools: forms that set, flood or load', () => {
  it.each([
    ['git reflog expire --expire=now --all', 'changes', 'reflog'],
    ['git reflog delete HEAD@{1}', 'changes', 'reflog'],
    ['sysctl --system', 'changes', 'kernel settings'],
    ['sysctl --load=/etc/sysctl.d/90-net.conf', 'changes', 'kernel settings'],
    ['sysctl -p/etc/sysctl.conf', 'changes', 'kernel settings'],
    ["date --set='2020-01-01 00:00'", 'changes', 'clock'],
    ['date -s@0', 'changes', 'clock'],
    ["date -us '2020-01-01'", 'changes', 'clock'],
    ['dmesg -D', 'changes', 'console'],
    ['dmesg --console-off', 'changes', 'console'],
    ["yq -Pi '.replicas = 1' deploy.yaml", 'changes', 'edits files'],
    ["yq -s '.metadata.name' all.yaml", 'changes', 'writes each document'],
    ["yq --split-exp '.kind' all.yaml", 'changes', 'writes each document'],
    ['tcpdump -i wlan0 -I', 'changes', 'monitor mode'],
    ['ping -f 10.0.0.1', 'changes', 'floods'],
    ['ping -fc 1000 10.0.0.1', 'changes', 'floods'],
    ['ethtool -w eth0 data /tmp/eth0.dump', 'changes', 'dump'],
    ['openssl s_time -connect api.example.test:443', 'unknown', 'load test'],
    ['openssl speed rsa2048', 'unknown', 'benchmark'],
    ['openssl ocsp -index index.txt -port 8888 -rsigner r.pem -CA ca.pem', 'unknown', 'listening'],
  ])('%s %s', (cmd, effect, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe(effect);
    expect(v.reason).toContain(why);
  });

  it.each([
    'git reflog',
    'git reflog show main',
    'sysctl -a',
    'sysctl -n vm.swappiness',
    'date -Iseconds',
    'date -u +%s',
    'dmesg -T --level=err',
    'yq -P . deploy.yaml',
    "yq e -o json '.spec' deploy.yaml",
    'tcpdump -i any -c 10 -nn port 53',
    'ping -c 3 -W 1 10.0.0.1',
    'ping -I eth0 -c 2 10.0.0.1',
    'ethtool -S eth0',
    'openssl s_client -connect api.example.test:443 -servername api.example.test',
    'openssl ocsp -issuer ca.pem -cert c.pem -url http://ocsp.example.test',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});

describe('package managers, terraform and the firewall: sub-commands that act', () => {
  it.each([
    ['iptables -nvL -Z', 'zeroes its counters'],
    ['iptables -L -n -v --zero', 'zeroes its counters'],
    ['yum history undo 5', 'yum history undo'],
    ['dnf history rollback 3', 'dnf history rollback'],
    ['npm config set registry https://example.test/', 'npm config set'],
    ['npm audit fix', 'npm audit fix'],
    ['npm version patch', 'npm version patch'],
    ['terraform plan -out=tfplan', 'writes the plan'],
    ['terraform providers lock', 'terraform providers lock'],
    ['terraform providers mirror /tmp/providers', 'terraform providers mirror'],
  ])('%s changes something', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('changes');
    expect(v.reason).toContain(why);
  });

  it.each([
    'iptables -t nat -L -n',
    'iptables -L INPUT -n --line-numbers',
    'iptables -vnL -x',
    'iptables -S',
    'yum history',
    'yum history info 5',
    'dnf history list',
    'npm config list',
    'npm config get registry',
    'npm audit',
    'npm version',
    'terraform plan',
    'terraform plan -refresh-only',
    'terraform providers',
    'terraform providers schema -json',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});

describe('host tools: forms that mount, reprioritise or run commands', () => {
  it.each([
    ['mount -a', 'mounts'],
    ['mount --all', 'mounts'],
    ['ionice -c3 -p 1234', 'I/O priority'],
    ['ionice -c 2 -n 0 -p 1234', 'I/O priority'],
    ['tshark -I -i wlan0', 'monitor mode'],
    ["rpm -qa --pipe 'grep kernel'", 'shell command'],
    ["rpm -q bash --eval '%(id)'", 'shell command'],
    ['dmidecode --dump-bin /tmp/dmi.bin', 'writes a file'],
  ])('%s changes something', (cmd, why) => {
    const v = shell(cmd);
    expect(v.effect).toBe('changes');
    expect(v.reason).toContain(why);
  });

  it.each([
    'mount',
    'mount -l',
    'mount -t nfs4',
    'ionice -p 1234',
    // The options of the command ionice runs are not ionice's own.
    'ionice -c3 journalctl -u kubelet -n 100',
    'ionice -c3 find /var/log -size +1G -print',
    'ionice find / -name core -print',
    "rpm -qa --qf '%{NAME}\\n'",
    'dmidecode -t memory',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});

describe('wrappers: the command they run is found past their own options', () => {
  it('watch -d takes no value: the command after it is judged, sudo and all', () => {
    expect(shell('watch -d sudo cat /etc/shadow')).toMatchObject({ effect: 'changes', reason: 'sudo runs as root' });
    expect(shell('watch -d kubectl get pods').effect).toBe('reads');
    expect(shell('watch -n 5 -d kubectl get pods').effect).toBe('reads');
  });

  it('time -o FILE writes its report to a file', () => {
    expect(shell('/usr/bin/time -o /tmp/t.txt kubectl get pods')).toMatchObject({
      effect: 'changes',
      reason: expect.stringContaining('writes its report'),
    });
    expect(shell('time kubectl get pods').effect).toBe('reads');
    expect(shell("time -f '%e' kubectl get pods").effect).toBe('reads');
  });
});

describe('etcdctl: a range over the whole keyspace', () => {
  it.each([
    'etcdctl get "" --prefix',
    'etcdctl get / --prefix --keys-only',
    "ETCDCTL_API=3 etcdctl --endpoints=https://10.0.0.1:2379 get '' --from-key",
    'etcdctl get /registry --prefix -w json',
    'etcdctl --cacert ca.pem get /registry/ --prefix',
    'etcdctl get / --prefix --limit 0',
    'etcdctl get / --prefix --limit=0',
  ])('%s is held back: etcd builds the whole answer in memory', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).toBe('unknown');
    expect(v.reason).toMatch(/whole keyspace in one request.*--limit N or --count-only/);
  });

  it.each([
    'etcdctl get "" --prefix --limit 10',
    'etcdctl get "" --prefix --limit=500',
    'etcdctl get / --prefix --count-only',
    'etcdctl get /registry/pods/default --prefix --keys-only',
    'etcdctl get /registry/leases/kube-node-lease/node-1',
    'etcdctl endpoint status -w table',
  ])('%s still reads', (cmd) => {
    expect(shell(cmd).effect).toBe('reads');
  });
});
