/**
 * What a failed step's own output says about why it failed: whether the check could run at all
 * (the tool is missing, has no cluster, credentials or permission, the host name does not resolve —
 * `unreachable`, not a finding), whether the target refused the connection (a finding, said as
 * such), what well-known exit codes mean, and which stderr lines are worth showing. Pure.
 */
import { prefix } from '../text.js';

export interface FailureInput {
  /** The step's script (programs named in it decide whose messages and exit codes apply). */
  command: string;
  lang: 'shell' | 'sql' | 'promql';
  exitCode: number | null;
  stderr: string;
  stdout: string;
}

/** Programs a script runs: the first word of each command (after assignments, sudo, env, time). */
export function programsOf(command: string, lang: 'shell' | 'sql' | 'promql'): Set<string> {
  if (lang === 'sql') return new Set(['psql']);
  if (lang === 'promql') return new Set();
  const out = new Set<string>();
  for (const piece of command.split(/\n|;|&&|\|\||\||\$\(|`|\bthen\b|\bdo\b|\belse\b/)) {
    const words = piece.trim().split(/\s+/);
    let i = 0;
    while (
      i < words.length &&
      (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || /^(?:sudo|env|time|exec|nohup|timeout|!|\(|\{)$/.test(words[i]!))
    ) {
      // `timeout 5 curl …`: skip the duration too.
      if (words[i] === 'timeout' && /^\d/.test(words[i + 1] ?? '')) i++;
      i++;
    }
    const w = words[i];
    if (w && /^[A-Za-z0-9_./-]+$/.test(w)) out.add(w.split('/').pop()!);
  }
  return out;
}

/** Lines of a tool's output that are noise next to its real message (klog lines, blank lines, progress). */
function isNoise(line: string): boolean {
  return (
    line.trim() === '' ||
    /^[EWI]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+\.go:\d+\]/.test(line) ||
    /^\s*% Total\s+% Received/.test(line) ||
    /^\s*\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+/.test(line)
  );
}

/**
 * The lines worth showing from an error stream: whole lines, the last informative ones (a tool's
 * final line is usually its verdict; klog chatter and blank lines are skipped while better lines
 * exist). A very long line is cut at a word boundary, never mid-word.
 */
export function excerpt(text: string, maxLines = 2, maxChars = 300): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const informative = lines.filter((l) => !isNoise(l));
  const pick = (informative.length ? informative : lines.filter((l) => l.trim() !== '')).slice(-maxLines);
  return pick.map((l) => clipAtWord(l.trim(), maxChars)).join('\n');
}

function clipAtWord(line: string, max: number): string {
  if (line.length <= max) return line;
  const cut = line.lastIndexOf(' ', max);
  return `${cut > max / 2 ? line.slice(0, cut) : prefix(line, max)} …`;
}

/** What a well-known exit code means, for the programs of this step. */
export function explainExit(code: number | null, programs: Set<string>): string | undefined {
  if (code === null) return undefined;
  if (programs.has('curl')) {
    const curl: Record<number, string> = {
      6: "curl: couldn't resolve the host name",
      7: "curl: couldn't connect (connection refused or no route)",
      22: 'curl: the server returned an HTTP error (--fail)',
      28: 'curl: the operation timed out',
      35: 'curl: TLS handshake failed',
      52: 'curl: the server sent an empty reply',
      56: 'curl: failure receiving data (connection reset)',
      60: "curl: the server's TLS certificate is not trusted",
    };
    if (curl[code]) return curl[code];
  }
  if (programs.has('psql')) {
    if (code === 2) return 'psql: the connection to the server failed or was lost';
    if (code === 3) return 'psql: an SQL error stopped the script';
  }
  switch (code) {
    case 124:
      return 'timed out (the timeout command)';
    case 126:
      return 'a command is not executable (permission denied)';
    case 127:
      return 'a command was not found';
    case 130:
      return 'interrupted (SIGINT)';
    case 137:
      return 'killed (SIGKILL, often the OOM killer)';
    case 143:
      return 'terminated (SIGTERM)';
  }
  return undefined;
}

/** Why the check could not run, when the step's failure says so; undefined when it ran. */
export function unreachableReason(f: FailureInput): string | undefined {
  const err = `${f.stderr}\n${f.exitCode === 0 ? '' : f.stdout}`;
  const programs = programsOf(f.command, f.lang);
  let m: RegExpExecArray | null;

  if ((m = /(?:^|\n)(?:[^\n:]*: )?(?:line \d+: )?([^\s:]+): command not found/.exec(err)))
    return `${m[1]} is not installed (command not found)`;
  if (f.exitCode === 127) return 'a command of the step is not installed (exit 127)';

  // kubectl / oc: no cluster, no context, no credentials, not allowed.
  const kube = programs.has('oc') && !programs.has('kubectl') ? 'oc' : 'kubectl';
  if (programs.has('kubectl') || programs.has('oc')) {
    if (
      /The connection to the server \S+ was refused|Unable to connect to the server|couldn't get current server API group list|dial tcp [^\n]*: (?:connect|i\/o timeout)|no configuration has been provided|current-context is not set|invalid configuration: no configuration/i.test(
        err,
      )
    )
      return `${kube} cannot reach a cluster`;
    if (/context "[^"]*" (?:does not exist|not found)|no context exists|error: context was not found/i.test(err))
      return `${kube} has no such context`;
    if (
      /You must be logged in to the server|the server has asked for the client to provide credentials|Unauthorized|token has expired|exec plugin: invalid apiVersion|getting credentials: exec/i.test(
        err,
      )
    )
      return `${kube} has no valid credentials for the cluster`;
    if (/\bis forbidden: User "[^"]*" cannot|\(Forbidden\)/i.test(err)) return `${kube} is not allowed to read this`;
  }
  if (programs.has('aws')) {
    if (/Unable to locate credentials|The config profile \([^)]*\) could not be found|NoCredentialProviders/i.test(err))
      return 'aws has no credentials';
    if (
      /ExpiredToken|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|security token included in the request is (?:invalid|expired)|The SSO session .* has expired|Error when retrieving token from sso/i.test(
        err,
      )
    )
      return 'aws credentials are invalid or expired';
    if (/You must specify a region/i.test(err)) return 'aws has no region configured';
    if (/Could not connect to the endpoint URL/i.test(err)) return 'aws cannot reach its API';
    if (/AccessDenied|UnauthorizedOperation|is not authorized to perform/i.test(err))
      return 'aws is not allowed to read this';
  }
  if (
    programs.has('gcloud') &&
    /You do not currently have an active account selected|Reauthentication failed|gcloud auth login/i.test(err)
  )
    return 'gcloud has no active credentials';
  if (programs.has('az') && /Please run 'az login'|az login/i.test(err)) return 'az has no active login';

  // The host name does not resolve (curl, psql, redis-cli, ping, ssh, …).
  const host =
    /Could not resolve host: ([^\s;]+)/i.exec(err)?.[1] ??
    /could not translate host name "([^"]+)"/i.exec(err)?.[1] ??
    /Could not connect to Redis at ([^\s:]+):\d+: (?:Name or service not known|Temporary failure in name resolution|nodename nor servname)/i.exec(
      err,
    )?.[1] ??
    /(?:getaddrinfo ENOTFOUND|lookup) ([^\s:]+)(?:[^\n]*no such host)?/i.exec(err)?.[1] ??
    /ssh: Could not resolve hostname ([^\s:]+)/i.exec(err)?.[1] ??
    /ping: ([^\s:]+): (?:Name or service not known|Temporary failure in name resolution)/i.exec(err)?.[1];
  if (host && /does not resolve|Name or service not known|not known|resolve|NXDOMAIN|ENOTFOUND|no such host/i.test(err))
    return `host name ${host} does not resolve`;
  if (/Name or service not known|Temporary failure in name resolution/i.test(err))
    return 'a host name does not resolve';
  if (programs.has('curl') && f.exitCode === 6) return 'curl: the host name does not resolve';

  if (f.exitCode === 126 || /(?:^|\n)[^\n]*: Permission denied(?:\n|$)/.test(err))
    return `permission denied: ${excerpt(
      err
        .split('\n')
        .filter((l) => /Permission denied/.test(l))
        .join('\n'),
      1,
    )}`;
  return undefined;
}

/** A target that refused its own client's connection: a finding, worded so. */
export function refusedReason(f: FailureInput): string | undefined {
  const err = `${f.stderr}\n${f.stdout}`;
  const line = err.split('\n').find((l) => /Connection refused|ECONNREFUSED|Couldn't connect to server/i.test(l));
  if (line) return `connection refused: ${clipAtWord(line.trim(), 300)}`;
  if (programsOf(f.command, f.lang).has('curl') && f.exitCode === 7) return 'connection refused (curl exit 7)';
  return undefined;
}
