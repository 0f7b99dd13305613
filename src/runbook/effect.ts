/**
 * What a command does to the systems it touches: reads, changes, or unknown. Pure tables of read
 * verbs per tool (kubectl/oc, aws, gcloud, az, helm, docker, systemctl, redis-cli, curl, …) applied
 * to commands a real parser produced (shell: `shell.ts`; SQL: PostgreSQL's own parser, `sql.ts`,
 * and a MySQL parser, `mysql.ts`). Anything not known to read is not a read: a tool ir doesn't know
 * is `unknown`, a known tool's other verbs are `changes`, and so are redirections into files,
 * `tee`, `sudo` and installs.
 */
import { lookupTable } from '../lookup.js';
import type { Effect } from './types.js';
import type { ArithmeticUse, Redirect, ShellCommand, ShellScript, Word } from './shell.js';

export interface Verdict {
  effect: Effect;
  reason: string;
  /** The command (as written) that decided. */
  command?: string;
  /** Decided by the team's list of read-only commands. */
  byConfig?: boolean;
  /** Unknown because ir does not know the command at all (not one of its tables). */
  unknownCommand?: boolean;
}

const reads = (reason: string): Verdict => ({ effect: 'reads', reason });
const changes = (reason: string): Verdict => ({ effect: 'changes', reason });
const unknown = (reason: string): Verdict => ({ effect: 'unknown', reason });

/** Commands that only read, or only change the shell's own state (cd, export, sleep). */
const READ_ONLY = new Set(
  (
    'cat head tail less more grep egrep fgrep zgrep rg ag wc sort uniq cut tr column paste join comm fold nl rev ' +
    'echo printf pwd true false test [ [[ date sleep ls dir stat file du df free uptime whoami id groups hostname ' +
    'uname ps pgrep pidof pstree vmstat iostat mpstat pidstat sar netstat ss lsof dig nslookup host ping ping6 ' +
    'traceroute tracepath mtr whois which type command basename dirname realpath readlink base64 md5sum ' +
    'sha1sum sha256sum sha512sum cksum diff cmp xxd hexdump od strings getent nproc lscpu lsblk lsmem lspci ' +
    'lsusb blkid findmnt env printenv jq gojq jp column seq expr bc tput cd pushd popd export local declare ' +
    'readonly typeset set unset shift return exit wait trap read mapfile readarray : let alias hash ulimit ' +
    'zcat bzcat xzcat zless tac look ldd nm objdump getconf locale tty stty logname users who w last ' +
    'timedatectl hostnamectl loginctl resolvectl nmcli ethtool arp route iwconfig openssl nc ncat telnet ' +
    'dmidecode sensors top htop atop iotop iftop nethogs watch sysctl tcpdump ngrep tshark'
  ).split(/\s+/),
);

/** Wrappers that run the rest of their arguments as a command. */
const WRAPPERS: Readonly<Record<string, (args: Word[]) => number>> = lookupTable({
  // `timeout 5 cmd`, `timeout -s KILL 5 cmd`
  timeout: (a) => skipOptions(a, ['-s', '--signal', '-k', '--kill-after']) + 1,
  time: (a) => skipOptions(a, ['-f', '--format', '-o']),
  nice: (a) => skipOptions(a, ['-n', '--adjustment']),
  ionice: (a) => skipOptions(a, ['-c', '-n', '-p']),
  nohup: () => 0,
  command: (a) => skipOptions(a, []),
  builtin: () => 0,
  exec: (a) => skipOptions(a, ['-a']),
  stdbuf: (a) => skipOptions(a, ['-i', '-o', '-e']),
  xargs: (a) =>
    skipOptions(a, [
      '-n',
      '-I',
      '-P',
      '-d',
      '-L',
      '-s',
      '-E',
      '-a',
      '--arg-file',
      '--max-args',
      '--replace',
      '--delimiter',
    ]),
  env: (a) => {
    let i = skipOptions(a, ['-u', '--unset', '-C', '--chdir']);
    while (i < a.length && /^[A-Za-z_]\w*=/.test(a[i]!.text)) i++;
    return i;
  },
  // `-d`/`--differences` take no value (`--differences=permanent` is one word).
  watch: (a) => skipOptions(a, ['-n', '--interval', '-q', '--equexit']),
});

/** The words xargs appends to its command, as a word ir cannot read before it runs. */
const XARGS_INPUT: Word = { text: '(words from its input)', literal: false };

/** Index of the first argument that is not an option (options in `withValue` take the next word). */
function skipOptions(args: Word[], withValue: string[]): number {
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-') && args[i]!.text !== '-') {
    if (args[i]!.text === '--') return i + 1;
    if (withValue.includes(args[i]!.text)) i++;
    i++;
  }
  return i;
}

/** An option as a getopt-style tool reads it: its name as written (`-o`, `--output`), its value, the words. */
interface ScannedOption {
  name: string;
  value?: Word;
  /** How it was written (`-sSfo FILE`, `--output=F`), for reasons and the step's command. */
  written: string;
}

/**
 * The options of a getopt-style tool (curl, wget, psql): clusters of short options split, a value
 * attached (`-ofile`, `--output=file`) or in the next word; stops at `--`. `shortValue` names the
 * short options that take a value, `longValue` the long ones (`--output`); `skip` matches words
 * the tool reads as options of its own kind (wget's `-nv`); `shortOptional` names short options
 * whose value is only ever attached (mysql's `-pSECRET`).
 */
function scanOptions(
  args: Word[],
  shortValue: ReadonlySet<string>,
  longValue: (name: string) => boolean,
  skip?: RegExp,
  shortOptional: ReadonlySet<string> = new Set(),
): ScannedOption[] {
  const out: ScannedOption[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (t === '--') break;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      if (eq > 0) out.push({ name: t.slice(0, eq), value: { ...a, text: t.slice(eq + 1) }, written: t });
      else if (longValue(t)) out.push({ name: t, value: args[++i], written: `${t} ${args[i]?.text ?? ''}` });
      else out.push({ name: t, written: t });
      continue;
    }
    if (!t.startsWith('-') || t === '-' || skip?.test(t)) continue;
    for (let j = 1; j < t.length; j++) {
      const c = t[j]!;
      if (shortOptional.has(c)) {
        // A value only when attached (mysql's `-pSECRET`; `-p` alone asks).
        const attached = t.slice(j + 1);
        out.push(
          attached ? { name: `-${c}`, value: { ...a, text: attached }, written: t } : { name: `-${c}`, written: t },
        );
        break;
      }
      if (!shortValue.has(c)) {
        out.push({ name: `-${c}`, written: `-${c}` });
        continue;
      }
      const attached = t.slice(j + 1);
      if (attached) out.push({ name: `-${c}`, value: { ...a, text: attached }, written: t });
      else out.push({ name: `-${c}`, value: args[++i], written: `${t} ${args[i]?.text ?? ''}` });
      break;
    }
  }
  return out;
}

/** Options scanned, each with its value as text (`''` when none was given). */
function optionTexts(opts: ScannedOption[]): { name: string; value: string }[] {
  return opts.map((o) => ({ name: o.name, value: o.value?.text ?? '' }));
}

function positionals(args: Word[], withValue: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') {
      out.push(...args.slice(i + 1).map((w) => w.text));
      break;
    }
    if (t.startsWith('-') && t !== '-') {
      if (withValue.includes(t)) i++;
      continue;
    }
    out.push(t);
  }
  return out;
}

// --- Kubernetes / OpenShift --------------------------------------------------------------------

const KUBE_READ = new Set([
  'get',
  'describe',
  'logs',
  'top',
  'explain',
  'api-resources',
  'api-versions',
  'version',
  'cluster-info',
  'diff',
  'events',
  'wait',
  'whoami',
  'status',
  'port-forward',
  'proxy',
]);
/** kubectl/oc options that take a value (so their value is not the verb). */
const KUBE_OPTS = [
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--token',
  '-l',
  '--selector',
  '-o',
  '--output',
  '-c',
  '--container',
  '--as',
  '--request-timeout',
  '--field-selector',
  '--sort-by',
  '--tail',
  '--since',
  '-f',
  '--filename',
  '-v',
  '--v',
];

function kube(tool: string, args: Word[], again: (argv: Word[]) => Verdict): Verdict {
  const pos = positionals(args, KUBE_OPTS);
  const verb = pos[0];
  if (!verb) return reads(`${tool} without a verb prints help`);
  const sub = pos[1];
  const name = `${tool} ${verb}`;
  if (verb === 'proxy' || verb === 'port-forward') {
    const open = opensToOtherHosts(verb, args);
    if (open) return unknown(`${name} ${open}`);
  }
  if (KUBE_READ.has(verb)) {
    // `cluster-info dump --output-directory DIR` writes the dump (every namespace's logs …) to files.
    const dir = verb === 'cluster-info' && anyArg(args, /^--output-directory/);
    if (dir) return changes(`${name} dump ${dir} writes the cluster's state and logs to a directory`);
    return reads(`${name} only reads`);
  }
  if (verb === 'rollout')
    return sub === 'history' || sub === 'status'
      ? reads(`${name} ${sub} only reads`)
      : changes(`${name} ${sub ?? ''} changes the cluster`.replace(/ +changes/, ' changes'));
  if (verb === 'auth')
    return sub === 'can-i' || sub === 'whoami'
      ? reads(`${name} ${sub} only reads`)
      : changes(`${name} ${sub ?? ''} changes access`);
  if (verb === 'config')
    return sub && ['view', 'get-contexts', 'current-context', 'get-clusters', 'get-users'].includes(sub)
      ? reads(`${name} ${sub} only reads`)
      : changes(`${name} ${sub ?? ''} changes the kubeconfig`);
  if (verb === 'adm' && sub === 'top') return reads(`${name} ${sub} only reads`);
  if (verb === 'adm' && sub === 'inspect')
    return changes(
      `${name} inspect writes what it gathers to a local directory (--dest-dir, else inspect.local.* here)`,
    );
  if (verb === 'project' || verb === 'projects')
    return pos.length > 1 && verb === 'project'
      ? changes(`${tool} project ${sub} switches the current project`)
      : reads(`${name} only reads`);
  if (verb === 'exec' || verb === 'rsh') {
    const dash = args.findIndex((w) => w.text === '--');
    if (dash >= 0 && dash < args.length - 1) {
      const inner = again(args.slice(dash + 1));
      return { ...inner, reason: `inside the pod: ${inner.reason}` };
    }
    return unknown(`${name} opens a shell in a pod`);
  }
  return changes(`${name} changes the cluster`);
}

/** Addresses only this host reaches: what `proxy` and `port-forward` listen on unless told otherwise. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;
/** `kubectl proxy --accept-hosts` patterns that admit this host's names only (its default is all three). */
const LOOPBACK_HOSTS = new Set(['^localhost$', '^127\\.0\\.0\\.1$', '^\\[::1\\]$']);

/**
 * `kubectl proxy` and `port-forward` read, as long as only this host reaches what they open: the
 * Kubernetes API with the kubeconfig's credentials, or a pod's port. Why one that listens wider
 * (`--address` other than loopback; for `proxy`, `--accept-hosts` beyond localhost or
 * `--disable-filter`) is not a read, or undefined.
 */
function opensToOtherHosts(verb: 'proxy' | 'port-forward', args: Word[]): string | undefined {
  const what =
    verb === 'proxy'
      ? "other hosts can reach the Kubernetes API through it, with this kubeconfig's credentials"
      : 'other hosts can reach the forwarded port';
  const browser =
    "a request naming another host (a web page open in this host's browser) can reach the Kubernetes API through it, with this kubeconfig's credentials";
  const opts = scanOptions(args, new Set(), (n) => n === '--address' || n === '--accept-hosts');
  for (const o of opts) {
    const value = o.value;
    if (o.name === '--address') {
      if (!value) continue;
      if (!value.literal)
        return `--address ${value.text}: the address comes from a word ir cannot read before it runs (one other hosts reach would open it to them)`;
      for (const addr of value.text.split(',').map((x) => x.trim())) {
        if (addr === '' || addr === '0.0.0.0' || addr === '::' || addr === '[::]')
          return `--address ${value.text} listens on every interface: ${what}`;
        if (!LOOPBACK.test(addr)) return `--address ${value.text} listens on ${addr}, not only on this host: ${what}`;
      }
    } else if (verb === 'proxy' && o.name === '--accept-hosts') {
      if (!value) continue;
      if (!value.literal)
        return `--accept-hosts ${value.text}: the hosts it lets through come from a word ir cannot read before it runs`;
      const wider = value.text.split(',').find((p) => !LOOPBACK_HOSTS.has(p.trim()));
      if (wider !== undefined)
        return `--accept-hosts ${value.text} lets through requests for ${wider} (by default only localhost, 127.0.0.1 and [::1]): ${browser}`;
    } else if (verb === 'proxy' && o.name === '--disable-filter' && !/^(false|0)$/i.test(value?.text ?? '')) {
      return `--disable-filter turns off its request filtering (the hosts, paths and methods it accepts): ${browser}`;
    }
  }
  return undefined;
}

// --- Clouds ----------------------------------------------------------------------------------------

const AWS_READ =
  /^(describe|list|get|lookup|search|head|batch-get|query|scan|filter|tail|test|validate|estimate|preview|simulate|wait)(-|$)/;

/** aws operations named like reads whose required last argument is a file the response is written to. */
const AWS_STREAMS_TO_FILE = new Set([
  's3api get-object',
  's3api get-object-torrent',
  'glacier get-job-output',
  'mediastore-data get-object',
  'iot-data get-thing-shadow',
  'apigateway get-export',
  'apigateway get-sdk',
  'kinesis-video-media get-media',
  'kinesis-video-archived-media get-clip',
  'kinesis-video-archived-media get-media-for-fragment-list',
  'ebs get-snapshot-block',
  'codeartifact get-package-version-asset',
  'workmailmessageflow get-raw-message-content',
]);

