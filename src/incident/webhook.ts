/**
 * Posting a notification to a Slack-compatible incoming webhook with Node's built-in fetch and a
 * timeout. Never throws: the outcome is recorded on the delivery, and a failed post can be retried.
 */
import { lookupTable } from '../lookup.js';
import { clip, oneLine } from '../text.js';
export interface PostOutcome {
  ok: boolean;
  /** Why it failed: HTTP status, timeout, connection error. */
  error?: string;
}

/**
 * A webhook URL as it may be shown: scheme and host only. Incoming-webhook URLs carry their
 * secret in the path (Slack's /services/T…/B…/token) or in user:password@, so the rest is never
 * printed or stored. Anything that does not parse as a URL is shown as a placeholder, not echoed.
 */
export function redactWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(not a valid URL)';
  }
}

/** How much of an error response's body is read (its first 200 characters are kept). */
export const BODY_BYTES_READ = 4096;

/** The most characters of an error reply quoted in the error, on one line. */
export const REPLY_SHOWN = 200;

/**
 * An error reply as text for one line of an error message: an HTML page (a proxy's 502, a login
 * page) as the words it shows — no tags, comments, scripts or styles, nor its <head> when it has
 * a <body>, and the common entities decoded — and any reply with its line breaks and runs of
 * spaces made single spaces. Not shortened: secrets are taken out first (see attempt), then it is
 * clipped.
 */
export function replyText(text: string): string {
  if (!looksLikeHtml(text)) return oneLine(text);
  let t = text.replace(/<!--[\s\S]*?(-->|$)/g, ' ').replace(/<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, ' ');
  if (/<body[\s>]/i.test(t)) t = t.replace(/<head[\s>][\s\S]*?(<\/head\s*>|$)/gi, ' ');
  t = t.replace(/<\/?[a-z!?][^>]*(>|$)/gi, ' ');
  return oneLine(decodeEntities(t));
}

/** Starts with a tag and holds one closed: `<html>…`, `<!DOCTYPE html>…`, `<h1>502</h1>`. */
function looksLikeHtml(text: string): boolean {
  return /^\s*<[a-z!?]/i.test(text) && /<\/[a-z][^>]*>|\/>/i.test(text);
}

// No prototype: `&constructor;` in a reply is text, not Object's constructor.
const ENTITIES: Readonly<Record<string, string>> = lookupTable({
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
});

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The first `limit` bytes of the body as text; the rest is never read (the stream is cancelled). */
async function readAtMost(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || !value) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Further attempts after a 429, a 5xx or no answer (default 0). */
  retries?: number;
  /** The longest Retry-After honoured; a longer one ends the attempts (a later --retry sends it). */
  maxWaitMs?: number;
  /** Values that must never appear in an error (routing keys, signing secrets). */
  secrets?: string[];
  /** Waits between attempts (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

export interface PostResult extends PostOutcome {
  attempts: number;
}

/** Backoff when the server gives no Retry-After: 1 s, 2 s, 4 s … */
const BACKOFF_MS = 1000;
export const MAX_WAIT_MS = 30_000;

/** Retry-After as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Posts `body` as JSON; retries a 429, a 5xx or no answer up to `retries` times, waiting what
 * Retry-After asks (up to `maxWaitMs`) or backing off. Never throws; errors never carry the URL
 * or any of `secrets`.
 */
export async function postWebhook(url: string, body: string, opts: PostOptions | number): Promise<PostResult> {
  const o: PostOptions = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const retries = o.retries ?? 0;
  const sleep = o.sleep ?? defaultSleep;
  let attempts = 0;
  for (;;) {
    attempts++;
    const r = await attempt(url, body, o);
    if (r.ok || !r.retryable || attempts > retries)
      return { ok: r.ok, error: redact(r.error, [url, ...(o.secrets ?? [])]), attempts };
    const wait = r.retryAfterMs ?? BACKOFF_MS * 2 ** (attempts - 1);
    if (wait > (o.maxWaitMs ?? MAX_WAIT_MS)) {
      return {
        ok: false,
        error: redact(`${r.error}; asked to wait ${Math.ceil(wait / 1000)}s, longer than ir waits`, [
          url,
          ...(o.secrets ?? []),
        ]),
        attempts,
      };
    }
    await sleep(wait);
  }
}

