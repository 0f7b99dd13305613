/**
 * Secrets in text: the one place that decides what is a credential and hides it before anything
 * is printed, written to a file or stored. Pure.
 *
 * Two sources: values known to be secret (a runbook variable declared `secret: true`, the value of
 * an environment variable named like a credential — `*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*KEY*`)
 * are replaced wherever they appear, as they are or encoded (URL-encoding, base64); and
 * credentials recognisable by their shape are replaced even when nobody declared them:
 * `PGPASSWORD=…` and other credential-named assignments,
 * `Authorization: Bearer …`, AWS access key ids (`AKIA…`) and `aws_secret_access_key`, tokens
 * named by their prefix (GitHub `ghp_…`, GitLab `glpat-…`, Slack `xoxb-…`, …), the password
 * of a URL (`postgres://user:pass@host`), `--password=…`, `curl -u user:pass`, `redis-cli -a …`,
 * `mysql -p…`, JSON and YAML fields named like a credential, and PEM private keys (the body
 * between the BEGIN and END lines, or a whole key base64-encoded as a Kubernetes Secret holds it).
 */

export const MASK = '******';

/**
 * A URL as ir shows it: without the credentials it may carry (`user:password@`, and any
 * parameter named like a credential — `password=`, `sslpassword=`, `token=` — in a query string
 * or a libpq `key=value` string). `keepUser` keeps the user name (a database's role says which
 * login is used, and is no secret). Text no URL parser reads (a password holding `/` or `@`)
 * loses everything up to its last `@`: shown too little rather than a password.
 */
export function redactUrl(url: string, { keepUser = false } = {}): string {
  // A parameter whose name says it is a credential (password, sslpassword, passwd, token,
  // secret), in a query string or libpq's `key=value` form (`host=db password=x`, quoted or not).
  const params = (u: string) =>
    u.replace(
      /((?:^|[?&;\s])[\w.-]*(?:passw(?:or)?d|token|secret)[\w.-]*\s*=\s*)('(?:[^'\\]|\\.)*'|[^&#\s]*)/gi,
      '$1***',
    );
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // No authority the parser read (unparsable, or `scheme:/user:pw@host` with too few slashes):
  // whatever precedes the last `@` may be a password.
  if (!parsed || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return params(
      url.replace(/^([a-z][a-z0-9+.-]*:\/*)([^\s]*)@/i, (_m, scheme: string, info: string) => {
        const user = keepUser ? (/^[^:/@]*/.exec(info)?.[0] ?? '') : '';
        return `${scheme}${user ? `${user}@` : ''}`;
      }),
    );
  }
  if (!parsed.username && !parsed.password) return params(url);
  // Rewrite only the authority (up to its last `@`), so the rest stays as it was written.
  const from = url.indexOf('//') + 2;
  const end = url.slice(from).search(/[/?#]/);
  const at = url.lastIndexOf('@', end < 0 ? url.length : from + end);
  const user = keepUser && parsed.username ? `${parsed.username}@` : '';
  return params(`${url.slice(0, from)}${user}${url.slice(at + 1)}`);
}

/** Names of variables whose values are credentials (`GITHUB_TOKEN`, `PGPASSWORD`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_NAME =
  /TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|(?:^|_)PWD$|(?:^|_)AUTH$|KEY(?:$|_)|APIKEY|CREDENTIAL|PRIVATE/i;

/** Credential-like names that are not credentials (a path to a key, a key's id, an SSH agent socket). */
const NOT_SECRET_NAME = /(?:_FILE|_PATH|_DIR|_ID|_SOCK|_NAME|_URL_ENV)$|^(?:KEY|KEYS|KEYMAP|KUBECONFIG|PWD|OLDPWD)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/** Values too short or too common to hide everywhere without hiding ordinary words. */
function maskableValue(v: string): boolean {
  const t = v.trim();
  return t.length >= 4 && !/^(?:true|false|yes|no|none|null|on|off|\d{1,5})$/i.test(t);
}

/** The values of credential-named environment variables (and of any further names given). */
export function secretValuesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isSecretName(name) && maskableValue(value)) out.push(value);
  }
  return out;
}

const NAME_PART = String.raw`[A-Za-z_][A-Za-z0-9_]*`;

