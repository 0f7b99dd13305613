/** Credentials typed into an incident never reach the database or any output (through the built binary). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

const TOKEN = 'ghp_R4nd0mT0kenV4lue9876543210abcd';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig';

let tmp: { dir: string; cleanup: () => void };
let env: Record<string, string>;
const ir = (args: string[], input?: string) => runIr(args, { cwd: tmp.dir, env, input });

beforeEach(() => {
  tmp = tempDir('ir-secrets-');
  writeFileSync(join(tmp.dir, 'ir.yaml'), '');
  env = { IR_DB: join(tmp.dir, 'ir.db'), IR_USER: 'alice', GITHUB_TOKEN: TOKEN };
  expect(ir(['declare', '--title', 'API slow', '--sev', '3']).code).toBe(0);
});
afterEach(() => tmp.cleanup());

/** Every byte of the state database, WAL included. */
function database(): string {
  let all = '';
  for (const f of ['ir.db', 'ir.db-wal']) {
    try {
      all += readFileSync(join(tmp.dir, f), 'latin1');
    } catch {
      // no WAL after a checkpoint
    }
  }
  return all;
}

describe('credentials in the incident record', () => {
  it('a token typed into ir incident log is masked before it is stored or printed', () => {
    const logged = ir([
      'incident',
      'log',
      'INC-1',
      `ran curl -H "Authorization: Bearer ${BEARER}" with ${TOKEN}; PGPASSWORD=hunter2hunter2 psql`,
      '--json',
    ]);
    expect(logged.code, logged.stderr).toBe(0);
    const entry = JSON.parse(logged.stdout);
    expect(entry.text).toBe('ran curl -H "Authorization: Bearer ******" with ******; PGPASSWORD=****** psql');

    const outputs = [
      logged,
      ir(['incident', 'show', 'INC-1']),
      ir(['incident', 'show', 'INC-1', '--json']),
      ir(['incident', 'timeline', 'INC-1', '--markdown']),
    ];
    for (const out of outputs) {
      expect(out.code, out.stderr).toBe(0);
      for (const secret of [TOKEN, BEARER, 'hunter2hunter2']) expect(out.stdout + out.stderr).not.toContain(secret);
    }
    for (const secret of [TOKEN, BEARER, 'hunter2hunter2']) expect(database()).not.toContain(secret);
  });

  it('amendments, edits and the resolution are masked too, old and new values alike', () => {
    const log = ir(['incident', 'log', 'INC-1', 'pool at 98/100', '--json']);
    const id = JSON.parse(log.stdout).id as number;
    expect(ir(['incident', 'log', 'INC-1', '--amend', String(id), `pool full; token ${TOKEN}`]).code).toBe(0);
    expect(ir(['incident', 'edit', 'INC-1', '--root-cause', `leaked ${TOKEN} in a URL`]).code).toBe(0);
    const resolved = ir([
      'incident',
      'resolve',
      'INC-1',
      '--mitigation',
      'rotated postgres://svc:S3cr3tPassw0rd@db/app',
      '--json',
    ]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const shown = ir(['incident', 'show', 'INC-1', '--json']);
    const all = resolved.stdout + shown.stdout + database();
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('S3cr3tPassw0rd');
    expect(JSON.parse(shown.stdout)).toMatchObject({
      rootCause: 'leaked ****** in a URL',
      mitigation: 'rotated postgres://svc:******@db/app',
    });
  });

  it('imported history is masked the same way', () => {
    const row = {
      title: 'Deploy failed',
      severity: 3,
      startedAt: '2026-10-01T10:00:00Z',
      detectedAt: '2026-10-01T10:00:00Z',
      rootCause: `CI used ${TOKEN}`,
      timeline: [{ at: '2026-10-01T10:01:00Z', text: `curl -H "Authorization: Bearer ${BEARER}"` }],
    };
    const r = ir(['incident', 'import', '-', '--format', 'jsonl'], `${JSON.stringify(row)}\n`);
    expect(r.code, r.stderr).toBe(0);
    const shown = ir(['incident', 'show', 'INC-2', '--json']);
    expect(JSON.parse(shown.stdout).rootCause).toBe('CI used ******');
    for (const secret of [TOKEN, BEARER]) expect(shown.stdout + database()).not.toContain(secret);
    // Importing the same file again recognises the incident (its identity is taken before masking).
    expect(ir(['incident', 'import', '-', '--format', 'jsonl'], `${JSON.stringify(row)}\n`).stdout).toMatch(
      /skipped 1|1 skipped|already/,
    );
  });
  it('stakeholder and public updates and action items are masked too, a token known by its shape alike', () => {
    // Not in the environment: recognised by its prefix, as a PostgreSQL URL's password by its place.
    const gitlab = 'glpat-Xy7Zq2Wv9Lm4Np8Rt1Sd';
    const url = 'postgres://svc:S3cr3tPassw0rd@db/app';
    const update = ir(['incident', 'update', 'INC-1', '--message', `rotated ${url}`, '--public', `we saw ${gitlab}`]);
    expect(update.code, update.stderr).toBe(0);
    const action = ir([
      'action',
      'add',
      'INC-1',
      `revoke ${gitlab} and ${TOKEN}`,
      '--owner',
      'bob',
      '--due',
      'in 7 days',
    ]);
    expect(action.code, action.stderr).toBe(0);
    expect(action.stdout).toContain('revoke ****** and ******');
    const outputs = [update, action, ir(['action', 'list', '--json']), ir(['incident', 'show', 'INC-1', '--json'])];
    for (const secret of [gitlab, 'S3cr3tPassw0rd', TOKEN]) {
      for (const out of outputs) expect(out.stdout + out.stderr).not.toContain(secret);
      expect(database()).not.toContain(secret);
    }
  });
});
