/**
 * The output of a step whose command prints credentials (`StepEffect.printsSecrets`: `kubectl get
 * secret db -o yaml`, `vault kv get`, `aws secretsmanager get-secret-value`), turned into the
 * values the run hides from then on, wherever they appear. A Kubernetes Secret printed whole (YAML
 * or JSON, one or a List) keeps its shape: only its `data` values (as printed, and decoded from
 * base64, as a later `base64 -d` prints them) and `stringData` values are secret — but only when
 * Secrets are all it prints: output with anything else (a Deployment's env, a ConfigMap, the
 * values `helm get all` prints before its manifests) may hold the same passwords in plain text.
 * Any other output is secret whole, each of its lines that is base64 (`-o jsonpath={.data.password}`)
 * decoded too.
 */
import { parseAllDocuments } from 'yaml';

export interface SecretOutput {
  /** Values to hide. */
  values: string[];
  /** The output is not a Kubernetes Secret ir can read: hide all of it. */
  whole: boolean;
}

export function secretOutputValues(output: string): SecretOutput {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A line that is base64 (a data value printed by jsonpath) is hidden decoded too.
  const whole = {
    values: [...new Set(lines.flatMap((l) => (BASE64.test(l) ? [l, ...decoded(l)] : [l])))],
    whole: true,
  };
  let docs: unknown[];
  try {
    const parsed = parseAllDocuments(output);
    if (!Array.isArray(parsed) || parsed.some((d) => d.errors.length > 0)) return whole;
    docs = parsed.map((d) => d.toJS() as unknown);
  } catch {
    return whole;
  }
  const values: string[] = [];
  let secrets = 0;
  let others = 0;
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) {
      // An empty document (`---` at the end) is nothing; anything else is not a Secret.
      if (node !== null && node !== undefined) others++;
      return;
    }
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.items) && typeof obj.kind === 'string' && obj.kind.endsWith('List')) {
      obj.items.forEach(visit);
      return;
    }
    if (obj.kind !== 'Secret') {
      others++;
      return;
    }
    secrets++;
    for (const [field, decode] of [
      ['data', true],
      ['stringData', false],
    ] as const) {
      const map = obj[field];
      if (typeof map !== 'object' || map === null) continue;
      for (const v of Object.values(map as Record<string, unknown>)) {
        if (typeof v !== 'string' || v === '') continue;
        values.push(v);
        if (decode) values.push(...decoded(v));
      }
    }
  };
  docs.forEach(visit);
  return secrets > 0 && others === 0 ? { values, whole: false } : whole;
}

/** Standard base64 as kubectl prints a Secret's data value: padded, whole groups of four. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A base64 value decoded, when it decodes to text: the value itself and its non-empty lines. */
function decoded(v: string): string[] {
  const text = Buffer.from(v, 'base64').toString('utf8');
  if (text === '' || text.includes('\uFFFD') || text.includes('\0')) return [];
  const trimmed = text.trim();
  return [trimmed, ...trimmed.split('\n').map((l) => l.trim())].filter((l) => l !== '');
}
