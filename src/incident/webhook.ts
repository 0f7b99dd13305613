/**
 * Posting a notification to a Slack-compatible incoming webhook with Node's built-in fetch and a
 * timeout. Never throws: the outcome is recorded on the delivery, and a failed post can be retried.
 */
export interface PostOutcome {
  ok: boolean;
  /** Why it failed: HTTP status, timeout, connection error. */
  error?: string;
}

export async function postWebhook(url: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is released.
    const text = await res.text().catch(() => '');
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
    return { ok: false, error: cause ? `${err.message} (${cause})` : err.message };
  }
}
