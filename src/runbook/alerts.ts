/**
 * Prometheus alerting rules → which runbook each alert points at. Reads plain rule files
 * (`groups:`) and PrometheusRule manifests (`spec.groups`), several YAML documents per file.
 * Pure: text in, data out.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, type Node } from 'yaml';
import { yamlText } from './yaml-text.js';

export interface AlertRule {
  alert: string;
  /** The runbook_url (or runbook) annotation, if any. */
  runbook?: string;
  file: string;
  line: number;
  group: string;
}

export function parseAlertRules(text: string, file: string): { rules: AlertRule[]; problems: string[] } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  const rules: AlertRule[] = [];
  const problems: string[] = [];
  const docList = Array.isArray(docs) ? docs : [docs];
  for (const doc of docList) {
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(`${file}:${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
      continue;
    }
    const roots: Node[] = [];
    const contents = doc.contents;
    if (!contents) continue;
    // kind: List of PrometheusRule items, a PrometheusRule, or a plain rule file.
    const items = isMap(contents) ? contents.get('items', true) : undefined;
    if (isSeq(items)) {
      for (const it of items.items) if (isMap(it)) roots.push(it);
    } else roots.push(contents);
    for (const root of roots) {
      if (!isMap(root)) continue;
      const spec = root.get('spec', true);
      const groups = isMap(spec) ? spec.get('groups', true) : root.get('groups', true);
      if (!isSeq(groups)) continue;
      for (const g of groups.items) {
        if (!isMap(g)) continue;
        const groupName = yamlText(g.get('name') ?? '');
        const rs = g.get('rules', true);
        if (!isSeq(rs)) continue;
        for (const r of rs.items) {
          if (!isMap(r)) continue;
          const alert = r.get('alert');
          if (alert === undefined || alert === null) continue;
          const ann = r.get('annotations', true);
          const url = isMap(ann) ? (ann.get('runbook_url') ?? ann.get('runbook')) : undefined;
          const pos = (r as Node).range?.[0] ?? 0;
          rules.push({
            alert: yamlText(alert),
            runbook: url === undefined || url === null ? undefined : yamlText(url),
            file,
            line: lc.linePos(pos).line,
            group: groupName,
          });
        }
      }
    }
  }
  return { rules, problems };
}
