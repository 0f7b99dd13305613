/** A value read from YAML as text: a scalar as written, a list or mapping as JSON (never "[object Object]"). */
export function yamlText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}
