/** `ir slo list|lint|export`: SLOs as code — their declarations and the options types derived from them. */
import { bool, command, group, runs, type FlagsOf } from '../spec.js';

export const sloList = command({
  name: 'list',
  description: 'the SLOs of ir.yaml and of the OpenSLO and sloth files `slo_files:` names, and where each is written',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir slo list', 'ir slo list --json'],
});
export type SloListFlags = FlagsOf<typeof sloList>;

export const sloLint = command({
  name: 'lint',
  description: 'check the SLOs of ir.yaml and the SLO files: file:line: key: problem, exit 2 on any',
  flags: [bool('--json', 'print JSON')],
  examples: ['ir slo lint', 'ir slo lint --json'],
});
export type SloLintFlags = FlagsOf<typeof sloLint>;

export const sloExport = command({
  name: 'export',
  description: 'write the SLOs out as OpenSLO v1 documents (kind: SLO with Prometheus ratio SLIs)',
  flags: [bool('--openslo', 'write OpenSLO v1 YAML (required: the format is named, so others can follow)')],
  examples: ['ir slo export --openslo', 'ir slo export --openslo > slos/openslo.yaml'],
});
export type SloExportFlags = FlagsOf<typeof sloExport>;

export const sloCommands = group('slo', 'SLOs as code: list, lint and export the SLOs ir reads', [
  runs(sloList, () => import('./list.js')),
  runs(sloLint, () => import('./lint.js')),
  runs(sloExport, () => import('./export.js')),
]);