function aws(args: Word[]): Verdict {
  const pos = positionals(args, [
    '--region',
    '--profile',
    '--output',
    '--query',
    '--endpoint-url',
    '--color',
    '--cli-read-timeout',
    '--cli-connect-timeout',
  ]);
  const [service, op] = pos;
  if (!service) return reads('aws without a service prints help');
  if (service === 'help' || op === 'help') return reads('aws help only reads');
  if (!op)
    return args.find((a) => a.text === service)?.literal === false
      ? unknown(`aws ${service}: the service and operation come from words ir cannot read before it runs`)
      : reads(`aws ${service} without an operation prints help`);
  const name = `aws ${service} ${op}`;
  if (service === 's3') {
    if (op === 'ls' || op === 'presign') return reads(`${name} only reads`);
    return changes(`${name} writes objects or files`);
  }
  if (service === 'sts' && op.startsWith('get-')) return reads(`${name} only reads`);
  if (service === 'logs' && (op === 'start-query' || op === 'stop-query' || op === 'start-live-tail'))
    return reads(`${name} only reads logs`);
  if (service === 'configure')
    return op === 'list' || op === 'get' || op === 'list-profiles'
      ? reads(`${name} only reads`)
      : changes(`${name} changes the AWS configuration`);
  if (AWS_STREAMS_TO_FILE.has(`${service} ${op}`) && !args.some((a) => toTerminal(a.text)))
    return changes(`${name} writes what it fetches to the file named last (/dev/stdout prints it)`);
  if (`${service} ${op}` === 'stepfunctions get-activity-task')
    return changes(
      `${name} takes a task off the activity's queue, as a worker does (no worker gets it until it times out)`,
    );
  if (/^test-invoke-/.test(op)) return changes(`${name} calls the method or authorizer for real (its backend runs)`);
  // The CLI follows every page: a scan reads the whole table, spending the read capacity the
  // application needs (a provisioned table throttles it), unless it stops after a number of items.
  if (`${service} ${op}` === 'dynamodb scan' && !args.some((a) => /^--(max-items|no-paginate)(=|$)/.test(a.text)))
    return unknown(
      `${name} reads the whole table, page after page, using up read capacity the application needs; add --max-items N (for a count, describe-table gives ItemCount)`,
    );
  if (AWS_READ.test(op)) return reads(`${name} only reads`);
  return changes(`${name} changes AWS`);
}

const GCLOUD_READ = new Set([
  'list',
  'ls',
  'du',
  'cat',
  'describe',
  'get-iam-policy',
  'read',
  'info',
  'get-value',
  'list-grantable-roles',
  'tail',
  'get',
  'version',
  'print-access-token',
  'print-identity-token',
  'get-credentials',
  'check',
]);

/** gcloud verbs that act (after the first command group, where `run` and `deploy` name products). */
const GCLOUD_ACTS =
  /^(delete|create|update|patch|set|stop|start|reset|restart|resize|deploy|ssh|scp|connect|import|export|(add|remove|set|attach|detach|modify)-.*|enable|disable|run|execute|call|rollback|promote|failover|cancel|pull|publish|move|copy|cp|mv|rm|rsync|suspend|resume|undelete|restore|clone|apply|upgrade|scale|acknowledge|seek|replace|invoke|approve|reject|trigger|install|uninstall|submit|login|revoke|rolling-action)$/;

function gcloud(args: Word[]): Verdict {
  const pos = positionals(args, [
    '--project',
    '--region',
    '--zone',
    '--format',
    '--filter',
    '--limit',
    '--account',
    '--configuration',
    '--location',
    '--cluster',
    '--freshness',
  ]);
  // The verb is the first word after the command groups: gcloud compute instances list NAME →
  // list; in gcloud compute instances delete list, "list" is the instance delete is given.
  const track = /^(alpha|beta|preview)$/.test(pos[0] ?? '') ? 1 : 0;
  const at = pos.findIndex(
    (p, i) => GCLOUD_READ.has(p) || /^(list|describe|get)-/.test(p) || (i > track && GCLOUD_ACTS.test(p)),
  );
  const verb = at >= 0 && !(at > track && GCLOUD_ACTS.test(pos[at]!)) ? pos[at] : undefined;
  if (pos.length === 0 || pos[0] === 'help') return reads('gcloud help only reads');
  if (verb === 'get-credentials') return changes('gcloud … get-credentials writes the kubeconfig');
  if (verb) return reads(`gcloud ${pos.slice(0, pos.indexOf(verb) + 1).join(' ')} only reads`);
  if (pos[0] === 'config' && pos[1] === 'set') return changes('gcloud config set changes the gcloud configuration');
  return changes(`gcloud ${pos.slice(0, 3).join(' ')} changes Google Cloud`);
}

function az(args: Word[]): Verdict {
  const pos = positionals(args, [
    '-g',
    '--resource-group',
    '-n',
    '--name',
    '--subscription',
    '-o',
    '--output',
    '--query',
  ]);
  if (pos.length === 0) return reads('az without a command prints help');
  const verb = pos.find((p) =>
    /^(show|list|get|get-.*|list-.*|show-.*|query|exists|check-.*|version|wait|tail)$/.test(p),
  );
  const words = pos.slice(0, pos.indexOf(verb ?? '') + 1).join(' ');
  // Reads by their verb, yet: `aks get-credentials` merges the cluster into the kubeconfig and makes
  // it the current context (later kubectl steps then talk to it), `aks check-acr` runs a pod in the
  // cluster, `aks check-network` runs a script on a node.
  if (words === 'aks get-credentials' && optValue(args, '-f', '--file') !== '-')
    return changes('az aks get-credentials writes the kubeconfig and switches its current context');
  if (/^aks check-(acr|network)$/.test(words)) return changes(`az ${words} runs a test pod or script in the cluster`);
  if (verb) return reads(`az ${words} only reads`);
  return changes(`az ${pos.slice(0, 3).join(' ')} changes Azure`);
}

// --- Other tools ---------------------------------------------------------------------------------

/**
 * Tools judged by their verb (the first word that is not an option): `reads` lists the verbs that
 * only read; `sub` narrows a verb that groups reads and writes (`docker system df` reads, `docker
 * system prune` deletes) to the words after it that only read.
 */
interface VerbTool {
  reads: RegExp;
  opts?: string[];
  what: string;
  sub?: Record<string, RegExp>;
}
/** yum/dnf `history` forms that only read. */
const HISTORY_READS = /^((list|info|summary|package-list|packages-list|stats|userinstalled)( |$)|$)/;

const VERB_TOOLS: Readonly<Record<string, VerbTool>> = lookupTable<VerbTool>({
  helm: {
    reads: /^(list|ls|status|history|get|show|inspect|template|search|lint|version|env|verify|dependency)$/,
    opts: ['-n', '--namespace', '--kube-context', '--kubeconfig', '-o', '--output'],
    what: 'changes releases',
    // `helm dependency update|build` writes the chart's charts/ directory.
    sub: { dependency: /^(list|ls)(?: |$)/ },
  },
  docker: {
    reads: /^(ps|logs|inspect|images|stats|top|version|info|events|port|diff|history|search|system|context)$/,
    opts: ['-H', '--host', '--context', '-c'],
    what: 'changes containers',
    sub: { system: /^(df|info|events)(?: |$)/, context: /^(ls|list|inspect|show)(?: |$)/ },
  },
  podman: {
    reads: /^(ps|logs|inspect|images|stats|top|version|info|events|port|diff|history|search)$/,
    what: 'changes containers',
  },
  crictl: {
    reads: /^(ps|pods|logs|inspect|inspectp|inspecti|images|stats|statsp|version|info)$/,
    what: 'changes containers',
  },
  systemctl: {
    // No verb at all (`systemctl`, `systemctl --failed`) lists units.
    reads:
      /^(|status|show|cat|is-active|is-enabled|is-failed|is-system-running|list-units|list-unit-files|list-timers|list-sockets|list-dependencies|list-jobs|list-machines|show-environment|help)$/,
    opts: [
      '-H',
      '--host',
      '-M',
      '--machine',
      '-t',
      '--type',
      '--state',
      '-p',
      '--property',
      '-n',
      '--lines',
      '-o',
      '--output',
    ],
    what: 'changes services',
  },
  service: { reads: /^$/, what: 'changes services' },
  journalctl: { reads: /.*/, what: '' },
  terraform: {
    reads: /^(plan|show|output|validate|version|providers|graph|state)$/,
    opts: ['-chdir'],
    what: 'changes infrastructure or its files',
    // `providers lock` writes .terraform.lock.hcl, `providers mirror` downloads into a directory.
    sub: { state: /^(list|show|pull)(?: |$)/, providers: /^(schema( |$)|$)/ },
  },
  consul: {
    reads: /^(members|info|catalog|monitor|version|operator|kv)$/,
    what: 'changes Consul',
    sub: {
      operator: /^(raft list-peers|autopilot (get-config|state|health)|usage instances)\b/,
      kv: /^get(?: |$)/,
    },
  },
  vault: {
    reads: /^(status|read|list|version|token|kv)$/,
    what: 'changes Vault',
    sub: { token: /^(lookup|capabilities)(?: |$)/, kv: /^(get|list|metadata get)(?: |$)/ },
  },
  etcdctl: {
    // (`etcdctl check perf|datascale` write test keys.)
    reads: /^(get|endpoint|member|version|alarm)$/,
    opts: ['--endpoints', '--cacert', '--cert', '--key'],
    what: 'changes etcd',
    sub: { member: /^list(?: |$)/, alarm: /^list(?: |$)/, endpoint: /^(health|status|hashkv)(?: |$)/ },
  },
  nodetool: {
    reads:
      /^(status|info|tpstats|cfstats|tablestats|netstats|compactionstats|describecluster|ring|gossipinfo|proxyhistograms|tablehistograms|version)$/,
    what: 'changes Cassandra',
  },
  rabbitmqctl: {
    reads: /^(status|list_.*|cluster_status|environment|report|node_health_check|ping)$/,
    what: 'changes RabbitMQ',
  },
  ip: {
    reads: /^(a|addr|address|r|route|l|link|n|neigh|neighbour|rule|-s|-br|-4|-6|-j|-d)$/,
    what: 'changes the network',
  },
  apt: { reads: /^(list|show|search|policy|depends|rdepends)$/, what: 'installs or removes packages' },
  'apt-get': { reads: /^$/, what: 'installs or removes packages' },
  'apt-cache': { reads: /.*/, what: '' },
  dpkg: {
    reads: /^(-l|--list|-L|--listfiles|-s|--status|-S|--search|--get-selections)$/,
    what: 'installs or removes packages',
  },
  rpm: { reads: /^(-q.*|--query|-V|--verify)$/, what: 'installs or removes packages' },
  // `history undo|redo|rollback` installs or removes the packages of a past transaction.
  yum: {
    reads: /^(list|info|search|history|repolist|check-update)$/,
    what: 'installs or removes packages',
    sub: { history: HISTORY_READS },
  },
  dnf: {
    reads: /^(list|info|search|history|repolist|check-update)$/,
    what: 'installs or removes packages',
    sub: { history: HISTORY_READS },
  },
  apk: { reads: /^(info|search|list|policy|version)$/, what: 'installs or removes packages' },
  pip: { reads: /^(list|show|freeze|check|search)$/, what: 'installs or removes packages' },
  pip3: { reads: /^(list|show|freeze|check|search)$/, what: 'installs or removes packages' },
  npm: {
    reads: /^(ls|list|view|info|outdated|audit|search|config|version)$/,
    what: "changes packages, npm's settings or the project",
    // `config set|delete|edit` change npm's configuration, `audit fix` installs, `version patch` bumps and tags.
    sub: { config: /^(list|ls|get)( |$)/, audit: /^(?!fix( |$))/, version: /^$/ },
  },
  brew: { reads: /^(list|info|search|outdated|deps|doctor|config)$/, what: 'installs or removes packages' },
  snap: { reads: /^(list|info|find|services)$/, what: 'installs or removes packages' },
  iptables: {
    reads: /^(-L|--list|-S|--list-rules|-nL|-nvL|-vnL|-Ln|-vL)$/,
    opts: ['-t', '--table'],
    what: 'changes the firewall',
  },
  nft: { reads: /^(list)$/, what: 'changes the firewall' },
  ufw: { reads: /^(status|show)$/, what: 'changes the firewall' },
  ansible: { reads: /^$/, what: 'runs on hosts' },
  'ansible-playbook': { reads: /^$/, what: 'runs a playbook' },
  kafka_topics: { reads: /^$/, what: '' },
});

/** Commands that change something whatever their arguments. */
const CHANGES: Readonly<Record<string, string>> = lookupTable({
  sudo: 'runs as root',
  doas: 'runs as root',
  su: 'switches user',
  tee: 'writes files',
  rm: 'deletes files',
  rmdir: 'deletes directories',
  mv: 'moves files',
  cp: 'writes files',
  dd: 'writes devices or files',
  mkdir: 'creates directories',
  touch: 'writes files',
  chmod: 'changes permissions',
  chown: 'changes ownership',
  chgrp: 'changes ownership',
  ln: 'creates links',
  truncate: 'truncates files',
  shred: 'destroys files',
  install: 'installs files',
  kill: 'signals processes',
  pkill: 'signals processes',
  killall: 'signals processes',
  reboot: 'reboots the host',
  shutdown: 'shuts the host down',
  halt: 'halts the host',
  poweroff: 'powers the host off',
  'chef-client': 'converges the node',
  puppet: 'applies configuration',
  'salt-call': 'applies configuration',
  crontab: 'changes cron jobs',
  useradd: 'changes users',
  userdel: 'changes users',
  usermod: 'changes users',
  passwd: 'changes passwords',
  swapoff: 'changes swap',
  swapon: 'changes swap',
  umount: 'unmounts file systems',
  fdisk: 'changes partitions',
  mkfs: 'formats file systems',
  wall: 'messages every user',
  logrotate: 'rotates logs',
  scp: 'copies files between hosts',
  rsync: 'copies files',
  patch: 'changes files',
  make: 'runs build targets',
  eval: 'runs a string as a command',
  source: 'runs another script',
  '.': 'runs another script',
});

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

