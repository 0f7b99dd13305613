/** A worked example incident: login failures after deploy v2.3.4, 84 minutes, SEV-2. */
import type { PostmortemRecord } from '../../src/postmortem/template.js';

const at = (hhmm: string) => new Date(`2025-11-15T${hhmm}:00Z`);

export const loginFailureIncident: PostmortemRecord = {
  id: 'INC-42',
  title: 'Login failures after deploy v2.3.4',
  severity: 2,
  service: 'auth',
  impact: '15% of users unable to login',
  impactFraction: 0.15,
  startedAt: at('14:23'),
  detectedAt: at('14:27'),
  resolvedAt: at('15:47'),
  slo: { objective: 0.999, windowMinutes: 30 * 24 * 60 },
  timeline: [
    { at: at('14:18'), type: 'note', text: 'Deploy v2.3.4 begins' },
    { at: at('14:23'), type: 'started', text: 'Auth service response time increases (p99: 2s → 8s)' },
    { at: at('14:25'), type: 'note', text: 'First customer reports unable to login' },
    { at: at('14:27'), type: 'detected', text: 'Monitoring alert fires: auth_latency_high' },
    { at: at('14:29'), type: 'declared', text: 'Engineer A declares SEV-2, takes IC role' },
    { at: at('14:32'), type: 'finding', text: 'Database SME joins, identifies connection pool exhaustion' },
    { at: at('14:38'), type: 'decision', text: 'Decision: Roll back deploy vs. increase pool size' },
    { at: at('14:40'), type: 'action', text: 'Rollback initiated (IC decision)' },
    { at: at('14:47'), type: 'note', text: 'Rollback complete, latency returns to normal' },
    { at: at('15:05'), type: 'status', text: 'Monitoring confirms full recovery' },
    { at: at('15:47'), type: 'resolved', text: 'Incident closed' },
  ],
  actionItems: [
    {
      id: 'ACT-1',
      text: 'Add connection pool metrics to monitoring dashboard',
      owner: 'Engineer B',
      due: '2025-11-18',
      done: false,
      type: 'detective',
      priority: 'high',
    },
    {
      id: 'ACT-2',
      text: 'Add DB connection count check to load tests',
      owner: 'QA Lead',
      due: '2025-11-20',
      done: false,
      type: 'preventive',
    },
    {
      id: 'ACT-3',
      text: 'Require DB expertise on reviews for auth changes',
      owner: 'Team Lead',
      due: '2025-11-17',
      done: true,
      type: 'preventive',
    },
    {
      id: 'ACT-4',
      text: 'Document rollback procedure in runbook',
      owner: 'Engineer A',
      due: '2025-11-17',
      done: false,
      type: 'corrective',
    },
  ],
};

export const loginFailureNarrative = {
  whatHappened: [
    'The new auth code opened 50 DB connections per request instead of reusing',
    'a pool. Under normal load, this exhausted the database connection limit',
    'within 5 minutes of deploy.',
  ].join('\n'),
  contributingFactors: [
    '1. **Code review missed connection handling**: No reviewer had deep DB expertise',
    "2. **Load testing didn't catch it**: Staging environment capped at 10 concurrent users",
    '3. **Connection pool monitoring absent**: We tracked query time but not connection count',
    '4. **Deploy happened during peak hours**: Amplified impact',
  ].join('\n'),
  whatWentWell: [
    '- Monitoring detected the issue within 2 minutes',
    "- IC made rollback decision quickly (didn't chase other theories)",
    '- Clear communication to customer support team',
  ].join('\n'),
};
