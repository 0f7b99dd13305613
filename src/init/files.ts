/**
 * The files `ir init` writes for a new ops repository, as text: ir.yaml (with the chosen profile
 * explained), a runbook template and a worked example, an on-call rotation and an escalation
 * policy. Pure: the answers, the profile and `now` in; paths relative to the repository and their
 * contents out, so tests read exactly what would be written.
 */
import { SETTINGS, type InitAnswers, type Profile } from './profile.js';

/** The hour (local, before noon) of the weekly Monday handoff in the rotation `ir init` writes. */
export const HANDOFF_HOUR = 10;

export interface InitFile {
  path: string;
  content: string;
  /** What it is, for the summary ir prints. */
  purpose: string;
}

export interface InitPlan {
  answers: InitAnswers;
  profile: Profile;
  reasons: string[];
  timeZone: string;
  /** The rotation's people; placeholders when none were given. */
  members: string[];
  /** The Monday the rotation's week 1 begins (YYYY-MM-DD). */
  start: string;
  /** The day the files are written (YYYY-MM-DD, in the team's zone): the worked example's review date. */
  today: string;
}

export function opsRepoFiles(plan: InitPlan): InitFile[] {
  return [
    { path: 'ir.yaml', content: irYaml(plan), purpose: `configuration (${plan.profile} profile)` },
    {
      path: 'runbooks/_template.md',
      content: RUNBOOK_TEMPLATE,
      purpose: 'a runbook to copy (not run: it starts with _)',
    },
    {
      path: 'runbooks/api-high-error-rate.md',
      content: workedExample(plan.today),
      purpose: 'a worked example runbook',
    },
    { path: 'schedules/rotation.yaml', content: rotationYaml(plan), purpose: 'the on-call rotation' },
    { path: 'schedules/escalation.yaml', content: escalationYaml(plan), purpose: 'the escalation policy' },
  ];
}

/** Placeholder names for a rotation of `n`, to be replaced with the team's. */
export function placeholderMembers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Engineer ${i + 1}`);
}

const SEV = (n: number) => `SEV-${n}`;

/** Structured and enterprise teams page through PagerDuty for the severities that wake people. */
const PAGING = `#  - name: pager
#    type: pagerduty                # trigger on declare, resolve on resolve; the incident id dedups
#    routing_key_env: IR_PAGERDUTY_ROUTING_KEY
#    severities: [SEV-1, SEV-2]
`;

function irYaml(plan: InitPlan): string {
  const s = SETTINGS[plan.profile];
  const cadence = Object.entries(s.updateCadence)
    .map(([sev, c]) => `    ${SEV(Number(sev))}: { due: ${c.due}m, overdue: ${c.overdue}m }`)
    .join('\n');
  const slos = s.slos
    .map((o) => `  - service: ${o.service}\n    objective: ${o.objective}\n    description: ${o.description}`)
    .join('\n');
  return `# ir.yaml: the settings ir reads for this ops repository (docs/ir.example.yaml in ir lists
# every key). Made by \`ir init\` for a team of ${plan.answers.teamSize} with about ${plan.answers.incidentsPerMonth} incidents a month${plan.answers.regulated ? ', regulated' : ''}.
#
# Profile: ${plan.profile}, from the incident-response guide's decision framework:
${plan.reasons.map((r) => `#   - ${r}`).join('\n')}
# What it means:
${s.summary.map((l) => `#   - ${l}`).join('\n')}

timezone: ${plan.timeZone}

runbooks:
  dir: runbooks
  step_timeout: 30s
  stale_after: 90d
  read_only_commands: [] # your own tools that only read (e.g. [check-health.sh]) may run unattended

schedules:
  dir: schedules

# Error-budget policy: warn above 80 % of the budget consumed, freeze releases above 100 %.
budget:
  window: 28d
  warning_at: 80
  freeze_at: 100

# Your services' SLOs: replace these with yours. \`ir budget\` reports on each.
slos:
${slos}

# Communication: how often stakeholders hear from the incident commander.
incidents:
  update_cadence:
${cadence}

# Where declarations, updates and resolutions go (docs/integrations.md in ir lists every kind and
# event). A channel names the environment variable holding its URL or key, so no secret sits in
# this file. To start: export the variable, replace [] with the lines below without their #, and
# check it with \`ir notify test incidents\`.
channels: []
#  - name: incidents
#    type: slack                    # or teams (a Workflows webhook), or webhook (JSON, signed)
#    url_env: IR_SLACK_WEBHOOK_URL
${plan.profile === 'lightweight' ? '' : PAGING}
# The learning loop: when an incident owes a postmortem, and the targets \`ir metrics\` checks.
learning:
  postmortem_required:
    severity: ${SEV(s.postmortemSeverity)}
    budget_percent: 20
    duration: ${s.postmortemAfterMinutes}m
    near_miss: true
  targets:
    mttd: 5m
    sev2_mttr: 60m
    postmortem_completion: 90%
    action_item_completion: 75%
    action_item_days: 30
    sev1_per_month: 3
