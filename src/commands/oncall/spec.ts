/** `ir oncall …`: the declarations and the options types derived from them. */
import { integer } from '../options.js';
import { arg, bool, choices, command, group, runs, text, value, type FlagsOf } from '../spec.js';

const schedule = text('--schedule <name-or-path>', 'one schedule (default: every schedule)', {
  env: 'IR_SCHEDULE',
  complete: 'schedule',
});
const json = bool('--json', 'print JSON');

/** Defaults and limits of the `--weeks`/`--count` flags (a limit keeps a typo from printing a century). */
export const WEEKS = {
  show: { default: 6, max: 5200 },
  lint: { default: 26, max: 5200 },
  export: { default: 26, max: 520 },
  diff: { default: 4, max: 520 },
  cover: { default: 8, max: 520 },
} as const;
export const NEXT_COUNT = { default: 3, max: 1000 } as const;

export const who = command({
  name: 'who',
  description: 'who is primary and secondary now (or at --at), the shift and time until handoff',
  flags: [
    schedule,
    text('--at <time>', 'a time: ISO-8601, 2036-01-01, "2026-11-26 14:32", 14:32, "in 2h", "10m ago"'),
    bool('--json', 'print JSON (an object with --schedule, else an array)'),
  ],
  examples: ['ir oncall who', 'ir oncall who --schedule platform --at "2026-12-24 20:00" --json'],
});
export type WhoFlags = FlagsOf<typeof who>;

export const show = command({
  name: 'show',
  description: 'the rotation as a table of shifts (six weeks by default)',
  flags: [
    schedule,
    text('--from <time>', 'first shift: the one containing this time (default: now)'),
    value('--weeks <n>', 'how many weeks to show (default: 6)', integer({ max: WEEKS.show.max })),
    json,
  ],
  examples: ['ir oncall show --schedule platform', 'ir oncall show --from 2026-12-01 --weeks 12'],
});
export type ShowFlags = FlagsOf<typeof show>;

export const next = command({
  name: 'next',
  description: "a person's next shifts, on every schedule and layer",
  args: [arg('<person>', 'a name from a roster (case-insensitive)')],
  flags: [
    schedule,
    text('--from <time>', 'look from this time (default: now)'),
    value('--count <n>', 'how many shifts (default: 3)', integer({ max: NEXT_COUNT.max })),
    json,
  ],
  examples: ['ir oncall next alice', 'ir oncall next bob --schedule platform --count 5'],
});
export type NextFlags = FlagsOf<typeof next>;

export const escalation = command({
  name: 'escalation',
  description: 'an escalation policy resolved to people: who is paged from which minute',
  args: [arg('[policy]', 'policy name or file base name (default: every policy)')],
  flags: [text('--at <time>', 'when the page fires (default: now)'), json],
  examples: ['ir oncall escalation', 'ir oncall escalation platform-critical --at "2026-12-25 03:00"'],
});
export type EscalationFlags = FlagsOf<typeof escalation>;

export const lint = command({
  name: 'lint',
  description:
    'check schedules and policies: small rotations, same person twice, back-to-back shifts, gaps, rotation_size',
  flags: [
    text('--from <time>', 'start of the window checked (default: now)'),
    value('--weeks <n>', 'length of the window checked (default: 26)', integer({ max: WEEKS.lint.max })),
    json,
  ],
  examples: ['ir oncall lint', 'ir oncall lint --weeks 52 --json'],
});
export type LintFlags = FlagsOf<typeof lint>;

export const report = command({
  name: 'report',
  description:
    'per person for a month or period: hours, nights, weekends, holidays, pages, pay, time in lieu, and how fairly the load was spread',
  flags: [
    text('--month <YYYY-MM>', 'the month (default: this month)'),
    text('--from <time>', "start of the period, in the schedule's zone (instead of --month)"),
    text('--to <time>', 'end of the period, exclusive (with --from)'),
    schedule,
    json,
  ],
  examples: [
    'ir oncall report',
    'ir oncall report --month 2026-11 --schedule platform --json',
    'ir oncall report --from 2026-10-01 --to 2027-01-01',
  ],
});
export type ReportFlags = FlagsOf<typeof report>;

export const exportIcs = command({
  name: 'export',
  description: 'shifts as an RFC 5545 calendar on stdout: ir oncall export --ics > oncall.ics',
  flags: [
    bool('--ics', 'iCalendar output (the only format)'),
    schedule,
    text('--person <name>', "only this person's shifts"),
    text('--from <time>', 'from the shift containing this time (default: now)'),
    value('--weeks <n>', 'how many weeks ahead (default: 26)', integer({ max: WEEKS.export.max })),
  ],
  examples: ['ir oncall export --ics > oncall.ics', 'ir oncall export --ics --person alice --weeks 8 > alice.ics'],
});
export type ExportFlags = FlagsOf<typeof exportIcs>;

export const override = command({
  name: 'override',
  description: 'write an override into a schedule file (comments and formatting kept)',
  args: [arg('<schedule>', 'schedule name or path', { complete: 'schedule' })],
  flags: [
    text('--person <name>', 'who takes over'),
    text('--from <time>', 'start of the override'),
    text('--to <time>', 'end of the override (exclusive)'),
    text('--replace <name>', 'only where this person is on call'),
    choices('--layer <layer>', 'which layer (default: primary, or wherever --replace is)', ['primary', 'secondary']),
    text('--reason <text>', 'why (kept in the file)'),
    bool('--dry-run', 'check and show the override without writing it'),
    json,
  ],
  examples: [
    'ir oncall override platform --person bob --from "2026-11-27 09:00" --to "2026-11-28 09:00" --replace alice',
    'ir oncall override platform --person carol --from 2026-12-24 --to 2026-12-27 --layer secondary --dry-run',
  ],
});
export type OverrideFlags = FlagsOf<typeof override>;

