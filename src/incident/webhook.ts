/**
 * Posting a notification to a Slack-compatible incoming webhook with Node's built-in fetch and a
 * timeout. Never throws: the outcome is recorded on the delivery, and a failed post can be retried.
 */
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

export async function postWebhook(url: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return { ok: false, error: 'not a valid http(s) URL (its value is not shown: webhook URLs are credentials)' };
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the start of the body is kept (in the error): read that much, then let go of the
    // rest — an endless or huge body must not be read into memory within the timeout.
    const text = await readAtMost(res, res.ok ? 0 : BODY_BYTES_READ).catch(() => '');
    if (res.ok) return { ok: true };
    const detail = text.trim().slice(0, 200);
    return {
      ok: false,
      error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${detail ? `: ${detail}` : ''}`,
    };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return { ok: false, error: `no answer within ${timeoutMs / 1000}s` };
    const cause = err.cause?.code ?? err.cause?.message;
    const error = cause ? `${err.message} (${cause})` : err.message;
    // The URL is a credential: an error that quotes it is shown with scheme and host only.
    return { ok: false, error: error.split(url).join(redactWebhookUrl(url)) };
  }
}
