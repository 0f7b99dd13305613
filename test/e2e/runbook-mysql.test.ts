/**
 * mysql steps unattended: only what the MySQL judge finds to be reads runs. A stand-in `mysql` on
 * PATH records every call, so a step that writes (`SELECT 1; DROP TABLE t`, `system …`) is shown
 * never to start, while a read does.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

const tmp = tempDir('ir-rb-mysql-');
afterAll(() => tmp.cleanup());
const bin = join(tmp.dir, 'bin');
const calls = join(tmp.dir, 'calls');
const fence = (body: string) => '```bash\n' + body + '\n```\n';

const STEPS = [
  `mysql -e 'SELECT 1; DROP TABLE t'`,
  `mysql --execute='DELETE FROM t'`,
  `mysql -e 'SELECT 1' -e 'TRUNCATE t'`,
  `mysql -e "SELECT * FROM t INTO DUMPFILE '/tmp/x'"`,
  `mysql -e 'system touch /tmp/x'`,
  `mysql --tee=/tmp/x -e 'SELECT 1'`,
  `mysql -e 'SELECT bump_counter()'`,
  `mysql -e 'SHOW FULL PROCESSLIST'`,
];

beforeAll(() => {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'mysql'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\necho ok\n`);
  chmodSync(join(bin, 'mysql'), 0o755);
  writeFileSync(join(tmp.dir, 'ir.yaml'), 'runbooks:\n  dir: .\n');
  writeFileSync(join(tmp.dir, 'db.md'), `# DB\n\n## Diagnosis\n\n${STEPS.map(fence).join('\n')}`);
});

describe('unattended mysql steps', () => {
  it('run only when every statement reads; the others are skipped with the reason', () => {
    const r = runIr(['runbook', 'db.md', '--yes', '--json'], {
      env: {
        IR_DB: join(tmp.dir, 'ir.db'),
        XDG_CACHE_HOME: join(tmp.dir, 'cache'),
        CI: '1',
        PATH: `${bin}:${process.env.PATH ?? ''}`,
      },
      cwd: tmp.dir,
      timeoutMs: 60_000,
    });
    const steps = (JSON.parse(r.stdout) as { steps: { status: string; effect: string; effectReason: string }[] }).steps;
    expect(steps).toHaveLength(STEPS.length);
    for (const [i, s] of steps.slice(0, -1).entries()) {
      expect(s.status, STEPS[i]).toBe('skipped');
      expect(s.effect, STEPS[i]).not.toBe('reads');
    }
    expect(steps[0]!.effectReason).toContain('DROP changes the database');
    expect(steps.at(-1)!.status).toBe('pass');
    // The stand-in ran once: for the read.
    expect(existsSync(calls)).toBe(true);
    expect(readFileSync(calls, 'utf8')).toBe('-e SHOW FULL PROCESSLIST\n');
  });
});