/**
 * Redis commands that only read. Reading one key whole (`HGETALL`, `SMEMBERS`, `LRANGE k 0 -1`,
 * `DUMP`) is O(size of that key) and stays a read: it is what a check of a key does, and a key
 * large enough to stall Redis is itself the finding. `CLIENT LIST` is O(connections), `SCAN`
 * reads a few keys per call. What walks the whole keyspace or every command in one go is held
 * back instead (REDIS_DISRUPTS); `DEBUG` is not here at all (`DEBUG SLEEP` blocks the server,
 * `DEBUG SEGFAULT` crashes it).
 */
const REDIS_READ = new Set(
  (
    'ping info get mget getrange strlen exists ttl pttl type scan sscan hscan zscan dbsize hget hgetall hmget hkeys ' +
    'hvals hlen hexists llen lrange lindex scard smembers sismember srandmember zcard zrange zrangebyscore zrevrange zscore ' +
    'zrank zcount xlen xinfo xrange xrevrange xpending pfcount time role lastsave echo bitcount getbit object memory ' +
    'latency slowlog client config cluster command dump randomkey lolwut'
  ).split(/\s+/),
);
/**
 * Redis commands that change no data but hold up everyone else: not run unattended. Redis runs
 * one command at a time, so a command that walks the whole keyspace blocks every other client
 * until it ends; its own documentation warns against both in production.
 */
const REDIS_DISRUPTS: Readonly<Record<string, string>> = lookupTable({
  keys: 'walks the whole keyspace in one blocking call: on a large instance every other client waits (seconds) until it ends; use redis-cli --scan --pattern …, which reads the keyspace in small steps',
  monitor:
    "streams every command the server runs, which by Redis' own measure can halve its throughput while it runs, and never ends by itself",
});
/** Read sub-commands of redis commands that also have write forms. */
const REDIS_SUB_READ: Readonly<Record<string, RegExp>> = lookupTable({
  slowlog: /^(get|len|help)$/i,
  client: /^(list|info|getname|id|help|no-evict)$/i,
  config: /^(get|help)$/i,
  cluster: /^(info|nodes|slots|shards|myid|keyslot|countkeysinslot|getkeysinslot|links|help)$/i,
  memory: /^(usage|stats|doctor|malloc-stats|help)$/i,
  latency: /^(latest|history|graph|doctor|histogram|help)$/i,
  object: /^(encoding|freq|idletime|refcount|help)$/i,
  command: /^(count|docs|getkeys|info|list|help)?$/i,
});

function redisCommand(args: string[]): Verdict {
  const [cmd, sub] = args;
  if (!cmd) return unknown('redis-cli without a command opens an interactive prompt');
  const c = cmd.toLowerCase();
  const name = `redis ${cmd.toUpperCase()}${sub && REDIS_SUB_READ[c] ? ` ${sub.toUpperCase()}` : ''}`;
  const disrupts = REDIS_DISRUPTS[c];
  if (disrupts) return unknown(`${name} ${disrupts}`);
  if (!REDIS_READ.has(c)) return changes(`${name} writes to Redis`);
  if (c.endsWith('scan'))
    for (let j = 2; j < args.length; j++) {
      const tooMany = args[j]!.toLowerCase() === 'count' ? scanCountProblem(name, args[j + 1]) : undefined;
      if (tooMany) return tooMany;
    }
  const subs = REDIS_SUB_READ[c];
  if (subs && !subs.test(sub ?? '')) return changes(`${name} changes Redis`);
  return reads(`${name} only reads`);
}

/**
 * redis-cli's options that take a value (so their value is not the command). `--tls`,
 * `--askpass` and `--insecure` take none: read as taking one, they hid the command after them.
 */
const REDIS_CLI_OPTS = [
  '-h',
  '-p',
  '-a',
  '-n',
  '-u',
  '-t',
  '--user',
  '--pass',
  '-s',
  '--cacert',
  '--cacertdir',
  '--cert',
  '--key',
  '--tls-ciphers',
  '--tls-ciphersuites',
  '-r',
  '-i',
  '-d',
  '-D',
  '--sni',
  '--show-pushes',
  '--pipe-timeout',
  '--pattern',
  '--quoted-pattern',
  '--count',
  '--memkeys-samples',
  '--keystats-samples',
];

/**
 * The most keys one SCAN call may be asked for (`COUNT`, redis-cli's `--count`) and stay a read
 * that runs unattended. Redis reads that many in one call while every other client waits: the
 * default is 10, and a count in the millions walks the whole keyspace at once, as KEYS does.
 */
const REDIS_SCAN_COUNT_MAX = 10_000;

function scanCountProblem(name: string, count: string | undefined): Verdict | undefined {
  if (count === undefined || !/^\d+$/.test(count) || Number(count) <= REDIS_SCAN_COUNT_MAX) return undefined;
  return unknown(
    `${name} with COUNT ${count} reads that many keys in one blocking call — on a large instance the whole keyspace at once, as KEYS does, while every other client waits; a COUNT up to ${REDIS_SCAN_COUNT_MAX.toLocaleString('en-US')} reads the keyspace in small steps`,
  );
}

/** `redis-cli --cluster SUBCOMMAND …`: the cluster manager's checks read, the rest change the cluster. */
function redisClusterManager(args: string[]): Verdict {
  const [sub, ...rest] = args;
  const s = sub?.toLowerCase();
  if (s === 'check' || s === 'info' || s === 'help' || s === undefined)
    return reads(`redis-cli --cluster ${s ?? 'help'} only reads`);
  // `call host:port COMMAND …` runs COMMAND on every node: it is what that command is.
  if (s === 'call') return redisCommand(rest.slice(1));
  if (s === 'backup') return changes('redis-cli --cluster backup writes each node’s data to local files');
  return changes(`redis-cli --cluster ${s} changes the cluster`);
}

/**
 * redis-cli's reporting modes read with SCAN in small steps (`--bigkeys`, `--memkeys`,
 * `--hotkeys`, `--scan`), poll INFO (`--stat`) or measure latency with PING
 * (`--intrinsic-latency` runs on the client alone): Redis' documentation offers them for use on
 * a busy server.
 */
const REDIS_READ_MODES = [
  '--bigkeys',
  '--memkeys',
  '--hotkeys',
  '--latency',
  '--latency-history',
  '--latency-dist',
  '--stat',
  '--scan',
  '--intrinsic-latency',
];

function redisCli(args: Word[], stdin: string | undefined): Verdict {
  // Checked before the reporting modes: redis-cli runs --rdb/--pipe first when both are given.
  if (args.some((a) => a.text === '--pipe' || a.text === '--rdb' || a.text === '--functions-rdb'))
    return changes('redis-cli --pipe/--rdb writes');
  if (args.some((a) => a.text === '--replica' || a.text === '--slave'))
    return unknown(
      'redis-cli --replica asks the server for a full copy as a new replica would (it forks and sends its whole dataset)',
    );
  if (args.some((a) => a.text === '--lru-test'))
    return changes('redis-cli --lru-test writes keys, simulating a cache workload');
  const cluster = args.findIndex((a) => a.text === '--cluster');
  if (cluster >= 0) return redisClusterManager(args.slice(cluster + 1).map((a) => a.text));
  if (args.some((a) => REDIS_READ_MODES.includes(a.text))) {
    const tooMany = args.some((a) => a.text === '--scan')
      ? scanCountProblem('redis-cli --scan', optValue(args, '--count'))
      : undefined;
    return tooMany ?? reads('redis-cli in a reporting mode only reads');
  }
  const pos = positionals(args, REDIS_CLI_OPTS);
  if (pos.length === 0 && stdin !== undefined) {
    const cmds = stdin
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const l of cmds) {
      const v = redisCommand(l.split(/\s+/));
      if (v.effect !== 'reads') return v;
    }
    return reads('redis commands on stdin only read');
  }
  return redisCommand(pos);
}

// --- SQL through a client --------------------------------------------------------------------------

/** How a psql or mysql step's SQL is judged; set by the caller, which has the parsers. */
export type SqlJudge = (sql: string) => Verdict;

/** psql's short options that take a value (`-c SQL`, `-cSQL`, `-Atc SQL`). */
const PSQL_SHORT_VALUE = new Set(['c', 'd', 'f', 'v', 'L', 'o', 'h', 'p', 'U', 'F', 'P', 'R', 'T']);
/** psql's long options that take a value (`--command SQL`, `--command=SQL`). */
const PSQL_LONG_VALUE = new Set([
  'command',
  'dbname',
  'file',
  'set',
  'variable',
  'log-file',
  'output',
  'host',
  'port',
  'username',
  'field-separator',
  'pset',
  'record-separator',
  'table-attr',
]);
const PSQL_LONG_SHORT: Readonly<Record<string, string>> = lookupTable({
  command: 'c',
  file: 'f',
  output: 'o',
  'log-file': 'L',
  list: 'l',
  version: 'V',
});

interface PsqlOpt {
  /** The short letter (`c`), long options mapped to theirs. */
  opt: string;
  value?: Word;
  written: string;
}

/** psql's options as getopt reads them, long options mapped to their short letter. */
function psqlOptions(args: Word[]): PsqlOpt[] {
  return scanOptions(args, PSQL_SHORT_VALUE, (n) => PSQL_LONG_VALUE.has(n.slice(2))).map(({ name, value, written }) => {
    const long = name.startsWith('--') ? name.slice(2) : undefined;
    return { opt: long === undefined ? name.slice(1) : (PSQL_LONG_SHORT[long] ?? long), value, written };
  });
}

/**
 * psql runs every `-c` in turn: each is judged. `-o`/`-L` write a file; `-f` runs a file ir does
 * not read; without `-c` it reads its standard input (a here-document is judged) or is interactive.
 */
function psql(args: Word[], stdin: string | undefined, sql: SqlJudge | undefined): Verdict {
  const opts = psqlOptions(args);
  const writes = opts.find((o) => o.opt === 'o' || o.opt === 'L');
  if (writes)
    return {
      ...changes(`psql ${writes.opt === 'o' ? '-o/--output' : '-L/--log-file'} writes query results to a file`),
      command: writes.written.trim(),
    };
  if (opts.some((o) => o.opt === 'l' || o.opt === 'V')) return reads('psql --list only reads');
  if (opts.some((o) => o.opt === 'f')) return unknown('psql -f runs a SQL file ir does not read');
  const commands = opts.filter((o) => o.opt === 'c');
  if (commands.length === 0) {
    if (stdin === undefined) return unknown('psql without -c opens an interactive session');
    if (!sql) return unknown('SQL not classified');
    return sql(stdin);
  }
  let last: Verdict | undefined;
  for (const c of commands) {
    if (!c.value) return unknown('psql -c without a query');
    if (!c.value.literal && !sql) return unknown('psql -c with a computed query');
    if (!sql) return unknown('SQL not classified');
    const v = sql(c.value.text);
    if (v.effect !== 'reads') return commands.length > 1 ? { ...v, command: v.command ?? c.value.text } : v;
    last = v;
  }
  return commands.length === 1 ? last! : reads(`every psql -c only reads (${commands.length})`);
}

/** mysql's short options that take a value (`-e SQL`, `-eSQL`, `-Be SQL`, `-D db`). */
const MYSQL_SHORT_VALUE = new Set(['e', 'D', 'h', 'P', 'u', 'S', 'O']);
/** Short options whose value is only attached: `-pSECRET` (`-p` alone asks), `-#d:o,FILE`. */
const MYSQL_SHORT_OPTIONAL = new Set(['p', '#']);
/** mysql's long options that take the next word as their value (others need `--opt=value`). */
const MYSQL_LONG_VALUE = new Set(
  (
    'execute database host port user socket tee init-command default-character-set character-sets-dir ' +
    'defaults-file defaults-extra-file defaults-group-suffix login-path protocol connect-timeout ' +
    'max-allowed-packet net-buffer-length select-limit max-join-size prompt delimiter load-data-local-dir ' +
    'plugin-dir default-auth server-public-key-path bind-address histignore ssl-ca ssl-capath ssl-cert ' +
    'ssl-cipher ssl-key ssl-crl ssl-crlpath ssl-mode tls-version tls-ciphersuites compression-algorithms ' +
    'zstd-compression-level set-variable'
  ).split(' '),
);
/** mysql's long options that take no value (or only `=value`): to tell an abbreviation apart. */
const MYSQL_LONG_FLAGS = (
  'batch silent html xml table vertical raw skip-column-names column-names force quick unbuffered verbose ' +
  'version help compress auto-rehash no-auto-rehash password no-beep one-database safe-updates i-am-a-dummy ' +
  'wait show-warnings line-numbers comments binary-mode no-defaults print-defaults pager no-pager no-tee ' +
  'debug debug-check debug-info named-commands sigint-ignore reconnect ssl local-infile ' +
  'enable-cleartext-plugin syslog binary-as-hex column-type-info ignore-spaces'
).split(' ');
/** Options whose abbreviation must not slip past: what they do decides the verdict. */
const MYSQL_DECIDING = [
  'execute',
  'init-command',
  'tee',
  'pager',
  'debug',
  'defaults-file',
  'defaults-extra-file',
  'named-commands',
  'plugin-dir',
];
const MYSQL_LONG = [...MYSQL_LONG_VALUE, ...MYSQL_LONG_FLAGS];

