/** Commands that look like reads but write files or run commands: never a read unattended. */
import { describe, expect, it } from 'vitest';
import { useJudge } from '../helpers/judge.js';

const { shell } = useJudge();

const notRead = (cmds: string[]) =>
  it.each(cmds)('%s is not a read', (cmd) => {
    const v = shell(cmd);
    expect(v.effect).not.toBe('reads');
    expect(v.reason.length).toBeGreaterThan(5);
  });
const read = (cmds: string[]) =>
  it.each(cmds)('%s reads', (cmd) => {
    expect(shell(cmd)).toMatchObject({ effect: 'reads' });
  });

describe('awk programs that write or run commands', () => {
  notRead([
    `awk '{ print > "/tmp/f" }' /etc/hostname`,
    `awk '{ print >> out }' out=/tmp/f /etc/hostname`,
    `awk '{ print | "sh" }' /etc/hostname`,
    `awk 'BEGIN { system("touch /tmp/f") }'`,
    `awk 'BEGIN { "touch /tmp/f" | getline x }'`,
    `gawk 'BEGIN { printf "x" > "/tmp/f" }'`,
    `awk -f prog.awk /etc/hostname`,
    `gawk -e 'BEGIN { system("touch /tmp/f") }'`,
    `awk -v f=/tmp/f '{ print > f }' "$FILE"`,
    `awk "$PROG" /etc/hostname`,
  ]);
  read([
    `awk '{print $1}' /etc/hosts`,
    `awk '$3 > 100 { print $1 }' f`,
    `awk -F: '{print $(NF-1)}' /etc/passwd`,
    `awk '/a|b/' f`,
  ]);
});

describe('sed scripts that write or run commands', () => {
  notRead([
    `sed -n 'w /tmp/f' /etc/hostname`,
    `sed 'W /tmp/f' /etc/hostname`,
    `sed 's/a/b/w /tmp/f' /etc/hostname`,
    `sed -e '1e touch /tmp/f' /etc/hostname`,
    `sed 's/.*/touch \\/tmp\\/f/e' /etc/hostname`,
    `sed -i s/a/b/ f`,
    `sed --in-place=.bak s/a/b/ f`,
    `sed -ni s/a/b/p f`,
    `sed -ne p -ne 'w /tmp/f' f`,
  ]);
  read([
    `sed -n '1,5p' /etc/hosts`,
    `sed 's/a/b/g' f`,
    `sed -E 's/([0-9]+)/<\\1>/g; /^$/d' f`,
    `sed -n '/start/,/end/p' f`,
  ]);
});

describe('uniq, xxd and openssl with an output file', () => {
  notRead([
    'uniq /etc/hostname /tmp/f',
    'xxd -r dump.hex /tmp/f',
    'xxd /etc/hostname /tmp/f',
    'openssl x509 -in c.pem -out /tmp/f',
    'openssl req -new -newkey rsa:2048 -nodes -keyout /tmp/k -subj /CN=x',
    'openssl rand -out /tmp/f 16',
    'openssl genrsa -out /tmp/k 2048',
    'openssl genpkey -algorithm ed25519 -out /tmp/k',
    'openssl s_client -connect h:443 -sess_out /tmp/s',
    'openssl req -new -subj /CN=x',
  ]);
  read([
    'uniq -c f',
    'xxd /etc/hostname',
    'openssl x509 -in c.pem -noout -dates',
    'openssl s_client -connect example.test:443 -servername example.test </dev/null',
    'openssl rand -hex 16',
  ]);
});