export const timeoffAdd = command({
  name: 'add',
  description: "write a person's time off into the schedule files they are on (comments and formatting kept)",
  args: [arg('<person>', 'who is away (a name from a roster, case-insensitive)')],
  flags: [
    text('--from <time>', 'start of the time off'),
    text('--to <time>', 'end of the time off (exclusive)'),
    schedule,
    text('--reason <text>', 'why (kept in the file), e.g. holiday'),
    bool('--dry-run', 'check and show the entry without writing it'),
    json,
  ],
  examples: [
    'ir oncall timeoff add alice --from 2026-12-24 --to 2026-12-28 --reason holiday',
    'ir oncall timeoff add bob --from "2026-12-01 09:00" --to "2026-12-02 09:00" --schedule platform --dry-run',
  ],
});
export type TimeoffAddFlags = FlagsOf<typeof timeoffAdd>;

export const swap = command({
  name: 'swap',
  description: "trade shifts: <other> takes <person>'s shift at --shift, <person> takes <other>'s next one (one edit)",
  args: [arg('<person>', 'who gives a shift away'), arg('<other>', 'who takes it, and gives one back')],
  flags: [
    text('--shift <time>', "a time inside <person>'s shift"),
    text(
      '--back <time>',
      "a time inside <other>'s shift that <person> takes (default: <other>'s next shift on that layer)",
    ),
    schedule,
    choices('--layer <layer>', 'which layer (default: the one <person> holds at --shift)', ['primary', 'secondary']),
    text('--reason <text>', 'why (kept in the file)'),
    bool('--dry-run', 'check and show the two overrides without writing them'),
    json,
  ],
  examples: [
    'ir oncall swap alice bob --shift 2026-12-22',
    'ir oncall swap alice bob --shift 2026-12-22 --back 2027-01-05 --schedule platform --dry-run --json',
  ],
});
export type SwapFlags = FlagsOf<typeof swap>;

export const diff = command({
  name: 'diff',
  description:
    'what a change to the schedule files does to people: per person, shifts gained and lost (exit 1 when any)',
  flags: [
    text('--base <rev>', 'the git revision to compare with (default: HEAD)', { env: 'IR_ONCALL_BASE' }),
    schedule,
    text('--from <time>', 'start of the window compared (default: now)'),
    value('--weeks <n>', 'length of the window compared (default: 4)', integer({ max: WEEKS.diff.max })),
    json,
  ],
  examples: ['ir oncall diff', 'ir oncall diff --base main --weeks 8 --json'],
});
export type DiffFlags = FlagsOf<typeof diff>;

export const cover = command({
  name: 'cover',
  description:
    "who should cover a person's on-call time: ranked by hours carried in the weeks before (nights and weekends weigh more)",
  args: [arg('<person>', 'who needs cover (a name from a roster, case-insensitive)')],
  flags: [
    text('--from <time>', 'start of the time to cover'),
    text('--to <time>', 'end of the time to cover (exclusive)'),
    schedule,
    value(
      '--weeks <n>',
      'how many weeks before --from count towards the load (default: 8)',
      integer({ max: WEEKS.cover.max }),
    ),
    bool('--suggest', 'rank the candidates (what cover does without --apply)'),
    bool('--apply', 'write overrides for the first candidate (or --with)'),
    text('--with <name>', 'with --apply: this candidate instead of the first'),
    bool('--dry-run', 'with --apply: check and show the overrides without writing them'),
    json,
  ],
  examples: [
    'ir oncall cover alice --from 2026-12-24 --to 2026-12-28 --suggest',
    'ir oncall cover alice --from 2026-12-24 --to 2026-12-28 --apply --with bob --dry-run --json',
  ],
});
export type CoverFlags = FlagsOf<typeof cover>;

export const handoff = command({
  name: 'handoff',
  description:
    'the handoff notice: who hands over to whom and when, open incidents, incidents of the last shift, action items due, budget verdicts',
  flags: [
    schedule,
    text('--at <time>', 'a time in the shift to describe (default: now, the shift that just began)'),
    bool('--notify', 'post the notice to the channels in ir.yaml that hear handoff (chat channels and webhooks)'),
    json,
  ],
  examples: ['ir oncall handoff', 'ir oncall handoff --schedule platform --notify', 'ir oncall handoff --json'],
});
export type HandoffFlags = FlagsOf<typeof handoff>;

export const oncallCommands = group(
  'oncall',
  'on-call rotations and escalation from the YAML files in schedules/ (see docs/oncall.md)',
  [
    runs(who, () => import('./who.js')),
    runs(show, () => import('./show.js')),
    runs(next, () => import('./next.js')),
    runs(escalation, () => import('./escalation.js')),
    runs(lint, () => import('./lint.js')),
    runs(report, () => import('./report.js')),
    runs(exportIcs, () => import('./export.js')),
    runs(override, () => import('./override.js')),
    runs(swap, () => import('./swap.js')),
    runs(diff, () => import('./diff.js')),
    runs(cover, () => import('./cover.js')),
    runs(handoff, () => import('./handoff.js')),
    group('timeoff', 'time off (PTO, holidays) in the schedule files', [
      runs(timeoffAdd, () => import('./timeoff-add.js')),
    ]),
  ],
);
