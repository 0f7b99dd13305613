import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tests of incidents, runbook runs, learning and import, run a second time on a
 * team database: the `postgres` project points every `ir` they start at PostgreSQL
 * (test/helpers/postgres-project.ts).
 */
const ON_POSTGRES = [
  'test/e2e/incident.test.ts',
  'test/e2e/incident-edit.test.ts',
  'test/e2e/incident-use.test.ts',
  'test/e2e/incident-search.test.ts',
  'test/e2e/incident-checklist.test.ts',
  'test/e2e/incident-notify.test.ts',
  'test/e2e/incident-secrets.test.ts',
  'test/e2e/channels.test.ts',
  'test/e2e/learning.test.ts',
  'test/e2e/import-record.test.ts',
  'test/e2e/import-again.test.ts',
  'test/e2e/runbook-incident.test.ts',
  'test/e2e/runbook.test.ts',
  'test/e2e/runbook-from-alert.test.ts',
];

export default defineConfig({
  test: {
    // End-to-end tests spawn the built binary and real servers; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
    // In CI, also write a machine-readable summary; .ci/run prints its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ON_POSTGRES,
          // Every ir process here also loads the PostgreSQL driver and connects.
          testTimeout: 60_000,
          globalSetup: ['test/helpers/postgres-project.ts'],
          setupFiles: ['test/helpers/postgres-project-setup.ts'],
        },
      },
    ],
  },
});
