/**
 * Checklists by incident type: what `ir declare --type security` attaches (from `incident_types:`
 * in ir.yaml), ticking items off (`ir incident checklist INC-7 --done 2`), and which open items
 * are past their due time. Pure: `now` and the type's configuration are arguments.
 */
import { ownValue } from '../lookup.js';
import { UsageError } from '../errors.js';
import { formatLocal } from '../time/instant.js';
import type { IncidentChange, NewIncident, TimelineDraft } from './lifecycle.js';
import {
  isOpen,
  normalizePerson,
  parseRole,
  ROLE_LABELS,
  type ChecklistItem,
  type Incident,
  type Role,
} from './model.js';

/** A type as ir.yaml declares it (see src/config/incident-types.ts). */
export interface IncidentTypeSpec {
  checklist: { text: string; due?: number | undefined }[];
  roles: Record<string, string | string[]>;
}

/** What a type adds to a declaration: its name, checklist (due times from `declaredAt`) and roles. */
export function typeForDeclaration(
  name: string,
  types: Record<string, IncidentTypeSpec>,
  declaredAt: Date,
  commander: string,
  author: string,
): Required<Pick<NewIncident, 'type' | 'checklist' | 'roles'>> & { timeline: TimelineDraft[] } {
  const key = name.trim().toLowerCase();
  const spec = ownValue(types, key);
  if (!spec) {
    const known = Object.keys(types);
    throw new UsageError(
      `--type: unknown incident type ${JSON.stringify(name)}; ${known.length ? `expected one of ${known.join(', ')}` : 'ir.yaml declares no incident_types'}`,
      'incident types, each with a checklist and default roles, are declared under incident_types: in ir.yaml (docs/incidents.md)',
    );
  }
  const checklist = spec.checklist.map((c) => ({
    text: c.text,
    dueAt: c.due === undefined ? null : new Date(declaredAt.getTime() + c.due * 60_000),
  }));
  const roles: { role: Role; person: string }[] = [];
  for (const [roleName, who] of Object.entries(spec.roles)) {
    const role = parseRole(roleName)!;
    for (const p of Array.isArray(who) ? who : [who]) {
      const person = normalizePerson(p);
      // The commander's own seat is not given twice.
      if (person && !(role === 'commander' && person.toLowerCase() === commander.toLowerCase()))
        roles.push({ role, person });
    }
  }
  const timeline: TimelineDraft[] = roles.map((r) => ({
    at: declaredAt,
    type: 'role',
    text: `${r.person} is ${ROLE_LABELS[r.role]} (${key} default)`,
    author,
  }));
  if (checklist.length)
    timeline.push({
      at: declaredAt,
      type: 'checklist',
      text: `${key} checklist attached: ${checklist.length} item${checklist.length === 1 ? '' : 's'} (ir incident checklist)`,
      author,
    });
  return { type: key, checklist, roles, timeline };
}

/** Items not done whose due time has passed, while the incident is open. */
export function overdueItems(incident: Pick<Incident, 'checklist' | 'status'>, now: Date): ChecklistItem[] {
  if (!isOpen(incident.status)) return [];
  return incident.checklist.filter((c) => c.doneAt === null && c.dueAt !== null && c.dueAt <= now);
}

/** `--done 2,3`: ticks those items, each a `checklist` timeline entry; items already done are left as they were. */
export function planTick(
  incident: Incident,
  numbers: number[],
  at: Date,
  author: string,
  timeZone: string,
): IncidentChange {
  if (incident.checklist.length === 0)
    throw new UsageError(
      `${incident.id} has no checklist${incident.type ? ` (its type ${incident.type} has none)` : ': it was declared without --type'}`,
      'checklists come with an incident type: ir declare --type <type> (incident_types: in ir.yaml)',
    );
  const last = incident.checklist.length;
  for (const n of numbers)
    if (n < 1 || n > last)
      throw new UsageError(
        `--done: ${incident.id} has no checklist item ${n}; expected 1–${last}`,
        `ir incident checklist ${incident.id} lists them`,
      );
  const items = [...new Set(numbers)].map((n) => incident.checklist[n - 1]!);
  const todo = items.filter((c) => c.doneAt === null);
  if (todo.length === 0)
    return {
      noop: items
        .map((c) => `item ${c.n} was already done by ${c.doneBy} (${formatLocal(c.doneAt!, timeZone)})`)
        .join('; '),
    };
  return {
    tick: todo.map((c) => ({ n: c.n, at, by: author })),
    timeline: todo.map((c) => ({ at, type: 'checklist', text: `Checklist ${c.n} done: ${c.text}`, author })),
  };
}
