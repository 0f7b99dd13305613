/**
 * A run recorded by an older ir, before step output was masked, still shows no credential when it
 * is read back (`ir runbook runs --id N`).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedRun } from '../../src/runbook/service.js';
import { tempDir } from '../helpers/cli.js';
import { testContext } from '../helpers/context.js';

const tmp = tempDir('ir-recorded-mask-');
afterAll(() => tmp.cleanup());

describe('recorded runs are masked as they are read back', () => {
  it('credential shapes and the values of secret-named variables never come back in clear', async () => {
    const { ctx } = testContext({
      cwd: tmp.dir,
      env: { IR_DB: join(tmp.dir, 'ir.db'), DEPLOY_TOKEN: 'tok-3f9a8c7e1d' },
    });
    const store = await ctx.store();
    const id = await store.runbookRuns.record({
      runbook: 'db',
      title: 'DB',
      path: join(tmp.dir, 'db.md'),
      contentHash: 'x',
      actor: 'alice',
      mode: 'non-interactive',
      startedAt: '2026-12-05T10:00:00.000Z',
      finishedAt: '2026-12-05T10:00:01.000Z',
      passed: true,
      stopped: false,
      steps: [
        {
          id: 'conn',
          title: 'Connect',
          kind: 'diagnosis',
          command: 'PGPASSWORD=hunter2hunter psql postgres://app:s3cretpw@db:5432/app -c "select 1"',
          status: 'pass',
          exitCode: 0,
          durationMs: 10,
          stdout: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig\ntoken tok-3f9a8c7e1d',
          stderr: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          expected: null,
          reason: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
        },
      ],
    });
    const rec = await recordedRun(ctx, id);
    await ctx.close();
    const text = JSON.stringify(rec.steps);
    for (const secret of ['hunter2hunter', 's3cretpw', 'eyJhbGciOiJIUzI1NiJ9', 'tok-3f9a8c7e1d', 'wJalrXUtnFEMI'])
      expect(text, secret).not.toContain(secret);
    expect(rec.steps[0]!.command).toContain('psql');
  });
});