/**
 * The error with every secret taken out: a URL (whole, or any of the parts a server's error page
 * may echo — its path and query together, the path alone, decoded or not, the query alone, the
 * password) and any other secret value.
 */
export function redact(error: string | undefined, secrets: string[] = []): string | undefined {
  if (error === undefined) return undefined;
  let out = error;
  for (const secret of secrets.filter((v) => v.length > 0)) {
    out = out.split(secret).join(URL.canParse(secret) ? redactWebhookUrl(secret) : '[redacted]');
    if (URL.canParse(secret))
      for (const part of urlSecretParts(new URL(secret)))
        out = out.split(part).join(part.startsWith('/') ? '/…' : '[redacted]');
  }
  return out;
}

/** Percent-decoded text, or the text as it is when it does not decode. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The parts of a webhook URL that carry its secret, longest first (so a part inside another goes after it). */
function urlSecretParts(u: URL): string[] {
  const parts = [`${u.pathname}${u.search}`, u.pathname, decode(u.pathname), u.search.slice(1)].filter(
    (p) => p.length > 1 && p !== '/',
  );
  // A password shorter than four characters would take ordinary words out of the message.
  for (const p of [u.password, decode(u.password)]) if (p.length >= 4) parts.push(p);
  return [...new Set(parts)].sort((a, b) => b.length - a.length);
}

/**
 * A URL's `user:password@` as the Basic authorization header it stands for (as curl sends it):
 * fetch refuses a URL that carries credentials, and a receiver behind basic auth is a webhook
 * like any other.
 */
export function withoutCredentials(url: string): { target: string; authorization: Record<string, string> } {
  const u = new URL(url);
  if (!u.username && !u.password) return { target: url, authorization: {} };
  const basic = Buffer.from(`${decode(u.username)}:${decode(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { target: u.toString(), authorization: { authorization: `Basic ${basic}` } };
}

interface Attempt extends PostOutcome {
  retryable: boolean;
  retryAfterMs?: number;
}

async function attempt(url: string, body: string, o: PostOptions): Promise<Attempt> {
  const { timeoutMs } = o;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return {
      ok: false,
      retryable: false,
      error: 'not a valid http(s) URL (its value is not shown: webhook URLs are credentials)',
    };
  }
  try {
    const { target, authorization } = withoutCredentials(url);
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization, ...o.headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the start of the body is kept (in the error): read that much, then let go of the
    // rest — an endless or huge body must not be read into memory within the timeout.
    const text = await readAtMost(res, res.ok ? 0 : BODY_BYTES_READ).catch(() => '');
    if (res.ok) return { ok: true, retryable: false };
    // One line, secrets out, then clipped: a secret cut in two by the clip would no longer be found.
    const detail = clip(redact(replyText(text), [url, ...(o.secrets ?? [])])!, REPLY_SHOWN);
    return {
      ok: false,
      retryable: res.status === 429 || res.status >= 500,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after'), Date.now()),
      error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${detail ? `: ${detail}` : ''}`
        .split(url)
        .join(redactWebhookUrl(url)),
    };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return { ok: false, retryable: true, error: `no answer within ${timeoutMs / 1000}s` };
    const cause = err.cause?.code ?? err.cause?.message;
    const error = cause ? `${err.message} (${cause})` : err.message;
    // The URL is a credential: an error that quotes it is shown with scheme and host only.
    return { ok: false, retryable: true, error: error.split(url).join(redactWebhookUrl(url)) };
  }
}