`;
}

function rotationYaml(plan: InitPlan): string {
  const m = plan.members;
  const weeks = (names: string[]) => names.map((n, i) => `    - week_${i + 1}: ${yamlString(n)}`).join('\n');
  const offset = Math.floor(m.length / 2);
  const secondary = SETTINGS[plan.profile].secondary && m.length >= 2;
  const shifted = [...m.slice(offset), ...m.slice(0, offset)];
  return `# The on-call rotation: weekly shifts handed over on Monday at ${HANDOFF_HOUR}:00 in the zone below.
# Replace the names with your team's, then check it with \`ir oncall lint\` and see it with
# \`ir oncall show\`. docs/oncall.md in ir describes every key.
timezone: ${plan.timeZone}
start: ${plan.start}

shift_length: 1 week
handoff_time: Monday ${HANDOFF_HOUR}am local time
escalation_delay: 15 minutes # escalate when the primary has not answered
schedule:
  primary_oncall:
${weeks(m)}
${secondary ? `  secondary_oncall: # offset by ${offset} weeks\n${weeks(shifted)}\n` : ''}`;
}

function escalationYaml(plan: InitPlan): string {
  const secondary = SETTINGS[plan.profile].secondary && plan.members.length >= 2;
  const levels = [
    `    - level: 1\n      timeout_minutes: 10\n      targets:\n        - type: schedule\n          name: "Primary On-Call"`,
    ...(secondary
      ? [
          `    - level: 2\n      timeout_minutes: 10\n      targets:\n        - type: schedule\n          name: "Secondary On-Call"`,
        ]
      : []),
    `    - level: ${secondary ? 3 : 2}\n      timeout_minutes: 15\n      targets:\n        - type: user\n          name: "Engineering Manager"`,
  ];
  return `# Who is paged, in order, when nobody answers (PagerDuty's shape). See it resolved to people
# with \`ir oncall escalation\`.
escalation_policy:
  name: "Engineering On-Call"
  repeat_count: 2
  levels:
${levels.join('\n')}
`;
}

/** A YAML scalar that stays a string (names such as "No" or "On" would not). */
function yamlString(s: string): string {
  return /^[A-Za-z][\w .'-]*$/.test(s) && !/^(yes|no|on|off|true|false|null|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

const RUNBOOK_TEMPLATE = `---
title: "Runbook: <what the alert means>"
alerts: [<alert_name>]
service: <service>
owner: <team>
last_reviewed: <YYYY-MM-DD>
variables:
  SERVICE_URL:
    default: https://service.internal
    description: Base URL of the service
---

# Runbook: <what the alert means>

Copy this file to a name of its own (without the leading _), fill it in, and check it with
\`ir runbook lint\`. The format: docs/runbook-format.md in ir.

## Trigger

Alert: \`<alert_name>\`
Threshold: <what fires it, for how long>
Severity: <usual severity, and when to raise it>

## Background

What the service does, what it depends on, and the usual causes of this alert.

## Diagnosis

### Step 1: <first check>

\`\`\`bash
curl -s "$SERVICE_URL/health"
# Expected: {"status": "healthy"}
\`\`\`

## Mitigation

### Option A: <cause>

\`\`\`bash
# the command that fixes it; ir asks before running it
\`\`\`

Success criteria: <what shows it worked>

## Escalation

Escalate to <team> after 15 minutes without progress.
`;

/**
 * A runbook that runs: the checks read, the options ask. Reviewed the day it is written, so
 * `ir runbook lint` calls it stale only once it has gone unreviewed as long as any other.
 */
const workedExample = (reviewed: string) => `---
title: "Runbook: API error rate above 5 % (api_error_rate_high)"
alerts: [api_error_rate_high]
service: api
owner: api-oncall
last_reviewed: ${reviewed}
variables:
  API_URL:
    default: https://api.internal
    description: Base URL of the API
  NAMESPACE:
    from_label: namespace
    default: production
    description: Kubernetes namespace of the API (with --from-alert, the alert's namespace label)
---

# Runbook: API error rate above 5 % (api_error_rate_high)

## Trigger

Alert: \`api_error_rate_high\`
Threshold: more than 5 % of requests answered 5xx for 5 minutes
Severity: SEV-2; SEV-1 when more than half of requests fail

## Background

The API answers every customer request. Errors usually come from a bad deploy, a dependency
that is down, or pods that are out of memory.

## Diagnosis

### Step 1: Is the API answering?

\`\`\`bash
curl -s -o /dev/null -w '%{http_code}' "$API_URL/health"
# Expected: 200
\`\`\`

### Step 2: Was there a deploy in the last hour?

\`\`\`bash
kubectl -n "$NAMESPACE" rollout history deployment/api
# Expected: contains: REVISION
\`\`\`

If the newest revision is less than an hour old, Option A is the likely fix.

### Step 3: Are pods restarting?

\`\`\`bash
kubectl -n "$NAMESPACE" get pods -l app=api
# Expected: contains: Running
\`\`\`

## Mitigation

### Option A: Roll back the last deploy

\`\`\`bash
kubectl -n "$NAMESPACE" rollout undo deployment/api
\`\`\`

Success criteria: error rate below 1 % within 5 minutes.

### Option B: Restart pods that are out of memory

\`\`\`bash
kubectl -n "$NAMESPACE" rollout restart deployment/api
\`\`\`

Success criteria: no pod restarted in the last 10 minutes; error rate below 1 %.

## Escalation

Escalate to the API team lead after 15 minutes without progress.
`;
