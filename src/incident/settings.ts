/**
 * What the incident domain needs from configuration, as plain values: the severity matrix, the
 * classifier thresholds, the update cadence per severity. Built once by the service from ir.yaml
 * (or the defaults) and passed into the pure functions.
 */
import type { IncidentsConfig } from '../config/incidents.js';
import { SEVERITY_LEVELS, severityName, type SeverityLevel } from './model.js';
import { DEFAULT_MATRIX, type ClassifyThresholds, type SeverityRow } from './severity.js';

export interface UpdateCadence {
  /** Minutes after the last stakeholder update when the next one is due. */
  dueMinutes: number;
  /** Minutes after the last stakeholder update when it is overdue. */
  overdueMinutes: number;
}

export interface IncidentSettings {
  matrix: SeverityRow[];
  thresholds: ClassifyThresholds;
  /** null: no cadence for that severity. */
  cadence: Record<SeverityLevel, UpdateCadence | null>;
  /** Link template with `{id}`, for notifications. */
  link?: string;
}

/** Status updates every 20–30 minutes during active SEV-1/2 incidents; none required for SEV-3/4. */
export const DEFAULT_CADENCE: Record<SeverityLevel, UpdateCadence | null> = {
  1: { dueMinutes: 20, overdueMinutes: 30 },
  2: { dueMinutes: 20, overdueMinutes: 30 },
  3: null,
  4: null,
};

export const DEFAULT_SETTINGS: IncidentSettings = {
  matrix: DEFAULT_MATRIX.map((r) => ({ ...r })),
  thresholds: { sev1AbovePercent: 50, sev2FromPercent: 10 },
  cadence: { ...DEFAULT_CADENCE },
};

export function settingsFromConfig(c: IncidentsConfig): IncidentSettings {
  const matrix = DEFAULT_MATRIX.map((row) => {
    const o = c.severities[row.severity];
    return {
      ...row,
      impact: o?.impact ?? row.impact,
      responseTime: o?.response_time ?? row.responseTime,
      notification: o?.notification ?? row.notification,
    };
  });
  const cadence = { ...DEFAULT_CADENCE };
  for (const level of SEVERITY_LEVELS) {
    const o = c.update_cadence[severityName(level)];
    if (o !== undefined) cadence[level] = o === null ? null : { dueMinutes: o.due, overdueMinutes: o.overdue };
  }
  return {
    matrix,
    thresholds: { sev1AbovePercent: c.classify.sev1_above, sev2FromPercent: c.classify.sev2_from },
    cadence,
    link: c.link,
  };
}

export function incidentLink(settings: Pick<IncidentSettings, 'link'>, id: string): string | undefined {
  return settings.link?.split('{id}').join(id);
}