/**
 * A long option as mysql's option parser reads it: `--loose-` dropped, `--enable-X` is `--X`, and
 * an unambiguous prefix (`--exec`) is the option it abbreviates — read as a deciding option
 * whenever it could be one.
 */
function mysqlLong(name: string): string {
  const bare = name
    .replace(/^--loose-/, '--')
    .replace(/^--enable-/, '--')
    .slice(2);
  if (MYSQL_LONG.includes(bare)) return `--${bare}`;
  const deciding = MYSQL_DECIDING.find((o) => o.startsWith(bare));
  if (deciding && bare.length > 0) return `--${deciding}`;
  const matches = MYSQL_LONG.filter((o) => o.startsWith(bare));
  return matches.length === 1 ? `--${matches[0]!}` : `--${bare}`;
}

/** Client options that write a file, run a command or read options from a file ir does not read. */
const MYSQL_OPTION_EFFECT: Readonly<Record<string, Verdict>> = lookupTable({
  '--tee': changes('writes the session to a file'),
  '--pager': changes('sends the output through a command'),
  '-#': changes('writes a debug trace file'),
  '--debug': changes('writes a debug trace file'),
  '--defaults-file': unknown('reads options (init-command, pager, tee …) from a file ir does not read'),
  '--defaults-extra-file': unknown('reads options (init-command, pager, tee …) from a file ir does not read'),
  '-G': unknown('reads client commands (system, tee …) anywhere in a line, which ir does not follow'),
  '--named-commands': unknown('reads client commands (system, tee …) anywhere in a line, which ir does not follow'),
  '--plugin-dir': unknown('loads client plugins from a directory ir does not read'),
});

/**
 * mysql/mariadb run every `-e`/`--execute` (and `--init-command` on connecting): each is judged,
 * as is a here-document on standard input; without either the session is interactive. Options
 * that write files or run commands decide first.
 */
function mysql(tool: string, args: Word[], stdin: string | undefined, judge: SqlJudge | undefined): Verdict {
  const opts = scanOptions(
    args,
    MYSQL_SHORT_VALUE,
    (n) => MYSQL_LONG_VALUE.has(mysqlLong(n).slice(2)),
    undefined,
    MYSQL_SHORT_OPTIONAL,
  ).map((o) => (o.name.startsWith('--') ? { ...o, name: mysqlLong(o.name) } : o));
  for (const o of opts) {
    const v = Object.hasOwn(MYSQL_OPTION_EFFECT, o.name) ? MYSQL_OPTION_EFFECT[o.name] : undefined;
    if (v) return { ...v, reason: `${tool} ${o.name} ${v.reason}`, command: o.written.trim() };
  }
  const sql = opts.filter((o) => o.name === '-e' || o.name === '--execute' || o.name === '--init-command');
  if (sql.length === 0) {
    if (opts.some((o) => /^(-V|--version|-\?|--help)$/.test(o.name)))
      return reads(`${tool} --help/--version only prints`);
    if (stdin === undefined) return unknown(`${tool} without -e opens an interactive session`);
    if (!judge) return unknown('SQL not classified');
    return judge(stdin);
  }
  if (!judge) return unknown('SQL not classified');
  let last: Verdict | undefined;
  for (const o of sql) {
    if (!o.value) return unknown(`${tool} ${o.name} without SQL`);
    last = judge(o.value.text);
    if (last.effect !== 'reads') return { ...last, command: last.command ?? o.written.trim() };
  }
  return sql.length === 1 ? last! : reads(`everything ${tool} runs only reads (${sql.length})`);
}

// --- HTTP ------------------------------------------------------------------------------------------

/** curl's short options that take a value (`-o FILE`, `-ofile`, or last in a cluster: `-sSfo FILE`). */
const CURL_SHORT_VALUE = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz'.split(''));
/** curl's long options that take a value (the next word), so it is not read as an option or a URL. */
const CURL_LONG_VALUE =
  /^--(request|output|output-dir|dump-header|cookie|cookie-jar|data.*|form.*|json|upload-file|header|user|user-agent|referer|max-time|connect-timeout|write-out|proxy|config|trace|trace-ascii|stderr|libcurl|hsts|alt-svc|etag-save|etag-compare|cacert|capath|cert|key|resolve|connect-to|retry|retry-delay|retry-max-time|range|url|variable|expect100-timeout|interface|local-port|limit-rate|max-filesize|noproxy|proto|proto-redir|unix-socket|aws-sigv4|oauth2-bearer|pass|continue-at|time-cond|quote|speed-time|speed-limit|telnet-option)$/;

/** Where output written to `target` goes nowhere but the terminal. */
const toTerminal = (target: string) => target === '-' || target === '/dev/null' || target === '/dev/stdout';

/** curl options that write what they name (a file unless `-` or /dev/null). */
const CURL_WRITES: Readonly<Record<string, string>> = lookupTable({
  '-o': 'writes the response to a file',
  '--output': 'writes the response to a file',
  '-D': 'writes the headers to a file',
  '--dump-header': 'writes the headers to a file',
  '-c': 'writes cookies to a file',
  '--cookie-jar': 'writes cookies to a file',
  '--trace': 'writes a trace to a file',
  '--trace-ascii': 'writes a trace to a file',
  '--stderr': 'writes its messages to a file',
  '--libcurl': 'writes C source to a file',
  '--etag-save': 'writes the ETag to a file',
});

/** The method an `X-HTTP-Method-Override: DELETE` header (or `X-HTTP-Method`, `X-Method-Override`) asks for, other than GET/HEAD. */
function methodOverride(header: string): string | undefined {
  const m = /^\s*X-(?:HTTP-Method(?:-Override)?|Method-Override)\s*:\s*(\S+)/i.exec(header);
  return m && !/^(GET|HEAD)$/i.test(m[1]!) ? m[1]!.toUpperCase() : undefined;
}

