/**
 * The blameless postmortem template (docs/learning.md), filled from the incident record: summary with the
 * error budget the incident burned, a forward-looking timeline, action items from the store and
 * the learning-oriented questions. Narrative sections come from the author or stay as clearly
 * marked placeholders that `ir postmortem lint` reports. Pure: takes plain data and `now`.
 */
import { budgetMinutes } from '../budget/math.js';
import { round } from '../numbers.js';

export interface PostmortemTimelineEntry {
  at: Date;
  type: string;
  text: string;
  author?: string;
}

export interface PostmortemActionItem {
  /** `ACT-<n>` when stored. */
  id?: string;
  text: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
  done: boolean;
  priority?: string | null;
  type?: string | null;
}

export interface PostmortemNarrative {
  whatHappened?: string;
  contributingFactors?: string;
  whatWentWell?: string;
}

/** Everything the template needs, as plain data (built from an incident by the service). */
export interface PostmortemRecord {
  id: string;
  title: string;
  severity: number;
  service: string | null;
  /** What customers saw, in words: "15% of users unable to login". */
  impact: string | null;
  /** Fraction of traffic affected, 0–1. */
  impactFraction: number;
  startedAt: Date;
  /** No start was given: `startedAt` is the declaration time, so the duration and detection time are guesses. */
  startEstimated?: boolean;
  detectedAt: Date;
  /** End of customer impact when different from the resolution. */
  impactEndedAt?: Date | null;
  resolvedAt: Date | null;
  timeline: PostmortemTimelineEntry[];
  actionItems: PostmortemActionItem[];
  /** The service's SLO, when one is configured. */
  slo: { objective: number; windowMinutes: number } | null;
  nearMiss?: boolean;
  narrative?: PostmortemNarrative;
}

export interface BudgetConsumed {
  /** Impact window × fraction of traffic affected, minutes. */
  minutes: number;
  /** The service's budget for one SLO window, minutes; null without an SLO. */
  budgetMinutes: number | null;
  /** minutes ÷ budget, 0–1 (can exceed 1); null without an SLO. */
  share: number | null;
  slo: number | null;
  windowMinutes: number | null;
}

export interface PostmortemSummary {
  id: string;
  title: string;
  date: string;
  severity: string;
  service: string | null;
  impact: string | null;
  startedAt: string;
  detectedAt: string;
  resolvedAt: string | null;
  /** Started → resolved (or → now while open), whole minutes. */
  durationMinutes: number;
  ongoing: boolean;
  errorBudget: BudgetConsumed;
}

/** The marker every placeholder carries; `ir postmortem lint` reports lines that still have it. */
export const PLACEHOLDER_MARK = 'ir:placeholder';

export const LEARNING_QUESTIONS = [
  'What information did the responder have at decision time?',
  'What systemic factors allowed this to reach production?',
  'How can we detect this class of problem earlier?',
];

export const NOT_ASKED = [
  ['Why didn’t you check …?', 'hindsight bias'],
  ['Who approved this deploy?', 'blame focus'],
] as const;

const MINUTE = 60_000;

export function budgetConsumed(record: PostmortemRecord, now: Date): BudgetConsumed {
  const end = record.impactEndedAt ?? record.resolvedAt ?? now;
  const windowMinutes = Math.max(0, (end.getTime() - record.startedAt.getTime()) / MINUTE);
  const minutes = round(windowMinutes * record.impactFraction, 4);
  if (!record.slo) return { minutes, budgetMinutes: null, share: null, slo: null, windowMinutes: null };
  const budget = budgetMinutes(record.slo.objective, record.slo.windowMinutes);
  return {
    minutes,
    budgetMinutes: budget,
    share: budget > 0 ? round(minutes / budget, 4) : null,
    slo: record.slo.objective,
    windowMinutes: record.slo.windowMinutes,
  };
}

