/**
 * Everything the page shows comes from people typing (titles, public updates, component names),
 * so every text and attribute goes through here: `<script>` shows as text.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** XML 1.0 has no place for most control characters, escaped or not: they are dropped. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}

/** `INC-7` → `inc-7.html`: the history page of an incident. */
export function incidentFile(id: string): string {
  return `${id.toLowerCase()}.html`;
}