function curl(args: Word[]): Verdict {
  const opts = optionTexts(scanOptions(args, CURL_SHORT_VALUE, (n) => CURL_LONG_VALUE.test(n)));
  // `-G`/`--get` puts `-d`/`--data-urlencode` into the URL's query string of a GET request.
  const get = opts.some((o) => o.name === '-G' || o.name === '--get');
  for (const { name, value } of opts) {
    if (name === '-X' || name === '--request') {
      if (!/^(GET|HEAD)$/i.test(value)) return changes(`curl ${name} ${value} sends a ${value.toUpperCase()} request`);
      continue;
    }
    if (name in CURL_WRITES) {
      if (!toTerminal(value)) return changes(`curl ${name} ${value} ${CURL_WRITES[name]}`);
      continue;
    }
    if (/^(-O|-J|--remote-name|--remote-name-all|--remote-header-name|--output-dir|--create-dirs)$/.test(name))
      return changes(`curl ${name} saves the response to a file`);
    if (name === '--hsts' || name === '--alt-svc') return changes(`curl ${name} ${value} updates the file ${value}`);
    if (name === '-K' || name === '--config')
      return unknown(
        `curl ${name} ${value} reads options from a file ir does not read (it may write files or send data)`,
      );
    if ((name === '-w' || name === '--write-out') && value.includes('%output{'))
      return changes(`curl ${name} with %output{…} writes a file`);
    if (name === '-d' || /^--data/.test(name)) {
      if (get && name !== '--data-binary') continue;
      return changes(`curl ${name} sends a body`);
    }
    if (/^(-F|--form.*|-T|--upload-file|--json)$/.test(name)) return changes(`curl ${name} sends a body`);
    if (name === '-Q' || name === '--quote')
      return changes(`curl ${name} '${value}' sends a command to the FTP/SFTP server (DELE, RNFR, rm …)`);
    const override = (name === '-H' || name === '--header') && methodOverride(value);
    if (override) return changes(`curl ${name} '${value}' asks the server to handle the request as a ${override}`);
  }
  // These schemes send the URL's path (telnet: the standard input) to the server as they are.
  const raw = args.find((a) => /^(--url=)?(gophers?|dict|telnet):\/\//i.test(a.text));
  if (raw)
    return unknown(`curl ${raw.text} sends the URL's path or its input to the server as commands, which may change it`);
  return reads('curl without a body or a non-GET method only reads');
}

/** wget's short options that take a value. */
const WGET_SHORT_VALUE = new Set('aoOeiBtTwQPUlARDIX'.split(''));
const WGET_LONG_VALUE =
  /^--(output-file|append-output|output-document|execute|input-file|base|tries|timeout|wait|quota|directory-prefix|user-agent|level|accept|reject|domains|include-directories|exclude-directories|method|header|user|password|post-data|post-file|body-data|body-file|config|save-cookies|load-cookies|warc-file|rejected-log|hsts-file|ca-certificate|certificate|private-key)$/;

function wget(args: Word[]): Verdict {
  // wget's own multi-letter short options (`-nv`, `-nc`, `-nd`, `-np`, `-nH`) take no value.
  const opts = optionTexts(scanOptions(args, WGET_SHORT_VALUE, (n) => WGET_LONG_VALUE.test(n), /^-n[vcdpHo]/));
  let spider = false;
  let dest: string | undefined;
  for (const { name, value } of opts) {
    if (/^--(post-data|post-file|body-data|body-file)$/.test(name)) return changes(`wget ${name} sends a body`);
    if (name === '--method' && !/^(GET|HEAD)$/i.test(value))
      return changes(`wget --method ${value} sends a ${value} request`);
    const override = name === '--header' && methodOverride(value);
    if (override) return changes(`wget --header '${value}' asks the server to handle the request as a ${override}`);
    if (/^(-o|--output-file|-a|--append-output)$/.test(name) && !toTerminal(value))
      return changes(`wget ${name} ${value} writes its log to a file`);
    if (/^(--save-cookies|--warc-file|--rejected-log)$/.test(name) && !toTerminal(value))
      return changes(`wget ${name} ${value} writes a file`);
    if (name === '-e' || name === '--execute') return unknown(`wget ${name} ${value} runs a wgetrc command`);
    if (name === '--config') return unknown(`wget --config ${value} reads options from a file ir does not read`);
    if (name === '--spider') spider = true;
    if (name === '-O' || name === '--output-document') dest = value;
  }
  if (dest !== undefined) {
    if (toTerminal(dest)) return reads('wget to standard output only reads');
    return changes(`wget -O ${dest} writes a file`);
  }
  if (spider) return reads('wget --spider only reads');
  return changes('wget saves a file');
}

/**
 * `vault read` of a dynamic secrets engine's credential path issues a new credential each time:
 * `database/creds/ROLE` creates a database user, `aws/creds/ROLE` and `aws/sts/ROLE` IAM keys or
 * a session, `gcp/roleset/R/key` a service-account key, each with a lease. Mounts may be named
 * anything; the engines' own path words (`creds`, `sts`, `…/key`) say it.
 */
function vaultIssues(args: Word[]): string | undefined {
  const [verb, path] = positionals(args, ['-field', '-format', '-address', '-namespace', '-wrap-ttl', '-mount']);
  if (verb !== 'read' || path === undefined) return undefined;
  return /(^|\/)(creds|sts)\/|\/(roleset|static-account|impersonated-account)\/[^/]+\/key$/.test(path)
    ? `vault read ${path} issues a new credential (a database user, cloud keys …) with a lease`
    : undefined;
}

// --- Text tools that can write files or run commands --------------------------------------------

/** awk: the program can write files (`print > "f"`, `print | "cmd"`) or run commands (`system()`, `"cmd" | getline`). */
function awk(tool: string, args: Word[]): Verdict {
  const programs: Word[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    if (/^(-i|--include|-l|--load)/.test(t) || t === 'inplace')
      return changes(`${tool} ${t} loads code (-i inplace edits files)`);
    if (/^(-f|--file|-E|--exec)/.test(t)) return unknown(`${tool} ${t} runs a program file ir does not read`);
    if (t === '-e' || t === '--source') programs.push(args[++i] ?? { text: '', literal: true });
    else if (t.startsWith('--source=')) programs.push({ ...args[i]!, text: t.slice(9) });
    else if (/^(-v|-F|--assign|--field-separator)$/.test(t)) i++;
  }
  if (programs.length === 0 && i < args.length) programs.push(args[i]!);
  for (const p of programs) {
    if (!p.literal) return unknown(`${tool} runs a program ir cannot read before it runs (${p.text})`);
    const text = p.text;
    if (/\bsystem\s*\(/.test(text)) return changes(`${tool} program calls system(), which runs a command`);
    if (/\|\s*&?\s*getline\b|\|&/.test(text))
      return changes(`${tool} program reads from a command it runs ("cmd" | getline)`);
    if (/\bprintf?\b[^;{}\n]*(>|\|)/.test(text))
      return changes(`${tool} program sends print output to a file or a command (print > / >> / |)`);
    if (/@load|@include/.test(text)) return unknown(`${tool} program loads code ir does not read`);
  }
  return reads(`${tool} only reads`);
}

/** sed: `w`/`W` write files, `e` runs commands, `s///w` and `s///e` the same; `-i` edits files. */
function sed(args: Word[]): Verdict {
  if (args.some((a) => /^--in-place/.test(a.text) || /^-[a-zA-Z]*i/.test(a.text))) return changes('sed -i edits files');
  const scripts: string[] = [];
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-e' || t === '--expression') scripts.push(args[++i]?.text ?? '');
    else if (t.startsWith('--expression=')) scripts.push(t.slice(13));
    else if (/^-[a-zA-Z]*e$/.test(t)) scripts.push(args[++i]?.text ?? '');
    else if (/^-[a-zA-Z]*e./.test(t) && !t.startsWith('--')) scripts.push(t.slice(t.indexOf('e') + 1));
    else if (t === '-f' || t === '--file' || t.startsWith('--file=') || /^-[a-zA-Z]*f/.test(t)) fromFile = true;
  }
  if (fromFile) return unknown('sed -f runs a script file ir does not read');
  if (scripts.length === 0) {
    const pos = positionals(args, ['-l', '--line-length']);
    if (pos[0] !== undefined) scripts.push(pos[0]);
  }
  if (args.some((a) => !a.literal && scripts.includes(a.text)))
    return unknown('sed runs a script ir cannot read before it runs');
  for (const sc of scripts) {
    const bad = sedScriptEffect(sc);
    if (bad) return bad;
  }
  return reads('sed without -i, w or e only reads');
}

/** Walks a sed script's commands; a `w`/`W`/`e` command or `s` flag, or anything not understood, is not a read. */
function sedScriptEffect(sc: string): Verdict | undefined {
  let i = 0;
  const toEol = () => {
    while (i < sc.length && sc[i] !== '\n') i++;
  };
  const delimited = (d: string) => {
    while (i < sc.length && sc[i] !== d) {
      if (sc[i] === '\\') i++;
      i++;
    }
    i++;
  };
  const address = () => {
    if (/\d/.test(sc[i] ?? '')) while (/[\d~]/.test(sc[i] ?? '')) i++;
    else if (sc[i] === '$') i++;
    else if (sc[i] === '/') {
      i++;
      delimited('/');
      while (/[IM]/.test(sc[i] ?? '')) i++;
    } else if (sc[i] === '\\') {
      const d = sc[i + 1] ?? '';
      i += 2;
      delimited(d);
      while (/[IM]/.test(sc[i] ?? '')) i++;
    }
  };
  while (i < sc.length) {
    while (/[\s;{}!]/.test(sc[i] ?? '')) i++;
    if (i >= sc.length) break;
    address();
    while (sc[i] === ' ') i++;
    if (sc[i] === ',') {
      i++;
      if (sc[i] === '+' || sc[i] === '~') i++;
      address();
    }
    while (/[\s!]/.test(sc[i] ?? '')) i++;
    const c = sc[i];
    if (c === undefined) break;
    i++;
    if (c === '{' || c === '}' || c === ';') continue;
    if (c === 'w' || c === 'W') return changes(`sed ${c} writes a file`);
    if (c === 'e') return changes('sed e runs a command');
    if (c === 's' || c === 'y') {
      const d = sc[i++] ?? '';
      delimited(d);
      delimited(d);
      if (c === 's') {
        const flags = /^[gpiImMe0-9w]*/.exec(sc.slice(i))![0];
        if (flags.includes('w')) return changes('sed s///w writes a file');
        if (flags.includes('e')) return changes('sed s///e runs the pattern space as a command');
        i += flags.length;
      }
      continue;
    }
    if (/[aicrRbtTv:#]/.test(c)) {
      toEol();
      continue;
    }
    if (/[=dDgGhHlnNpPqQxzF]/.test(c)) continue;
    return unknown(`sed script command "${c}" is not one ir knows to only read`);
  }
  return undefined;
}

/** openssl sub-commands that only read unless given an output option. */
const OPENSSL_READ =
  /^(x509|s_client|version|verify|crl|dgst|asn1parse|ciphers|list|help|req|rsa|ec|pkey|pkcs7|pkcs12|sess_id|storeutl|errstr|base64|enc|crl2pkcs7|prime|passwd|rand|genrsa|genpkey|ecparam|dhparam|speed|s_time|ocsp|md5|sha1|sha256|sha512|x25519)$/;
/** openssl options that take a file to write. */
const OPENSSL_WRITES =
  /^(out|keyout|sess_out|certout|reqout|respout|keylogfile|msgfile|writerand|CAcreateserial|CAserial|outdir|signer_out|dcert_out|[a-z_]*_out)$/;

function openssl(args: Word[]): Verdict {
  const sub = args[0]?.text ?? '';
  if (!sub || sub.startsWith('-')) return reads('openssl without a sub-command only reads');
  if (!OPENSSL_READ.test(sub)) return unknown(`ir does not know whether openssl ${sub} changes anything`);
  for (const a of args.slice(1)) {
    const name = /^--?([A-Za-z_]+)/.exec(a.text)?.[1];
    if (name && OPENSSL_WRITES.test(name)) return changes(`openssl ${sub} -${name} writes a file`);
  }
  const opt = (n: string) => args.some((a) => a.text === `-${n}`);
  if (sub === 's_time')
    return unknown(
      'openssl s_time opens TLS connections to the server as fast as it can (30 s by default): a load test',
    );
  if (sub === 'speed') return unknown('openssl speed is a benchmark: it keeps a CPU busy for minutes');
  if (sub === 'ocsp' && opt('port')) return unknown('openssl ocsp -port runs an OCSP responder listening on a port');
  if (sub === 'req' && (opt('new') || opt('newkey') || opt('x509')) && !opt('key'))
    return changes('openssl req -new without -key writes a new private key to a file');
  return reads(`openssl ${sub} only reads`);
}

/** git: `git -c`/`--config-env` set configuration that can run commands; `git config` writes unless a read form. */
const GIT_READ =
  /^(log|show|status|diff|blame|branch|tag|remote|rev-parse|describe|shortlog|ls-files|ls-remote|grep|config|rev-list|cat-file|ls-tree|reflog|whatchanged|name-rev|show-ref|for-each-ref|version|help|var)$/;

function git(args: Word[]): Verdict {
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-c' || /^-c./.test(t) || t.startsWith('--config-env'))
      return changes(`git ${t} sets configuration for the command (core.pager, core.fsmonitor … run commands)`);
    if (/^--(exec-path|git-dir|work-tree)=?/.test(t) && t !== '--exec-path')
      return unknown(`git ${t} points git at another program or repository ir cannot judge`);
    if (t === '-C' || t === '--namespace' || t === '--super-prefix') i++;
    else if (!t.startsWith('-')) break;
  }
  const verb = args[i]?.text ?? '';
  const rest = args.slice(i + 1);
  const texts = rest.map((a) => a.text);
  if (!verb) return reads('git without a command prints help');
  if (!GIT_READ.test(verb)) return changes(`git ${verb} changes a repository`);
  const out = texts.find((t) => t === '--output' || t.startsWith('--output='));
  if (out) return changes(`git ${verb} ${out} writes a file`);
  if (verb === 'ls-remote' && texts.some((t) => /^-u./.test(t) || t === '-u'))
    return changes('git ls-remote -u runs the given upload-pack program');
  const runs = texts.find((t) =>
    /^--(upload-pack|receive-pack|exec|ext-diff|textconv|open-files-in-pager)|^-O/.test(t),
  );
  if (runs) return changes(`git ${verb} ${runs} runs a command`);
  const pos = positionals(rest, ['-n', '--max-count', '--format', '--pretty', '-S', '-G', '--author', '--grep', '-L']);
  if (verb === 'config') {
    const readForm =
      texts.some((t) =>
        /^(--get|--get-all|--get-regexp|--get-urlmatch|--get-color|--get-colorbool|--list|-l)$/.test(t),
      ) ||
      pos[0] === 'get' ||
      pos[0] === 'list';
    return readForm ? reads('git config --get/--list only reads') : changes('git config sets or removes configuration');
  }
  if (
    verb === 'branch' &&
    pos.length > 0 &&
    !texts.some((t) => /^(-l|--list|-a|-r|--contains|--merged|--no-merged)$/.test(t))
  )
    return changes('git branch NAME creates a branch');
  if (
    verb === 'branch' &&
    texts.some((t) =>
      /^(-[dDmMcC]|--delete|--move|--copy|--set-upstream-to|-u|--unset-upstream|--edit-description)/.test(t),
    )
  )
    return changes('git branch -d/-m changes branches');
  if (
    verb === 'tag' &&
    (pos.length > 0 || texts.some((t) => /^(-d|--delete|-a|-s|-f)$/.test(t))) &&
    !texts.some((t) => /^(-l|--list|-n\d*|--contains|--points-at|--merged|-v|--verify)$/.test(t))
  )
    return changes('git tag NAME creates or deletes a tag');
  if (verb === 'reflog' && /^(expire|delete)$/.test(pos[0] ?? ''))
    return changes(`git reflog ${pos[0]} removes reflog entries (what recovers lost commits)`);
  if (verb === 'remote' && pos.length > 0 && !/^(show|get-url|-v)$/.test(pos[0]!))
    return changes(`git remote ${pos[0]} changes the remotes`);
  return reads(`git ${verb} only reads`);
}

// --- Read tools with forms that change something -------------------------------------------------

const anyArg = (args: Word[], re: RegExp) => args.find((a) => re.test(a.text))?.text;
const pos0 = (args: Word[]) => positionals(args, []);

/**
 * Tools of the read list (READ_ONLY) that also have forms that write a file, run a command or set
 * something: the form found, as a reason, or undefined when the command only reads.
 */
const READ_TOOL_WRITES: Readonly<Record<string, (args: Word[]) => string | undefined>> = lookupTable({
  tcpdump: (a) =>
    anyArg(a, /^-[a-zA-Z]*[wzZ]|^--(relinquish-privileges)/)
      ? 'tcpdump -w/-z writes a capture file or runs a command'
      : anyArg(a, /^(-[a-zA-Z]*I|--monitor-mode)$/)
        ? 'tcpdump -I puts a wireless interface in monitor mode, which drops it off its network'
        : undefined,
  ping: (a) => (anyArg(a, /^-[a-zA-Z]*f/) ? 'ping -f floods the host with packets' : undefined),
  tshark: (a) =>
    anyArg(a, /^-[a-zA-Z]*w/)
      ? 'tshark -w writes a capture file'
      : anyArg(a, /^(-[a-zA-Z]*I|--monitor-mode)$/)
        ? 'tshark -I puts a wireless interface in monitor mode, which drops it off its network'
        : undefined,
  dmidecode: (a) => (anyArg(a, /^--dump-bin/) ? 'dmidecode --dump-bin writes a file' : undefined),
  ngrep: (a) => (anyArg(a, /^-[a-zA-Z]*O/) ? 'ngrep -O writes a capture file' : undefined),
  sar: (a) => (anyArg(a, /^-o/) ? 'sar -o writes a data file' : undefined),
  less: (a) => (anyArg(a, /^(-[a-zA-Z]*[oO]|--log-file|--LOG-FILE)/) ? 'less -o writes a log file' : undefined),
  nc: (a) => netcat('nc', a),
  ncat: (a) => netcat('ncat', a),
  ss: (a) => (anyArg(a, /^(-[a-zA-Z]*K|--kill)$/) ? 'ss -K closes sockets' : undefined),
  // `stty -a`, `stty -g`, `stty size` read; any setting (`stty -F /dev/ttyS0 9600`, `stty -echo`) changes the line.
  stty: (a) => {
    const settings = positionals(a, ['-F', '--file']).filter((p) => p !== 'size' && p !== 'speed');
    const flags = a.filter((w) => /^-/.test(w.text) && !/^(-[aFg]|--(all|save|file)(=.*)?)$/.test(w.text));
    return settings.length > 0 || flags.length > 0 ? 'stty with a setting changes a terminal line' : undefined;
  },
  arp: (a) => (anyArg(a, /^(-[a-zA-Z]*[dsf]|--delete|--set|--file)/) ? 'arp -d/-s changes the ARP table' : undefined),
  route: (a) =>
    /^(add|del|delete|flush|change)$/.test(pos0(a)[0] ?? '') ? `route ${pos0(a)[0]} changes routes` : undefined,
  iwconfig: (a) => (pos0(a).length > 1 ? 'iwconfig DEVICE SETTING changes the wireless device' : undefined),
  sensors: (a) => (anyArg(a, /^(-s|--set)$/) ? 'sensors -s sets chip limits' : undefined),
  ethtool: (a) =>
    // `-w DEV data FILE` writes the device's dump to FILE.
    anyArg(a, /^(-w|--get-dump)$/) && a.some((w) => w.text === 'data')
      ? 'ethtool -w … data FILE writes the device dump to a file'
      : anyArg(
            a,
            /^(-[sKACGLEfrWUNXtMp]|--(change|features|offload|pause|coalesce|set-.*|change-eeprom|flash|negotiate|reset|config-.*|test|identify))$/,
          )
        ? `ethtool ${anyArg(a, /^-/)} changes the network device`
        : undefined,
  hostnamectl: (a) => {
    const p = pos0(a);
    return p.length === 0 ||
      p[0] === 'status' ||
      (p.length === 1 && /^(hostname|icon-name|chassis|deployment|location)$/.test(p[0]!))
      ? undefined
      : `hostnamectl ${p.join(' ')} sets the host name or its metadata`;
  },
  timedatectl: (a) => {
    const p = pos0(a)[0];
    return p === undefined || /^(status|show|list-timezones|timesync-status|show-timesync)$/.test(p)
      ? undefined
      : `timedatectl ${p} changes the clock or its settings`;
  },
  loginctl: (a) => {
    const p = pos0(a)[0];
    return p === undefined || /^(list-.*|show-.*|session-status|user-status|seat-status)$/.test(p)
      ? undefined
      : `loginctl ${p} changes sessions or users`;
  },
  resolvectl: (a) => {
    const p = pos0(a)[0];
    return p === undefined ||
      /^(query|status|statistics|service|openpgp|tlsa|show-cache|show-server-state|monitor)$/.test(p)
      ? undefined
      : `resolvectl ${p} changes the resolver`;
  },
  nmcli: (a) => {
    const p = pos0(a);
    return p.length <= 1 || /^(show|status|list|monitor)$/.test(p[1]!) || (p[1] === 'wifi' && p[2] === 'list')
      ? undefined
      : `nmcli ${p.slice(0, 2).join(' ')} changes the network`;
  },
});

function netcat(tool: string, a: Word[]): string | undefined {
  const run = anyArg(a, /^(-[a-zA-Z]*[ec]|--(exec|sh-exec|lua-exec))/);
  if (run) return `${tool} ${run} runs a command for the connection`;
  const out = anyArg(a, /^(-[a-zA-Z]*[ox]|--(output|hex-dump|append-output))/);
  return out ? `${tool} ${out} writes a file` : undefined;
}

/**
 * nc/ncat connected to a server send it whatever reaches their standard input (`printf 'FLUSHALL\r\n'
 * | nc redis 6379`), and listening opens a port: only a port test (`-z`) is known to do neither.
 */
function netcatSession(tool: string, a: Word[]): Verdict | undefined {
  if (anyArg(a, /^-[a-zA-Z]*z/)) return undefined;
  if (anyArg(a, /^(-[a-zA-Z]*l|--listen)/)) return unknown(`${tool} -l listens for connections on a port`);
  const target = pos0(a).join(' ');
  return target
    ? unknown(`${tool} ${target} sends its input to the server, which may change it (${tool} -z only tests the port)`)
    : undefined;
}

// --- The classifier --------------------------------------------------------------------------------

export interface ClassifyOptions {
  /** The team's read-only commands (`runbooks.read_only_commands` in ir.yaml): names or paths. */
  readOnly?: readonly string[];
  /** Judges SQL (psql -c, here-documents); absent: such commands are unknown. */
  sql?: SqlJudge;
  /** Judges what mysql/mariadb run (-e, --init-command, here-documents); absent: such commands are unknown. */
  mysql?: SqlJudge;
  /**
   * Variables the run sets from an earlier step's output (`{capture=NAME}`), so their values are
   * only known when the step runs. Other variables the step does not assign are the run's own,
   * whose values `valueProblem` (vars.ts) vets.
   */
  captured?: ReadonlySet<string>;
}

function isTeamReadOnly(name: string, readOnly: readonly string[] | undefined): boolean {
  if (!readOnly?.length) return false;
  const base = name.split('/').at(-1)!;
  return readOnly.some((r) => r === name || r === base || r.split('/').at(-1) === base);
}

/** The words a tool reads as its command (`redis-cli -h r KEYS x` → KEYS x), its options and their values left out. */
function commandWords(tool: string, args: Word[]): string[] {
  if (tool === 'redis-cli') return positionals(args, REDIS_CLI_OPTS);
  if (tool === 'kubectl' || tool === 'oc' || tool === 'k') return positionals(args, KUBE_OPTS);
  return positionals(args, VERB_TOOLS[tool]?.opts ?? []);
}

/**
 * The team's entry of several words that names this form of a tool (`redis-cli KEYS` for
 * `redis-cli -h r keys 'session:*'`): the tool, then the first words of its command (any case).
 */
function teamReadOnlyForm(name: string, args: Word[], readOnly: readonly string[] | undefined): string | undefined {
  const tool = name.split('/').at(-1)!;
  return readOnly?.find((r) => {
    const [head, ...words] = r.trim().split(/\s+/);
    if (words.length === 0 || !head || (head !== name && head.split('/').at(-1) !== tool)) return false;
    const cmd = commandWords(tool, args);
    return words.every((w, i) => cmd[i]?.toLowerCase() === w.toLowerCase());
  });
}

/** One simple command's effect. */
export function classifyCommand(
  argv: Word[],
  stdin: string | undefined,
  opts: ClassifyOptions,
  functions: ReadonlySet<string> = new Set(),
): Verdict {
  const first = argv[0];
  if (!first) return reads('only assigns variables');
  if (!first.literal)
    return { ...unknown(`the command name ${first.text} is computed when it runs`), unknownCommand: true };
  const name = first.text;
  const tool = name.split('/').at(-1)!;
  const args = argv.slice(1);
  const again = (inner: Word[]) => classifyCommand(inner, undefined, opts, functions);
  if (isTeamReadOnly(name, opts.readOnly))
    return { ...reads(`${tool} is read-only (runbooks.read_only_commands)`), byConfig: true };
  const form = teamReadOnlyForm(name, args, opts.readOnly);
  if (form !== undefined) {
    // A form the team names reads where ir holds it back (`redis-cli KEYS` on a small keyspace),
    // never where ir knows it changes something (`redis-cli --pipe KEYS`).
    const own = classifyCommand(
      argv,
      stdin,
      { ...opts, readOnly: opts.readOnly!.filter((r) => r !== form) },
      functions,
    );
    return own.effect === 'changes'
      ? own
      : { ...reads(`${form} is read-only for this team (runbooks.read_only_commands)`), byConfig: true };
  }
  if (functions.has(name))
    return reads(`${name} is a function of this step (its commands are judged where they are written)`);
  if (tool in CHANGES) return changes(`${tool} ${CHANGES[tool]}`);
  const wrap = WRAPPERS[tool];
  if (wrap) {
    const at = wrap(args);
    // `env -S LINE`, `-SLINE`, `-vS LINE`, `--split-string LINE`, `--split-string=LINE`.
    const split = tool === 'env' ? args.findIndex((a) => /^(-[0iv]*S|--split-string(=|$))/.test(a.text)) : -1;
    if (split >= 0) {
      const opt = args[split]!;
      const attached = opt.text.startsWith('--')
        ? opt.text.split('=').slice(1).join('=')
        : opt.text.replace(/^-[0iv]*S/, '');
      const glued = opt.text.includes('=') || attached !== '';
      const line = glued ? { ...opt, text: attached } : args[split + 1];
      if (!line?.literal) return unknown('env -S splits a command line ir cannot read before it runs');
      const inner = line.text
        .split(/\s+/)
        .filter(Boolean)
        .map((text) => ({ text, literal: true }));
      const v = again([...inner, ...args.slice(split + (glued ? 1 : 2))]);
      return { ...v, reason: `env -S runs "${line.text}": ${v.reason}` };
    }
    const envSets =
      tool === 'env'
        ? codeVariableVerdict(args.slice(0, at).map((a) => /^([A-Za-z_]\w*)=/.exec(a.text)?.[1] ?? ''))
        : undefined;
    if (envSets && at < args.length) return envSets;
    if (tool === 'env' && at >= args.length) return reads('env prints the environment');
    // GNU time's `-o FILE` (`--output=FILE`) writes its report to FILE.
    const timeOut = tool === 'time' && anyArg(args.slice(0, at), /^(-o|--output)/);
    if (timeOut) return changes(`time ${timeOut} writes its report to a file`);
    // `ionice -c3 -p PID` sets the I/O class of a running process (`ionice -p PID` only prints it);
    // only ionice's own options count, not those of the command it runs (`ionice -c3 journalctl -u x`).
    const ioniceOwn = args.slice(0, at);
    if (
      tool === 'ionice' &&
      ioniceOwn.some((a) => /^(-[a-zA-Z]*[pPu]|--(pid|pgid|uid))/.test(a.text)) &&
      ioniceOwn.some((a) => /^(-[a-zA-Z]*[cn]|--(class|classdata))/.test(a.text))
    )
      return changes('ionice -c/-n with -p/-P/-u sets the I/O priority of running processes');
    if (at >= args.length) return reads(`${tool} alone only reads`);
    // xargs appends words from its input, which ir cannot read (`echo delete pod x | xargs kubectl`):
    // judged as one such word, so a command whose verb they would be is not a read.
    if (tool === 'xargs' && !args.slice(0, at).some((a) => /^(-I|-i|--replace)/.test(a.text)))
      return again([...args.slice(at), XARGS_INPUT]);
    return again(args.slice(at));
  }
  if (SHELLS.has(tool)) {
    return args.length === 0 && stdin === undefined
      ? unknown(`${tool} opens a shell`)
      : unknown(`${tool} runs a script ir does not read`);
  }
  switch (tool) {
    case 'kubectl':
    case 'oc':
    case 'k':
      return kube(tool, args, again);
    case 'aws':
      return aws(args);
    case 'gcloud':
      return gcloud(args);
    case 'az':
      return az(args);
    case 'redis-cli':
      return redisCli(args, stdin);
    case 'psql':
      return psql(args, stdin, opts.sql);
    case 'curl':
      return curl(args);
    case 'wget':
      return wget(args);
    case 'sed':
      return sed(args);
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk':
      return awk(tool, args);
    case 'git':
      return git(args);
    case 'uniq':
      return positionals(args, ['-f', '-s', '-w', '--skip-fields', '--skip-chars', '--check-chars']).length > 1
        ? changes('uniq INPUT OUTPUT writes the file OUTPUT')
        : reads('uniq only reads');
    case 'xxd':
      return positionals(args, ['-c', '-g', '-l', '-s', '-o', '-n', '-cols', '-groupsize', '-len', '-seek', '-name'])
        .length > 1
        ? changes('xxd INPUT OUTPUT writes the file OUTPUT')
        : reads('xxd only reads');
    case 'trap': {
      const action = positionals(args, [])[0];
      if (action === '-' || action === '') return reads("trap - or trap '' only resets or ignores a signal");
      return action !== undefined && !args.some((a) => a.text === '-p' || a.text === '-l')
        ? changes('trap COMMAND runs a command when the shell gets a signal or exits')
        : reads('trap -p only lists traps');
    }
    case 'mapfile':
    case 'readarray':
      return args.some((a) => /^-[a-zA-Z]*C/.test(a.text))
        ? changes(`${tool} -C runs a command for each line`)
        : reads(`${tool} only reads its input`);
    case 'hash':
      return args.some((a) => /^-[a-zA-Z]*p/.test(a.text))
        ? changes('hash -p makes a name run another program')
        : reads('hash only reads');
    case 'yq':
      // `-i` alone or among yq's other one-letter switches (`-Pi`, `-ie`).
      if (args.some((a) => /^(-[CMNPenrv0j]*i[CMNPenrv0j]*|--inplace)$/.test(a.text)))
        return changes('yq -i edits files');
      // `-s EXPR` (`--split-exp`) writes each document to a file the expression names.
      return args.some((a) => /^(-[CMNPenrv0j]*s|--split-exp)/.test(a.text))
        ? changes('yq -s writes each document to a file')
        : reads('yq only reads');
    case 'find':
      return args.some((a) => /^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/.test(a.text))
        ? changes('find with -delete/-exec acts on what it finds')
        : reads('find only reads');
    case 'sort':
      if (args.some((a) => a.text.startsWith('--compress-program')))
        return changes('sort --compress-program runs a program');
      // `-o FILE`, `-o/tmp/f`, `-uo FILE`
      return args.some((a) => /^-[a-zA-Z]*o/.test(a.text) || a.text.startsWith('--output'))
        ? changes('sort -o writes a file')
        : reads('sort only reads');
    case 'dmesg':
      return args.some((a) =>
        /^(-[a-zA-Z]*[cCnDE]|--clear|--read-clear|--console-level|--console-off|--console-on)/.test(a.text),
      )
        ? changes('dmesg -c/-n/-D/-E clears the kernel log or changes what reaches the console')
        : reads('dmesg only reads');
    case 'sysctl':
      // `-w`, `NAME=VALUE`, and loading settings from files: `-p[FILE]`, `--load[=FILE]`, `--system`.
      return args.some((a) => /^(-w|--write|-p|--load|--system)/.test(a.text) || a.text.includes('='))
        ? changes('sysctl -w/-p/--system changes kernel settings')
        : reads('sysctl only reads');
    case 'date':
      // `-s X`, `-sX`, `-us X`, `--set X`, `--set=X`.
      return args.some((a) => /^(-[uR]*s|--set)/.test(a.text))
        ? changes('date -s sets the clock')
        : reads('date only reads');
    case 'hostname':
      return positionals(args, ['-F', '--file']).length > 0 || args.some((a) => /^(-F|--file)/.test(a.text))
        ? changes('hostname NAME (or -F FILE) sets the host name')
        : reads('hostname only reads');
    case 'ssh': {
      const pos = positionals(args, [
        '-i',
        '-p',
        '-l',
        '-o',
        '-F',
        '-J',
        '-L',
        '-R',
        '-D',
        '-W',
        '-b',
        '-c',
        '-E',
        '-m',
        '-O',
        '-Q',
        '-S',
        '-w',
        '-B',
        '-e',
        '-I',
      ]);
      if (pos.length <= 1) return unknown('ssh opens a session on another host');
      return unknown(`ssh runs "${pos.slice(1).join(' ')}" on ${pos[0]}`);
    }
    case 'mysql':
    case 'mariadb':
      return mysql(tool, args, stdin, opts.mysql);
    case 'service': {
      const pos = positionals(args, []);
      return pos[1] === 'status'
        ? reads('service … status only reads')
        : changes(`service ${pos.join(' ')} changes a service`);
    }
    case 'mount': {
      // With no device or mount point, and only listing options, mount lists what is mounted.
      const listing = args.every(
        (a, i) =>
          /^(-[lvhV]+|--(show-labels|verbose|help|version)|-t|--types(=.*)?)$/.test(a.text) ||
          /^(-t|--types)$/.test(args[i - 1]?.text ?? ''),
      );
      return listing
        ? reads('mount without a device only lists what is mounted')
        : changes(`mount ${args.map((a) => a.text).join(' ')} mounts or remounts a file system`);
    }
    case 'journalctl': {
      const act = anyArg(args, /^--(vacuum|rotate|flush|sync|relinquish|smart-relinquish|setup-keys|update-catalog)/);
      if (act) return changes(`journalctl ${act} changes the journal or its files`);
      // `--cursor-file=FILE` reads from the cursor in FILE and writes the last one back.
      const cursor = anyArg(args, /^--cursor-file/);
      return cursor ? changes(`journalctl ${cursor} writes the cursor to a file`) : reads('journalctl only reads');
    }
    case 'openssl':
      return openssl(args);
  }
  if (tool === 'helm') {
    // `helm template` renders locally, but these options write files or run a program.
    const acts = anyArg(args, /^--(output-dir|post-renderer|dependency-update)(=|$)/);
    if (acts)
      return changes(`helm ${acts.split('=')[0]} ${/post-renderer/.test(acts) ? 'runs a program' : 'writes files'}`);
  }
  // `rpm -qa --pipe CMD` sends the output through a shell command; `--eval '%(cmd)'` runs one.
  if (tool === 'rpm' && anyArg(args, /^(--pipe|--eval|-E)(=|$)/))
    return changes('rpm --pipe/--eval runs a shell command');
  if (tool === 'terraform' && positionals(args, ['-chdir'])[0] === 'plan') {
    const out = anyArg(args, /^--?out(=|$)/);
    if (out) return changes(`terraform plan ${out} writes the plan to a file`);
  }
  if (tool === 'iptables') {
    // `-L -Z` lists and zeroes the counters; any other command letter beside -L changes the rules.
    const act = anyArg(
      args,
      /^(-[a-zA-Z]*[ADIRFZNXPE]|--(append|delete|insert|replace|flush|zero|new-chain|delete-chain|policy|rename-chain)(=|$))/,
    );
    if (act) return changes(`iptables ${act} changes the firewall (or zeroes its counters)`);
  }
  if (tool === 'vault') {
    const issued = vaultIssues(args);
    if (issued) return changes(issued);
  }
  if (tool === 'etcdctl') {
    const whole = etcdWholeKeyspace(args);
    if (whole) return unknown(whole);
  }
  const vt = VERB_TOOLS[tool];
  if (vt) {
    const pos = positionals(args, vt.opts ?? []);
    const verb =
      tool === 'iptables' || tool === 'dpkg' || tool === 'rpm' || tool === 'ip'
        ? (args[skipValueOpts(args, vt.opts ?? [])]?.text ?? '')
        : (pos[0] ?? '');
    if (vt.reads.test(verb)) {
      if (tool === 'ip' && pos.some((p) => /^(add|del|delete|change|replace|set|flush|append)$/.test(p)))
        return changes(`ip ${pos.join(' ')} changes the network`);
      const sub = vt.sub?.[verb];
      const rest = pos.slice(1).join(' ');
      if (sub && !sub.test(rest)) return changes(`${tool} ${verb} ${pos[1] ?? ''} ${vt.what}`.replace(/ +/g, ' '));
      return reads(`${tool}${verb ? ` ${verb}` : ''} only reads`);
    }
    return changes(`${tool} ${verb} ${vt.what}`.replace(/ +/g, ' '));
  }
  const writes = READ_TOOL_WRITES[tool]?.(args);
  if (writes) return changes(writes);
  if (tool === 'nc' || tool === 'ncat' || tool === 'telnet') {
    const session = netcatSession(tool, args);
    if (session) return session;
  }
  if (READ_ONLY.has(tool)) {
    if (tool === 'top' && !args.some((a) => /^-[a-zA-Z]*b/.test(a.text)))
      return reads('top only reads (it never ends without -b -n 1)');
    return reads(`${tool} only reads`);
  }
  return {
    ...unknown(
      `ir does not know whether ${tool} changes anything (a team lists its read-only tools in runbooks.read_only_commands)`,
    ),
    unknownCommand: !name.includes('/'),
  };
}

/** etcdctl's options that take a value, for finding the key of `etcdctl get`. */
const ETCDCTL_OPTS = [
  ...(VERB_TOOLS.etcdctl?.opts ?? []),
  '--limit',
  '--rev',
  '-w',
  '--write-out',
  '--sort-by',
  '--order',
  '--consistency',
  '--dial-timeout',
  '--command-timeout',
  '--user',
  '--password',
];

/**
 * Why `etcdctl get` of the whole keyspace (`get "" --prefix`, `get / --prefix`, `--from-key ""`,
 * Kubernetes' `/registry`) is held back, or undefined: etcd builds the whole answer in memory
 * before sending it — on a Kubernetes cluster every object, often gigabytes. `--limit 0` is no
 * limit, as etcdctl reads it.
 */
function etcdWholeKeyspace(args: Word[]): string | undefined {
  const [verb, key = ''] = positionals(args, ETCDCTL_OPTS);
  const limited = /^0*[1-9]\d*$/.test(optValue(args, '--limit') ?? '');
  if (verb !== 'get' || !has(args, '--prefix', '--from-key') || limited || has(args, '--count-only')) return undefined;
  if (!/^\/?(registry\/?)?$/.test(key)) return undefined;
  const range = `etcdctl get ${key === '' ? '""' : key} ${has(args, '--prefix') ? '--prefix' : '--from-key'}`;
  return `${range} reads the whole keyspace in one request, built in etcd's memory before it answers — on a Kubernetes cluster every object, often gigabytes; add --limit N or --count-only, or name a narrower prefix`;
}

/**
 * Whether a block without a language holds shell rather than output or prose: it parses, and it
 * runs at least one command, each of which ir knows (a tool in its tables, a shell builtin, a
 * function of the block, a path such as `./check.sh`). `NAME READY STATUS` or `PONG` does not.
 */
export function looksLikeShell(script: ShellScript, opts: ClassifyOptions): boolean {
  if (script.error) return false;
  const functions = new Set(script.functions);
  const commands = script.commands.filter((c) => c.argv.length > 0);
  return (
    commands.length > 0 &&
    commands.every((c) => classifyCommand(c.argv, c.stdin, opts, functions).unknownCommand !== true)
  );
}

/** Skips leading options (and the values of `withValue` options), returning the index of the first other word. */
function skipValueOpts(args: Word[], withValue: string[]): number {
  let i = 0;
  while (i < args.length && withValue.includes(args[i]!.text)) i += 2;
  return i;
}

const HARMLESS_TARGETS = /^(\/dev\/(null|stdout|stderr|tty|fd\/\d+)|&?-?\d*-?)$/;

function redirectVerdict(r: Redirect): Verdict | undefined {
  if (!/>/.test(r.op)) return undefined;
  if (
    r.op.startsWith('>&') || r.op === '&>' || r.op === '&>>'
      ? HARMLESS_TARGETS.test(r.target)
      : HARMLESS_TARGETS.test(r.target)
  )
    return undefined;
  if (/^&?\d+$/.test(r.target) && r.op.endsWith('&')) return undefined;
  return { ...changes(`${r.text.trim()} writes the file ${r.target}`), command: r.text.trim() };
}

/**
 * Variables whose value is code or a program the step's tools load or run whatever their
 * arguments, terminal or not: a step that sets one (`GIT_EXTERNAL_DIFF=./x git diff`, `export
 * LD_PRELOAD=…`, `env KUBECTL_EXTERNAL_DIFF=… kubectl diff`) runs what ir does not judge. Narrower
 * than the names `--var` may not set (vars.ts): a step may choose its own KUBECONFIG, PATH or
 * PAGER (a pager never starts without a terminal).
 */
const CODE_VARIABLES =
  /^(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES|BASH_ENV|NODE_OPTIONS|PERL5OPT|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|GIT_EXTERNAL_DIFF|GIT_SSH|GIT_SSH_COMMAND|GIT_PROXY_COMMAND|GIT_ASKPASS|SSH_ASKPASS|GIT_CONFIG_COUNT|GIT_CONFIG_PARAMETERS|GIT_CONFIG_GLOBAL|GIT_CONFIG_SYSTEM|KUBECTL_EXTERNAL_DIFF|LESSOPEN|LESSCLOSE|CURL_HOME|WGETRC|PSQLRC)$/;

function codeVariableVerdict(names: readonly string[]): Verdict | undefined {
  const name = names.find((n) => CODE_VARIABLES.test(n));
  return name === undefined
    ? undefined
    : {
        ...unknown(
          `the step sets ${name}, which makes the programs it runs load or run code (or read options from a file) ir does not judge`,
        ),
        command: name,
      };
}

/** A whole shell script: changes if any command changes, else unknown if any is unknown, else reads. */
export function classifyScript(script: ShellScript, opts: ClassifyOptions): Verdict {
  if (script.error) return unknown(`the shell block does not parse: ${script.error.message}`);
  const functions = new Set(script.functions);
  let firstUnknown: Verdict | undefined;
  let firstRead: Verdict | undefined;
  let byConfig = false;
  const consider = (v: Verdict, cmd: ShellCommand | Redirect): Verdict | undefined => {
    const withCmd = { ...v, command: v.command ?? cmd.text.split('\n')[0]!.trim() };
    if (v.effect === 'changes') return withCmd;
    if (v.effect === 'unknown') firstUnknown ??= withCmd;
    else {
      firstRead ??= withCmd;
      if (v.byConfig) byConfig = true;
    }
    return undefined;
  };
  for (const r of script.redirects) {
    const v = redirectVerdict(r);
    if (v) return v;
  }
  const evaluated = script.evaluated[0];
  if (evaluated)
    return {
      ...changes(
        `${evaluated.text} holds $( or a backtick, which bash runs as a command if it evaluates the word as arithmetic or an array subscript (printf -v, read, declare, [[ -eq ]])`,
      ),
      command: evaluated.command,
    };
  firstUnknown = arithmeticVerdict(script, opts.captured ?? new Set()) ?? codeVariableVerdict(script.assigns);
  for (const c of script.commands) {
    const hit = consider(classifyCommand(c.argv, c.stdin, opts, functions), c);
    if (hit) return hit;
  }
  if (firstUnknown) return firstUnknown;
  if (!firstRead) return reads('runs no command');
  const n = script.commands.filter((c) => c.argv.length > 0).length;
  return {
    effect: 'reads',
    reason: n <= 1 ? firstRead.reason : `every command only reads (${n} commands)`,
    command: n <= 1 ? firstRead.command : undefined,
    byConfig,
  };
}

/**
 * Where each variable the step assigns gets a value only known when it runs (command output,
 * input, file names, an earlier step's capture), as words for a reason; copies inherit it.
 */
function runtimeValues(script: ShellScript, captured: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of captured) found.set(name, "is an earlier step's captured output");
  for (const a of script.values)
    if (a.origin.kind === 'runtime' && !found.has(a.name))
      found.set(a.name, `comes from ${a.origin.what} (line ${a.line})`);
  // Copies (`Y=$X`, `Y="n-$X"`): until nothing more is found.
  for (let more = true; more;) {
    more = false;
    for (const a of script.values) {
      if (a.origin.kind !== 'copy' || found.has(a.name)) continue;
      const from = a.origin.names.find((n) => found.has(n));
      if (from === undefined) continue;
      found.set(a.name, `copies $${from}, which ${found.get(from)!}`);
      more = true;
    }
  }
  return found;
}