/** Shapes of credentials, each with the prefix to keep (group 1) and the secret (group 2). */
const PATTERNS: RegExp[] = [
  // Authorization: Bearer x / Basic x / token x (headers in curl commands, verbose output)
  /(\bAuthorization\s*[:=]\s*(?:Bearer|Basic|Token|Bot|Digest)?\s*)([^\s'",]+)/gi,
  /(\bBearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g,
  // aws_secret_access_key = …, aws_session_token: …
  /(\baws_(?:secret_access_key|session_token)\s*[=:]\s*["']?)([^\s"',]+)/gi,
  // AWS access key ids
  /()(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)/g,
  // Tokens that say what they are by their prefix: GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
  // github_pat_), GitLab (glpat-), Slack (xoxb-, xoxp-, …), Stripe live keys, npm, Google API keys
  /()(\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|[rs]k_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{30,}|AIza[0-9A-Za-z_-]{35})\b)/g,
  // scheme://user:password@host
  // (a password may hold a `/`, which ends the host for a URL parser, not for the credential)
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:)([^\s@'"]+)(?=@)/gi,
  // --password=x, --token x, --api-key=x
  /(--(?:password|passwd|token|secret|api-key|apikey|access-key|secret-key)(?:=|\s+))((?!-)[^\s'"]+)/gi,
  // "password": "x" (JSON)
  /("[^"\n]*(?:password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)[^"\n]*"\s*:\s*")([^"\n]+)(?=")/gi,
  // password: x (YAML: a config file, a Kubernetes Secret's data printed by kubectl get -o yaml)
  // (the key ends with the word: `secretName:` and `tokenRef:` name something else)
  /((?:^|[\s"'{,])[\w.-]*(?:password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)[ \t]*:[ \t]*["']?)([^\s"'#,}]+)/gim,
  // curl -u user:password, --user user:password
  /((?:^|\s)(?:-[A-Za-z]*[uU]|--user|--proxy-user)(?:=|[ \t]+)["']?[^\s:'"]+:)([^\s'"]+)/g,
  // redis-cli -a password, --pass password
  /(\bredis-cli\b[^\n]*?[ \t](?:-a|--pass|--user[ \t]+\S+[ \t]+--pass)[ \t]+["']?)([^\s'"]+)/g,
  // mysql -pPASSWORD (the password attached to -p; `-p` alone asks for it)
  /(\bmysql(?:dump|admin|check|import|show|slap)?\b[^\n]*?[ \t]-p)([^\s'"]+)/g,
  // A PEM private key, base64-encoded whole (`LS0tLS1CRUdJTi…`, as a Kubernetes Secret holds one)
  /()(\bLS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,})/g,
];

/** The body of a PEM private key (between its BEGIN and END lines), which is hidden whole. */
const PEM_KEY = /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)([\s\S]*?)(-----END [A-Z0-9 ]*PRIVATE KEY-----)/g;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;

/** NAME=value where NAME is credential-like (`PGPASSWORD=hunter2`, `export API_TOKEN="x"`). */
const ASSIGNMENT = new RegExp(
  String.raw`(?<![A-Za-z0-9_])(${NAME_PART})(\s*=\s*)("[^"\n]*"|'[^'\n]*'|[^\s;&|'"]+)`,
  'g',
);

/**
 * A container's environment entry, as `kubectl get pod|deploy -o yaml|json` prints it: `name:
 * DB_PASSWORD` and then its `value:` (YAML), or `"name": "DB_PASSWORD", "value": "…"` (JSON).
 */
const ENV_ENTRY = [
  new RegExp(String.raw`(\bname:[ \t]*["']?(${NAME_PART})["']?[ \t]*\r?\n[ \t]*value:[ \t]*)(["']?)([^\r\n"']+)`, 'g'),
  new RegExp(String.raw`("name"\s*:\s*"(${NAME_PART})"\s*,\s*"value"\s*:\s*)(")((?:[^"\\\n]|\\.)+)`, 'g'),
];

/** A line naming an environment entry (YAML `- name: X`, JSON `"name": "X",`): its value comes next. */
const ENV_NAME_LINE =
  /^[ \t]*(?:-[ \t]*)?(?:name:[ \t]*["']?[A-Za-z_]\w*["']?|"name"\s*:\s*"[A-Za-z_]\w*"[ \t]*,?)[ \t]*\r?\n?$/;

export interface Masker {
  (text: string): string;
  /** The literal values it hides (for a streaming masker that must hold back a partial one). */
  readonly values: readonly string[];
}

/**
 * A value base64-encoded as a step prints it: `printf %s "$X" | base64`, and `echo "$X" | base64`
 * (with the newline). GNU base64 wraps at 76 columns: a longer encoding is also hidden line by
 * line (each line of it but a last one too short to say anything).
 */
function base64Forms(v: string): string[] {
  return [v, `${v}\n`].flatMap((s) => {
    const encoded = Buffer.from(s, 'utf8').toString('base64');
    const lines = encoded.length > 76 ? (encoded.match(/.{1,76}/g) ?? []).filter((l) => l.length >= 12) : [];
    return [encoded, ...lines];
  });
}

/**
 * A value URL-encoded, whichever characters the encoder left alone (`encodeURIComponent`,
 * Python's `quote` keeping `/`, a form's `+` for a space), in either case of hex; undefined for a
 * value of letters and digits only, which no encoder changes.
 */
function urlEncodedForm(v: string): RegExp | undefined {
  if (/^[A-Za-z0-9]*$/.test(v)) return undefined;
  const hex = (d: string) => (/\d/.test(d) ? d : `[${d}${d.toLowerCase()}]`);
  let source = '';
  for (const ch of v) {
    if (/[A-Za-z0-9]/.test(ch)) {
      source += ch;
      continue;
    }
    const pct = [...Buffer.from(ch, 'utf8')]
      .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
      .map((h) => `%${hex(h[0]!)}${hex(h[1]!)}`)
      .join('');
    source += `(?:${ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}|${pct}${ch === ' ' ? '|\\+' : ''})`;
  }
  return new RegExp(source, 'g');
}

/**
 * A function hiding every known secret value and every recognisable credential in a text. Known
 * values are replaced longest first, so a value containing another is hidden whole; each also as
 * a step may print it encoded (URL-encoded, base64). `values` are the values as given, never their
 * encodings (a masker built from another's values does not encode them again).
 */
export function createMasker(values: Iterable<string> = []): Masker {
  const known = [...new Set([...values].filter(maskableValue))].sort((a, b) => b.length - a.length);
  const literal = [...new Set(known.flatMap((v) => [v, ...base64Forms(v)]))].sort((a, b) => b.length - a.length);
  const encoded = known.map(urlEncodedForm).filter((re): re is RegExp => re !== undefined);
  const mask = (text: string): string => {
    if (text === '') return text;
    let s = text;
    for (const v of literal) if (s.includes(v)) s = s.split(v).join(MASK);
    if (s.includes('%') || s.includes('+')) for (const re of encoded) s = s.replace(re, MASK);
    if (s.includes('PRIVATE KEY-----'))
      s = s.replace(PEM_KEY, (_m, begin: string, _body, end: string) => `${begin}\n${MASK}\n${end}`);
    for (const re of PATTERNS) s = s.replace(re, (_m, keep: string) => `${keep}${MASK}`);
    for (const re of ENV_ENTRY)
      s = s.replace(re, (whole, keep: string, name: string, q: string, value: string) =>
        isSecretName(name) && !value.startsWith('$') && value !== MASK ? `${keep}${q}${MASK}` : whole,
      );
    s = s.replace(ASSIGNMENT, (whole, name: string, eq: string, value: string) => {
      if (!isSecretName(name)) return whole;
      const inner = /^["']/.test(value) ? value.slice(1, -1) : value;
      // A reference (`PGPASSWORD="$PGPASSWORD"`) or an already hidden value shows nothing secret.
      if (inner === '' || inner.startsWith('$') || inner === MASK) return whole;
      const q = /^["']/.test(value) ? value[0]! : '';
      return `${name}${eq}${q}${MASK}${q}`;
    });
    return s;
  };
  return Object.assign(mask, { values: known });
}

/** The masker for text ir stores or prints: shapes of credentials, and this environment's secret values. */
export function envMasker(env: Readonly<Record<string, string | undefined>>): Masker {
  return createMasker(secretValuesFromEnv(env));
}

/**
 * Output cut short (past ir's capture limit) may end inside a secret, where `mask` no longer sees
 * it: a tail that is the start of one of `values`, and a private key whose END line was cut off,
 * become MASK. The rest is left for `mask`.
 */
export function hideCutSecret(text: string, values: readonly string[]): string {
  let s = text;
  const open = [...s.matchAll(PEM_BEGIN)].at(-1);
  if (open && !PEM_END.test(s.slice(open.index))) s = `${s.slice(0, open.index + open[0].length)}\n${MASK}`;
  let longest = 0;
  for (const v of values)
    for (let n = Math.min(v.length - 1, s.length); n > longest; n--)
      if (s.endsWith(v.slice(0, n))) {
        longest = n;
        break;
      }
  return longest > 0 ? `${s.slice(0, s.length - longest)}${MASK}` : s;
}

/** A line without an end longer than this is passed on in parts (see `safeCut`). */
const LONG_LINE = 4096;
/**
 * What is kept back of such a line at least: longer than any credential's shape (a JWT, a JSON
 * field), so one that has begun but not ended yet stays whole in what is held.
 */
const LINE_TAIL = 2048;

/**
 * Where a line without an end may be cut: all but its last LINE_TAIL characters (or the longest
 * secret value's length), moved back before every secret value and every credential shape that
 * would cross the cut, so the part passed on holds neither a piece of one nor the name that makes
 * the rest recognisable. 0 when nothing may be passed on yet.
 */
function safeCut(text: string, values: readonly string[]): number {
  let cut = text.length - Math.max(LINE_TAIL, ...values.map((v) => v.length));
  const shapes = [...PATTERNS, ...ENV_ENTRY, ASSIGNMENT, PEM_KEY];
  for (let moved = true; moved && cut > 0;) {
    moved = false;
    for (const v of values) {
      const at = text.indexOf(v, Math.max(0, cut - v.length + 1));
      if (at >= 0 && at < cut) {
        cut = at;
        moved = true;
      }
    }
    for (const re of shapes)
      for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)))
        if (m.index < cut && m.index + m[0].length > cut) {
          cut = m.index;
          moved = true;
        }
  }
  // Never between the two halves of a character outside the BMP.
  if (cut > 0 && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
  return Math.max(0, cut);
}

/**
 * Masks a stream chunk by chunk (live step output): text is passed on a line at a time, so a
 * secret split across two chunks is still hidden. `flush` returns what is held back.
 */
export function maskingStream(mask: Masker): { push(chunk: string): string; flush(): string } {
  let held = '';
  return {
    push(chunk) {
      held += chunk;
      // A private key is hidden whole: its lines are held until its END line (or 64 KiB).
      const begins = [...held.matchAll(PEM_BEGIN)];
      const open = begins.at(-1);
      if (open && !PEM_END.test(held.slice(open.index)) && held.length < 65_536) {
        const out = mask(held.slice(0, open.index));
        held = held.slice(open.index);
        return out;
      }
      // A carriage return ends a line too (a progress meter redrawing itself), as for the masker's
      // `^`; one that ends the text may be the first half of a CRLF, and waits for the next chunk.
      const nl = Math.max(held.lastIndexOf('\n'), held.lastIndexOf('\r', held.length - 2));
      if (nl < 0) {
        // A line without an end (a progress bar, a one-line JSON body) is not held for ever: its
        // start is passed on, up to a point no secret crosses.
        if (held.length < LONG_LINE) return '';
        const cut = safeCut(held, mask.values);
        const out = mask(held.slice(0, cut));
        held = held.slice(cut);
        return out;
      }
      // The `name:` line of a container's environment entry waits for its `value:` line, which
      // the masker reads with it.
      let end = nl + 1;
      const from = held.endsWith('\r\n', end) ? nl - 2 : nl - 1;
      const last = Math.max(held.lastIndexOf('\n', from), held.lastIndexOf('\r', from)) + 1;
      if (ENV_NAME_LINE.test(held.slice(last, end)) && held.length - last < 4096) end = last;
      const out = mask(held.slice(0, end));
      held = held.slice(end);
      return out;
    },
    flush() {
      const out = mask(held);
      held = '';
      return out;
    },
  };
}
