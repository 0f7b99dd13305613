/**
 * `ir doctor`'s verdicts: facts about the set-up in (gathered by ./service.ts), one line per
 * check out — ok, warning or error, with what to do. Pure, so each verdict is tested without the
 * machine it describes.
 */
import { basename } from 'node:path';

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface Check {
  area: 'config' | 'database' | 'runbooks' | 'schedules' | 'slos' | 'tools';
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or an error. */
  hint?: string;
}

export interface ConfigFacts {
  path: string | null;
  /** The configuration could not be read: the message. */
  problem?: string;
}

export interface DatabaseFacts {
  location: string;
  exists: boolean;
  writable: boolean;
  schemaVersion?: number;
  problem?: string;
}

export interface LintFacts {
  dir: string;
  files: number;
  errors: number;
  warnings: number;
  /** The directory is missing or unreadable. */
  problem?: string;
  /** Files in it that could not be read (each also counted as an error), and why. */
  unreadable?: { path: string; reason: string }[];
}

export interface ToolFacts {
  name: string;
  /** First line of its version output; undefined when the program was not found. */
  version?: string;
  /** Runbooks whose steps call it. */
  usedBy: string[];
  /** kubectl only: the current context, or null when none is set. */
  context?: string | null;
}

export const TOOLS = ['kubectl', 'oc', 'psql', 'redis-cli', 'curl', 'aws'] as const;

export function configCheck(f: ConfigFacts): Check {
  if (f.problem) return { area: 'config', name: 'ir.yaml', status: 'error', detail: f.problem };
  if (!f.path)
    return {
      area: 'config',
      name: 'ir.yaml',
      status: 'warning',
      detail: 'none found here or above; the defaults apply',
      hint: 'ir init writes one',
    };
  return { area: 'config', name: 'ir.yaml', status: 'ok', detail: f.path };
}

export function databaseCheck(f: DatabaseFacts): Check {
  const name = 'state';
  if (f.problem) return { area: 'database', name, status: 'error', detail: `${f.location}: ${f.problem}` };
  if (!f.writable)
    return {
      area: 'database',
      name,
      status: 'error',
      detail: `${f.location} is not writable: incidents cannot be recorded`,
      hint: 'check its permissions, or point --db / IR_DB at a writable place',
    };
  if (!f.exists) return { area: 'database', name, status: 'ok', detail: `${f.location} (created on the first write)` };
  return { area: 'database', name, status: 'ok', detail: `${f.location}, schema version ${f.schemaVersion}` };
}

/** The SLOs of the files `slo_files:` names: any key in them that ir does not read (their problems stop the config check). */
export function slosCheck(f: { slos: number; files: number; warnings: number }): Check | undefined {
  if (f.files === 0) return undefined;
  const summary = `${f.slos} SLO${f.slos === 1 ? '' : 's'}: 0 errors, ${f.warnings} warning${f.warnings === 1 ? '' : 's'}`;
  if (f.warnings > 0)
    return { area: 'slos', name: 'lint', status: 'warning', detail: summary, hint: 'ir slo lint lists them' };
  return { area: 'slos', name: 'lint', status: 'ok', detail: summary };
}

export function lintCheck(area: 'runbooks' | 'schedules', f: LintFacts, command: string): Check {
  if (f.problem) return { area, name: 'lint', status: 'warning', detail: f.problem };
  const noun = area === 'runbooks' ? 'runbook' : 'file';
  const bad = f.unreadable ?? [];
  const unread = bad.length
    ? `; cannot read ${bad
        .slice(0, 3)
        .map((u) => `${basename(u.path)} (${u.reason.replace(/^cannot read the runbook \((.*)\)$/, '$1')})`)
        .join(', ')}${bad.length > 3 ? `, and ${bad.length - 3} more` : ''}`
    : '';
  const summary = `${f.files} ${noun}${f.files === 1 ? '' : 's'} in ${f.dir}: ${f.errors} error${f.errors === 1 ? '' : 's'}, ${f.warnings} warning${f.warnings === 1 ? '' : 's'}${unread}`;
  if (f.files === 0) return { area, name: 'lint', status: 'warning', detail: `no ${noun}s in ${f.dir}` };
  if (f.errors > 0) return { area, name: 'lint', status: 'error', detail: summary, hint: `${command} lists them` };
  if (f.warnings > 0) return { area, name: 'lint', status: 'warning', detail: summary, hint: `${command} lists them` };
  return { area, name: 'lint', status: 'ok', detail: summary };
}

export function toolChecks(f: ToolFacts): Check[] {
  const used = f.usedBy.length
    ? `used by ${f.usedBy.length} runbook${f.usedBy.length === 1 ? '' : 's'} (${f.usedBy.slice(0, 3).join(', ')}${f.usedBy.length > 3 ? ', …' : ''})`
    : 'no runbook calls it';
  if (f.version === undefined) {
    return [
      f.usedBy.length
        ? {
            area: 'tools',
            name: f.name,
            status: 'warning',
            detail: `not found on PATH; ${used}`,
            hint: `install ${f.name}, or those steps will be reported as "could not run"`,
          }
        : { area: 'tools', name: f.name, status: 'ok', detail: `not installed; ${used}` },
    ];
  }
  const checks: Check[] = [{ area: 'tools', name: f.name, status: 'ok', detail: `${f.version}; ${used}` }];
  if (f.name === 'kubectl' && f.context !== undefined) {
    checks.push(
      f.context
        ? { area: 'tools', name: 'kubectl context', status: 'ok', detail: f.context }
        : {
            area: 'tools',
            name: 'kubectl context',
            status: f.usedBy.length ? 'warning' : 'ok',
            detail: 'no current context: kubectl steps cannot reach a cluster',
            hint: 'kubectl config use-context <name>',
          },
    );
  }
  return checks;
}

export interface DoctorReport {
  checks: Check[];
  errors: number;
  warnings: number;
}

export function summarize(checks: Check[]): DoctorReport {
  return {
    checks,
    errors: checks.filter((c) => c.status === 'error').length,
    warnings: checks.filter((c) => c.status === 'warning').length,
  };
}