/** The safe form: `[ ]` compares only integers; `${X//[^0-9]/}` leaves only digits. */
function arithmeticFix(u: ArithmeticUse): string {
  if (u.testForm) return `compare with ${u.testForm} instead`;
  if (u.name === undefined)
    return 'assign the output to a variable (OUT=$(…)), keep only its digits in another (N=${OUT//[^0-9]/}) and use $N';
  return `keep only its digits in another variable (N=\${${u.name}//[^0-9]/}) and use $N, or compare with [ "$${u.name}" -gt N ], which accepts only integers`;
}

/**
 * A value known only at run time that bash evaluates as arithmetic: evaluation recurses into the
 * value, and `a[$(cmd)0]` in it runs cmd — whatever a server, a file or a pod printed. Unknown,
 * naming the variable, the line and the safe form.
 */
function arithmeticVerdict(script: ShellScript, captured: ReadonlySet<string>): Verdict | undefined {
  const runtime = runtimeValues(script, captured);
  for (const u of script.arithmetic) {
    if (u.output !== undefined)
      return {
        ...unknown(
          `the output of ${u.output} is evaluated as arithmetic by ${u.construct} on line ${u.line}, which runs any $(…) inside it; ${arithmeticFix(u)}`,
        ),
        command: u.command,
      };
    const origin = u.name === undefined ? undefined : runtime.get(u.name);
    if (origin)
      return {
        ...unknown(
          `$${u.name} ${origin} and ${u.construct} on line ${u.line} evaluates it as arithmetic, which runs any $(…) inside it; ${arithmeticFix(u)}`,
        ),
        command: u.command,
      };
  }
  return undefined;
}