export function summarize(record: PostmortemRecord, now: Date): PostmortemSummary {
  const end = record.resolvedAt ?? now;
  return {
    id: record.id,
    title: record.title,
    date: record.startedAt.toISOString().slice(0, 10),
    severity: `SEV-${record.severity}`,
    service: record.service,
    impact: record.impact,
    startedAt: record.startedAt.toISOString(),
    detectedAt: record.detectedAt.toISOString(),
    resolvedAt: record.resolvedAt?.toISOString() ?? null,
    durationMinutes: Math.round((end.getTime() - record.startedAt.getTime()) / MINUTE),
    ongoing: record.resolvedAt === null,
    errorBudget: budgetConsumed(record, now),
  };
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const day = (d: Date) => d.toISOString().slice(0, 10);
/** `14:23`, or `2025-11-16 00:10` when not on the incident's first day (UTC). */
const clock = (d: Date, firstDay: string) => (day(d) === firstDay ? hhmm(d) : `${day(d)} ${hhmm(d)}`);

function formatMinutes(n: number): string {
  return String(round(n, 2));
}

function formatPercent(share: number): string {
  return `${round(share * 100, 1)}%`;
}

function windowLabel(minutes: number): string {
  const days = minutes / (24 * 60);
  return Number.isInteger(days) ? `${days}-day` : `${round(minutes, 2)}-minute`;
}

function placeholder(what: string): string {
  return `> _${what}_ <!-- ${PLACEHOLDER_MARK} -->`;
}

/** One action item line, specific, owned and dated: `- [ ] What (owner, due) — ACT-3, preventive, high`. */
export function actionItemLine(a: PostmortemActionItem): string {
  const extra = [a.id, a.type, a.priority ? `${a.priority} priority` : null].filter(Boolean).join(', ');
  return `- [${a.done ? 'x' : ' '}] ${a.text} (${a.owner}, ${a.due})${extra ? ` — ${extra}` : ''}`;
}

/** Timeline in the order things happened (forward-looking), with start/detect/resolve marked. */
export function forwardTimeline(record: PostmortemRecord): PostmortemTimelineEntry[] {
  const entries = [...record.timeline];
  const has = (type: string) => entries.some((e) => e.type === type);
  if (!has('started')) entries.push({ at: record.startedAt, type: 'started', text: 'Customer impact begins' });
  if (!has('detected')) entries.push({ at: record.detectedAt, type: 'detected', text: 'Incident detected' });
  if (record.resolvedAt && !has('resolved'))
    entries.push({ at: record.resolvedAt, type: 'resolved', text: 'Incident resolved' });
  // A stable sort keeps same-minute entries in the order they were written.
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.getTime() - b.e.at.getTime() || a.i - b.i)
    .map(({ e }) => e);
}

export function renderPostmortem(record: PostmortemRecord, now: Date): string {
  const s = summarize(record, now);
  const b = s.errorBudget;
  const firstDay = day(record.startedAt);
  const end = record.resolvedAt;
  const endText = end ? `${day(end) === firstDay ? hhmm(end) : `${day(end)} ${hhmm(end)}`} UTC` : 'ongoing';
  const budgetText =
    b.share === null
      ? `${formatMinutes(b.minutes)} minutes (no SLO configured${record.service ? ` for ${record.service}` : ''}; add it under \`slos:\` in ir.yaml to see the share)`
      : `${formatMinutes(b.minutes)} minutes (${formatPercent(b.share)} of the ${windowLabel(b.windowMinutes!)} budget of ${formatMinutes(b.budgetMinutes!)} minutes at ${round(b.slo! * 100, 4)}%)`;
  const n = record.narrative ?? {};
  const section = (text: string | undefined, what: string) => (text && text.trim() ? text.trim() : placeholder(what));

  const lines: string[] = [
    `# Postmortem: ${record.id} — ${record.title}`,
    '',
    '## Incident Summary',
    '',
    `**Date:** ${s.date}`,
    `**Duration:** ${hhmm(record.startedAt)} UTC - ${endText} (${s.durationMinutes} minutes${s.ongoing ? ' so far' : ''})${record.startEstimated ? ` — start estimated: none was given, so this counts from the declaration (correct it with \`ir incident edit ${record.id} --started-at <time>\`)` : ''}`,
    `**Severity:** ${s.severity}${record.nearMiss ? ' (near miss)' : ''}`,
    ...(record.service ? [`**Service:** ${record.service}`] : []),
    `**Impact:** ${record.impact ?? `${round(record.impactFraction * 100, 2)}% of traffic affected`}`,
    `**Detected:** ${clock(record.detectedAt, firstDay)} UTC (${record.startEstimated ? 'when impact began is not known' : `${Math.round((record.detectedAt.getTime() - record.startedAt.getTime()) / MINUTE)} minutes after impact began`})`,
    `**Error Budget Consumed:** ${budgetText}`,
    '',
    '## Timeline (Forward-Looking)',
    '',
    ...forwardTimeline(record).map((e) => `- ${clock(e.at, firstDay)} - ${e.text.replace(/\s*\n\s*/g, ' ')}`),
    '',
    '## What Happened (Systems Focus)',
    '',
    section(n.whatHappened, 'Placeholder: describe how the system behaved and why it allowed this, not who did what.'),
    '',
    '## Contributing Factors (Not "Who Screwed Up")',
    '',
    section(
      n.contributingFactors,
      'Placeholder: list the conditions (gaps in review, testing, monitoring, timing) that let this happen.',
    ),
    '',
    '## What Went Well',
    '',
    section(n.whatWentWell, 'Placeholder: what helped detection, decisions and recovery.'),
    '',
    '## Action Items (Specific, Owned, Dated)',
    '',
    ...(record.actionItems.length
      ? record.actionItems.map(actionItemLine)
      : [
          placeholder(
            `Placeholder: none recorded yet — add them with \`ir action add ${record.id} "…" --owner NAME --due YYYY-MM-DD\`.`,
          ),
        ]),
    '',
    '## Questions We Asked (Learning-Oriented)',
    '',
    ...LEARNING_QUESTIONS.map((q) => `✅ "${q}"`),
    ...NOT_ASKED.map(([q, why]) => `❌ NOT asked: "${q}" (${why})`),
    '',
  ];
  return lines.join('\n');
}