describe('git forms that write or run commands', () => {
  notRead([
    'git config user.name x',
    'git config --global core.pager "sh -c x"',
    'git -C /tmp/r config core.fsmonitor "touch /tmp/f"',
    'git log --output=/tmp/f',
    'git diff --output /tmp/f',
    'git -c core.pager="touch /tmp/f" log',
    'git -c core.fsmonitor="touch /tmp/f" status',
    'git -C /tmp/r commit -m x',
    'git tag v1',
    'git remote add o https://example.test/r',
    'git ls-remote --upload-pack="touch /tmp/f" origin',
    'git ls-remote -u "touch /tmp/f" origin',
  ]);
  read([
    'git config --get user.name',
    'git config --list --show-origin',
    'git -C /srv/app log --oneline -5',
    'git -C /srv/app status',
    'git branch -a',
    'git tag -l',
  ]);
});

describe('bash builtins that run commands', () => {
  notRead([
    `trap 'touch /tmp/f' EXIT`,
    `mapfile -C 'touch /tmp/f' -c 1 a < /etc/hostname`,
    `readarray -t -C cb a < f`,
    `hash -p /usr/bin/touch ls`,
    `printf -v 'a[$(touch /tmp/f)0]' x`,
    `read -r 'a[$(touch /tmp/f)0]' <<< 1`,
    `declare -n r='a[$(touch /tmp/f)0]'`,
    `X='a[\`touch /tmp/f\`0]'; echo "$X"`,
    `[[ 'a[$(touch /tmp/f)0]' -eq 0 ]]`,
    `printf -v $'a[\\x24(touch /tmp/f)0]' x`,
  ]);
  read([
    'trap -p',
    'trap - EXIT',
    'read -r line < /etc/hostname',
    `mapfile -t lines < /etc/hosts`,
    'hash',
    'echo "$(date)"',
  ]);
});

describe('curl options that write files or send data', () => {
  notRead([
    'curl -o /tmp/f https://example.test/',
    'curl -o/tmp/f https://example.test/',
    'curl -sSfo /tmp/f https://example.test/',
    'curl -so/tmp/f https://example.test/',
    'curl --output /tmp/f https://example.test/',
    'curl -O https://example.test/f',
    'curl -sO https://example.test/f',
    'curl --remote-name-all https://example.test/f',
    'curl -D /tmp/h https://example.test/',
    'curl --dump-header /tmp/h https://example.test/',
    'curl -c /tmp/j https://example.test/',
    'curl -sc/tmp/j https://example.test/',
    'curl --cookie-jar /tmp/j https://example.test/',
    'curl --trace /tmp/t https://example.test/',
    'curl --trace-ascii /tmp/t https://example.test/',
    'curl --stderr /tmp/e https://example.test/',
    'curl --libcurl /tmp/c.c https://example.test/',
    'curl --hsts /tmp/h https://example.test/',
    'curl --alt-svc /tmp/a https://example.test/',
    'curl --etag-save /tmp/e https://example.test/',
    'curl -K /tmp/cfg https://example.test/',
    'curl --config /tmp/cfg https://example.test/',
    'curl -sd x=1 https://example.test/',
    'curl --data-binary @f https://example.test/',
    'curl -F a=b https://example.test/',
    'curl -T f https://example.test/',
    `curl --json '{}' https://example.test/`,
    'curl -XPUT https://example.test/',
    'curl -X OPTIONS https://example.test/',
    `curl -w '%output{/tmp/f}%{http_code}' https://example.test/`,
  ]);
  read([
    'curl -s https://example.test/',
    'curl -sSfL https://example.test/',
    'curl -s -o /dev/null -w "%{http_code}" https://example.test/',
    'curl -so /dev/null https://example.test/',
    'curl -I https://example.test/',
    'curl -sG -d query=up https://example.test/',
    'curl -H "Accept: application/json" -m 5 https://example.test/',
  ]);
});

describe('wget options that write files or send data', () => {
  notRead([
    'wget -o /tmp/log -O - https://example.test/',
    'wget -a /tmp/log -qO- https://example.test/',
    'wget --output-file=/tmp/log --spider https://example.test/',
    'wget -O /tmp/f https://example.test/',
    'wget -qO /tmp/f https://example.test/',
    'wget -N https://example.test/f',
    'wget --post-data a=1 -O - https://example.test/',
    'wget --post-file f -qO- https://example.test/',
    'wget -e output_document=/tmp/f https://example.test/',
  ]);
  read([
    'wget -qO- https://example.test/',
    'wget -O - https://example.test/',
    'wget --spider https://example.test/',
    'wget -q --spider https://example.test/',
  ]);
});