// --- Facts lint reports: commands that never end, their own time limits, sessions opened -------

export interface ScriptFacts {
  /** A command that never ends by itself (`tail -f`, `kubectl get -w`, `top`, `ping` without -c). */
  endless?: string;
  /** The longest time limit the commands set themselves (`timeout 60`, `curl -m 60`, `--request-timeout=60s`), in ms. */
  ownTimeoutMs?: number;
  /** Commands written to be typed inside a session an earlier command opens (`oc debug node/x`, `ssh host`). */
  inside?: { opener: string; command: string };
  /** Why what the step prints is secret: a command that prints credentials (`kubectl get secret x -o yaml`). */
  printsSecrets?: string;
  /**
   * The script is one command that prints a table under a header line (`kubectl get pods`), in
   * words: its output, when it has any, is two lines or more, so it never equals one line of text.
   */
  printsTable?: string;
}

const has = (args: Word[], ...flags: string[]) =>
  args.some((a) => flags.includes(a.text) || flags.some((f) => f.startsWith('--') && a.text.startsWith(`${f}=`)));

function seconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

function optValue(args: Word[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    for (const n of names) {
      if (t === n) return args[i + 1]?.text;
      if (n.startsWith('--') && t.startsWith(`${n}=`)) return t.slice(n.length + 1);
    }
  }
  return undefined;
}

function unwrap(argv: Word[]): Word[] {
  const tool = argv[0]?.text.split('/').at(-1) ?? '';
  const wrap = WRAPPERS[tool];
  if (!wrap || tool === 'watch') return argv;
  const at = wrap(argv.slice(1));
  return at + 1 < argv.length ? unwrap(argv.slice(at + 1)) : argv;
}

