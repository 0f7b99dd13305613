/** How a runbook_url / path is reduced to the key runbooks are found by. Pure. */

/** The last path segment without extension, lower-cased: ".../alertmanager/alertmanagerfailedreload" → "alertmanagerfailedreload". */
export function runKey(ref: string): string {
  const s = ref
    .trim()
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
  const seg = s.split('/').pop() ?? s;
  return seg.replace(/\.(md|markdown|html?)$/i, '').toLowerCase();
}