describe('forms of read tools that write, run or set something', () => {
  notRead([
    'tcpdump -i eth0 -c 10 -w /tmp/cap',
    'tcpdump -z /tmp/x -w /tmp/cap -C 1',
    'tshark -i eth0 -w /tmp/cap',
    'sar -o /tmp/sa 1 3',
    'sort --compress-program=sh f',
    'nc -e /bin/sh h 1',
    'ncat --sh-exec "touch /tmp/f" h 1',
    'ncat -o /tmp/f h 1',
    'ss -K dst 10.0.0.1',
    'arp -d 10.0.0.1',
    'route add default gw 10.0.0.1',
    'ethtool -s eth0 speed 100',
    'hostnamectl set-hostname x',
    'timedatectl set-time 12:00',
    'loginctl terminate-session 3',
    'resolvectl flush-caches',
    'nmcli con down id x',
    'less -o /tmp/f /etc/hostname',
  ]);
  read([
    'tcpdump -nni eth0 -c 10 port 53',
    'sar -u 1 3',
    'sort -k2 -n f',
    'ss -tlnp',
    'arp -n',
    'route -n',
    'ethtool eth0',
    'ethtool -S eth0',
    'hostnamectl',
    'timedatectl status',
    'loginctl list-sessions',
    'resolvectl query example.test',
    'nmcli device status',
    'nmcli con show',
  ]);
});

describe('reasons name what decided', () => {
  it.each([
    ['xargs -a /etc/hostname echo', 'echo'],
    ['kubectl -v 9 delete pod x', 'kubectl delete'],
    [`env -S 'touch /tmp/f'`, 'touch'],
  ])('%s', (cmd, why) => {
    const v = shell(cmd);
    expect(v.reason).toContain(why);
    expect(v.reason).not.toContain('host name');
  });
  it('env -S with a write is not a read', () => {
    expect(shell(`env -S 'touch /tmp/f'`).effect).toBe('changes');
  });
});

describe('a read verb that groups reads and writes: the word after it decides', () => {
  notRead([
    'docker system prune -f',
    'docker -H tcp://h:2375 system prune --all --volumes',
    'docker context use prod',
    'docker context rm old',
    'vault token revoke -self',
    'vault token create -policy=admin',
    'terraform state rm aws_instance.x',
    'consul operator raft remove-peer -address=10.0.0.1:8300',
    'consul operator autopilot set-config -cleanup-dead-servers=false',
    'etcdctl member remove 8e9e05c52164694d',
    'etcdctl alarm disarm',
    'etcdctl check perf',
    'helm dependency update ./chart',
  ]);
  read([
    'docker system df',
    'docker system info',
    'docker context ls',
    'vault token lookup',
    'terraform state list',
    'consul operator raft list-peers',
    'etcdctl member list',
    'etcdctl alarm list',
    'etcdctl --endpoints=https://10.0.0.1:2379 endpoint health',
    'helm dependency list ./chart',
  ]);
});

describe('tools of the read list in a form that writes or sends', () => {
  notRead([
    'sort in -o/tmp/out',
    'sort -uo /tmp/out in',
    "printf 'FLUSHALL\\r\\n' | nc redis 6379",
    'nc host 80 < /tmp/file',
    'echo "DEL k" | ncat redis 6379',
    'nc -l 8080',
    'telnet host 25',
    'stty -F /dev/ttyS0 9600',
    'stty -echo',
    'dmesg -Tc',
  ]);
  read(['nc -vz host 80', 'nc -z -w 2 host 5432', 'stty -a', 'stty size', 'sort -k2 -n in', 'dmesg -T']);
});