function endlessCommand(argv: Word[]): boolean {
  const a = unwrap(argv);
  const tool = a[0]?.text.split('/').at(-1) ?? '';
  const args = a.slice(1);
  const pos = positionals(args, KUBE_OPTS);
  switch (tool) {
    case 'tail':
    case 'journalctl':
      return has(args, '-f', '-F', '--follow');
    case 'kubectl':
    case 'oc':
      if (pos[0] === 'port-forward' || pos[0] === 'proxy' || pos[0] === 'attach') return true;
      if (pos[0] === 'logs') return has(args, '-f', '--follow');
      return (pos[0] === 'get' || pos[0] === 'events') && has(args, '-w', '--watch', '--watch-only');
    case 'top':
      return !args.some((x) => /^-[a-zA-Z]*b/.test(x.text)) || !args.some((x) => /^-[a-zA-Z]*n/.test(x.text));
    case 'htop':
    case 'atop':
    case 'iotop':
    case 'iftop':
    case 'nethogs':
    case 'watch':
      return true;
    case 'ping':
    case 'ping6':
      return !has(args, '-c', '-w', '--count');
    case 'tcpdump':
      return !has(args, '-c');
    case 'redis-cli':
      return (
        args.some(
          (x) =>
            /^(monitor|subscribe|psubscribe|ssubscribe)$/i.test(x.text) ||
            /^--(stat|latency|latency-history)$/.test(x.text),
        ) ||
        // `-r -1` repeats the command forever.
        args.some((x, i) => x.text === '-r' && Number(args[i + 1]?.text) < 0)
      );
    case 'docker':
      return (
        (pos[0] === 'logs' && has(args, '-f', '--follow')) ||
        (pos[0] === 'stats' && !has(args, '--no-stream')) ||
        pos[0] === 'events'
      );
    case 'aws':
      return has(args, '--follow');
    case 'vmstat':
    case 'iostat':
    case 'mpstat':
    case 'pidstat':
    case 'sar':
      return positionals(args, []).filter((p) => /^\d+$/.test(p)).length === 1;
  }
  return false;
}

function ownTimeout(argv: Word[]): number | undefined {
  const tool = argv[0]?.text.split('/').at(-1) ?? '';
  const args = argv.slice(1);
  let s: number | undefined;
  if (tool === 'timeout') s = seconds(args[skipOptions(args, ['-s', '--signal', '-k', '--kill-after'])]?.text);
  else if (tool === 'sleep') s = seconds(args[0]?.text);
  else if (tool === 'curl') s = seconds(optValue(args, '-m', '--max-time'));
  else if (tool === 'kubectl' || tool === 'oc') s = seconds(optValue(args, '--request-timeout', '--timeout'));
  else if (tool === 'aws') s = seconds(optValue(args, '--cli-read-timeout'));
  return s === undefined ? undefined : s * 1000;
}

/** A command that opens an interactive session on another machine, pod or node. */
function opensSession(argv: Word[]): boolean {
  const tool = argv[0]?.text.split('/').at(-1) ?? '';
  const args = argv.slice(1);
  const dash = args.findIndex((w) => w.text === '--');
  const after = dash >= 0 ? args.slice(dash + 1) : [];
  const interactive = args.some(
    (w) => /^-[a-z]*i[a-z]*t|^-[a-z]*t[a-z]*i|^--(stdin|tty)$/.test(w.text) || w.text === '-it',
  );
  const isShell = (w: Word[]) => w.length === 0 || SHELLS.has(w[0]!.text.split('/').at(-1)!) || w[0]!.text === 'chroot';
  if (tool === 'ssh') return positionals(args, ['-i', '-p', '-l', '-o', '-F', '-J', '-L', '-R', '-D']).length === 1;
  if (tool === 'oc' || tool === 'kubectl') {
    const verb = positionals(args, KUBE_OPTS)[0];
    if (verb === 'debug') return dash < 0 || (isShell(after) && after.length <= 2);
    if (verb === 'rsh') return dash < 0 && positionals(args, KUBE_OPTS).length <= 2;
    if (verb === 'exec' || verb === 'run') return interactive && isShell(after);
  }
  if (tool === 'docker' || tool === 'podman') return interactive && isShell(after.length ? after : args.slice(-1));
  return false;
}

/** Is a kubectl resource argument (`secret`, `secrets/db`, `secret,configmap`, `secrets.v1`) about Secrets? */
const isKubeSecretResource = (r: string) => r.split(',').some((p) => /^secrets?(?:\.v1)?(?:\/|$)/i.test(p));

/** kubectl's output format: `-o yaml`, `-oyaml`, `-o=json`, `--output jsonpath=…`; `--template` alone is go-template. */
function kubeOutput(args: Word[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-o' || t === '--output') return args[i + 1]?.text;
    if (t.startsWith('--output=')) return t.slice('--output='.length);
    if (/^-o[^-]/.test(t)) return t.slice(t[2] === '=' ? 3 : 2);
    if (t === '--template' || t.startsWith('--template=')) return 'go-template';
  }
  return undefined;
}

/**
 * What a command prints that is a credential, in words, or undefined: a Kubernetes Secret's data
 * (any output format but the table and names), a secret store's values (Vault, AWS Secrets Manager
 * and SSM with decryption, Google Secret Manager, Azure Key Vault, 1Password, pass, sops), and
 * the access tokens cloud CLIs print. ir hides such output whole.
 */
function secretPrinter(argv: Word[]): string | undefined {
  const a = unwrap(argv);
  const tool = a[0]?.text.split('/').at(-1) ?? '';
  const args = a.slice(1);
  const pos = (withValue: string[]) => positionals(args, withValue);
  switch (tool) {
    case 'kubectl':
    case 'oc': {
      const [verb, ...rest] = pos(KUBE_OPTS);
      if (tool === 'oc' && verb === 'extract' && optValue(args, '--to') === '-')
        return `${tool} extract prints a Secret's values`;
      if (tool === 'oc' && verb === 'whoami' && has(args, '-t', '--show-token'))
        return 'oc whoami --show-token prints a token';
      if (verb === 'config' && rest[0] === 'view' && has(args, '--raw'))
        return `${tool} config view --raw prints the kubeconfig's credentials`;
      if (verb !== 'get' || !rest.some(isKubeSecretResource)) return undefined;
      const format = kubeOutput(args)?.split('=')[0];
      return format === undefined || format === 'wide' || format === 'name'
        ? undefined
        : `${tool} get secret -o ${format} prints a Secret's values`;
    }
    case 'vault': {
      const [verb, sub] = pos(['-address', '-namespace', '-format', '-field', '-mount', '-version']);
      if (verb === 'read' || (verb === 'kv' && sub === 'get') || (verb === 'print' && sub === 'token'))
        return `vault ${verb === 'read' ? 'read' : `${verb} ${sub}`} prints secret values`;
      if (verb === 'token' && (sub === 'lookup' || sub === 'create')) return `vault token ${sub} prints a token`;
      return undefined;
    }
    case 'aws': {
      const [service, op] = pos(['--region', '--profile', '--output', '--query', '--endpoint-url']);
      const name = `aws ${service} ${op}`;
      if (service === 'secretsmanager' && op === 'get-secret-value') return `${name} prints the secret`;
      if (service === 'ssm' && /^get-parameters?(-by-path)?$/.test(op ?? '') && has(args, '--with-decryption'))
        return `${name} --with-decryption prints secret parameters`;
      if (
        (service === 'sts' && (op === 'get-session-token' || op === 'get-federation-token')) ||
        (service === 'ecr' && op === 'get-login-password') ||
        (service === 'eks' && op === 'get-token') ||
        (service === 'rds' && op === 'generate-db-auth-token') ||
        (service === 'codeartifact' && op === 'get-authorization-token') ||
        (service === 'ecr' && op === 'get-authorization-token') ||
        (service === 'sts' && /^assume-role(-with-(saml|web-identity))?$/.test(op ?? '')) ||
        (service === 'configure' && op === 'export-credentials') ||
        (service === 'lightsail' && op === 'get-instance-access-details')
      )
        return `${name} prints a credential`;
      // With the key pair's private key the CLI decrypts the instance's Windows password.
      if (service === 'ec2' && op === 'get-password-data' && has(args, '--priv-launch-key'))
        return `${name} --priv-launch-key prints the instance's password`;
      if (service === 'configure' && op === 'get' && /secret|session_token/i.test(pos([])[2] ?? ''))
        return `${name} prints a credential`;
      return undefined;
    }
    case 'gcloud': {
      const p = pos(['--project', '--format', '--account', '--configuration', '--secret', '--location']).join(' ');
      if (/\bsecrets versions access\b/.test(p)) return 'gcloud secrets versions access prints the secret';
      if (/\bprint-(?:access|identity)-token\b/.test(p)) return 'gcloud … print-access-token prints a token';
      return undefined;
    }
    case 'az': {
      const p = pos(['-n', '--name', '--vault-name', '--subscription', '-o', '--output', '--query']).join(' ');
      if (/^keyvault secret show\b/.test(p)) return 'az keyvault secret show prints the secret';
      if (/^account get-access-token\b/.test(p)) return 'az account get-access-token prints a token';
      // Access keys and connection strings (which hold a key) of storage, registries, caches, queues.
      if (
        /^(storage account (keys list|show-connection-string)|acr credential show|cosmosdb keys list|redis list-keys|(servicebus|eventhubs|relay) (namespace )?(\S+ )?authorization-rule keys list|signalr key list|webpubsub key list)\b/.test(
          p,
        )
      )
        return `az ${p.split(' ').slice(0, 3).join(' ')} prints access keys`;
      if (/^aks get-credentials\b/.test(p) && optValue(args, '-f', '--file') === '-')
        return "az aks get-credentials --file - prints the cluster's credentials";
      return undefined;
    }
    case 'op': {
      const [verb] = pos(['--vault', '--account', '--format', '--fields']);
      return verb === 'read' || (verb === 'item' && args.some((w) => w.text === 'get'))
        ? `op ${verb} prints 1Password secrets`
        : undefined;
    }
    case 'redis-cli': {
      // `CONFIG GET *` (or any pattern matching them) prints requirepass and masterauth.
      const [cmd, sub, ...patterns] = positionals(args, REDIS_CLI_OPTS);
      const glob = (p: string) =>
        new RegExp(
          `^${p
            .replace(/[.+^${}()|\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          'i',
        );
      return cmd?.toLowerCase() === 'config' &&
        sub?.toLowerCase() === 'get' &&
        patterns.some((p) => ['requirepass', 'masterauth'].some((n) => glob(p).test(n)))
        ? "redis CONFIG GET prints the server's passwords (requirepass, masterauth)"
        : undefined;
    }
    case 'helm': {
      // A release's values are where its passwords are set; its manifests and hooks hold its
      // Secrets, and often the same values in plain env vars and ConfigMaps.
      const [verb, what] = pos(['-n', '--namespace', '--kube-context', '--kubeconfig', '-o', '--output', '--revision']);
      if (verb !== 'get') return undefined;
      if (what === 'values') return "helm get values prints the release's values, where its passwords are set";
      if (what === 'all' || what === 'manifest' || what === 'hooks')
        return `helm get ${what} prints the release's manifests, its Secrets among them`;
      return undefined;
    }
    case 'pass':
    case 'gopass':
      return pos([])[0] === 'show' ? `${tool} show prints a password` : undefined;
    case 'sops':
      return has(args, '-d', '--decrypt') ? 'sops --decrypt prints decrypted secrets' : undefined;
  }
  return undefined;
}

/** `kubectl get pods`, `kubectl top nodes`, `kubectl rollout history deploy/x`: a table under a header line (see ScriptFacts.printsTable). */
function tablePrinter(argv: Word[]): string | undefined {
  const a = unwrap(argv);
  const tool = a[0]?.text.split('/').at(-1) ?? '';
  if (tool !== 'kubectl' && tool !== 'oc') return undefined;
  const args = a.slice(1);
  const format = kubeOutput(args);
  if ((format !== undefined && format !== 'wide') || has(args, '--no-headers', '--raw', '--revision')) return undefined;
  const [verb, sub] = positionals(args, KUBE_OPTS);
  if (verb === 'get' || verb === 'top' || (verb === 'rollout' && sub === 'history'))
    return `${tool} ${verb === 'rollout' ? 'rollout history' : verb} prints a table under a header line`;
  return undefined;
}

export function scriptFacts(script: ShellScript): ScriptFacts {
  const facts: ScriptFacts = {};
  const only = script.commands.length === 1 ? script.commands[0]! : undefined;
  const table = only && only.argv.length > 0 ? tablePrinter(only.argv) : undefined;
  if (table) facts.printsTable = table;
  for (const c of script.commands) {
    const why = c.argv.length > 0 ? secretPrinter(c.argv) : undefined;
    if (why) {
      facts.printsSecrets = `\`${c.text.split('\n')[0]!.trim()}\`: ${why}`;
      break;
    }
  }
  const top = script.commands.filter((c) => c.argv.length > 0 && !c.inFunction);
  top.forEach((c, i) => {
    if (!facts.endless && endlessCommand(c.argv)) facts.endless = c.text.split('\n')[0]!.trim();
    const t = ownTimeout(c.argv);
    if (t !== undefined) facts.ownTimeoutMs = Math.max(facts.ownTimeoutMs ?? 0, t);
    if (!facts.inside && opensSession(c.argv) && i + 1 < top.length && top[i + 1]!.line > c.line)
      facts.inside = { opener: c.text.split('\n')[0]!.trim(), command: top[i + 1]!.text.split('\n')[0]!.trim() };
  });
  return facts;
}
