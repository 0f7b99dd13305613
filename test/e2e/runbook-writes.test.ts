/**
 * Commands that look like reads but write a file or run a command (awk `print >`, sed `w`, curl
 * `-sSfo`, `git -c core.pager=…`, `printf -v 'a[$(…)]'` …), and variable values that would turn
 * into options or commands: unattended, none of them runs, and no file appears.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIr, tempDir } from '../helpers/cli.js';

const tmp = tempDir('ir-rb-writes-');
afterAll(() => tmp.cleanup());
const out = join(tmp.dir, 'out');

const WRITERS = [
  `awk 'BEGIN { print "x" > "${out}/awk1" }'`,
  `awk 'BEGIN { system("touch ${out}/awk2") }'`,
  `awk 'BEGIN { "touch ${out}/awk3" | getline x }'`,
  `sed -n 'w ${out}/sed1' /etc/hostname`,
  `sed 's/.*/x/w ${out}/sed2' /etc/hostname`,
  `sed '1e touch ${out}/sed3' /etc/hostname`,
  `uniq /etc/hostname ${out}/uniq1`,
  `xxd /etc/hostname | xxd -r - ${out}/xxd1`,
  `openssl rand -out ${out}/ossl1 8`,
  `git -c core.pager='touch ${out}/git1' -P log -1 >/dev/null 2>&1 || true`,
  `git log -1 --output=${out}/git2 2>/dev/null || true`,
  `trap 'touch ${out}/trap1' EXIT`,
  `hash -p /usr/bin/touch ls; ls ${out}/hash1`,
  `printf -v 'a[$(touch ${out}/printf1)0]' x`,
  `curl -sSfo ${out}/curl1 file:///etc/hostname`,
  `curl -so${out}/curl2 file:///etc/hostname`,
  `curl -s -D ${out}/curl3 file:///etc/hostname`,
  `curl -s --trace-ascii ${out}/curl4 file:///etc/hostname`,
  `wget -q -o ${out}/wget1 --spider http://127.0.0.1:9/ || true`,
];

beforeAll(() => {
  mkdirSync(out, { recursive: true });
  const steps = WRITERS.map((c) => '```bash\n' + c + '\n```\n').join('\n');
  writeFileSync(join(tmp.dir, 'writers.md'), `# Writers\n\n## Diagnosis\n\n${steps}`);
  writeFileSync(
    join(tmp.dir, 'vars.md'),
    '# Vars\n\n## Diagnosis\n\n```bash\ncurl -s $URL\n```\n\n```bash\n[[ "$COUNT" -gt 5 ]] && echo many || echo few\n```\n',
  );
  writeFileSync(
    join(tmp.dir, 'bashenv.md'),
    `---\nvariables:\n  BASH_ENV: {default: ${out}/evil.sh}\n---\n# Env\n\n## Diagnosis\n\n\`\`\`bash\necho hi\n\`\`\`\n`,
  );
  writeFileSync(join(out, 'evil.sh'), `touch ${out}/bashenv1\n`);
  writeFileSync(join(tmp.dir, 'ir.yaml'), 'runbooks:\n  dir: .\n');
});

const env = () => ({ IR_DB: join(tmp.dir, 'ir.db'), XDG_CACHE_HOME: join(tmp.dir, 'cache'), CI: '1' });
const written = () => readdirSync(out).filter((f) => f !== 'evil.sh');

describe('unattended, commands that write are skipped', () => {
  it('each step is skipped with a reason and no file appears', () => {
    const r = runIr(['runbook', 'writers.md', '--yes', '--json'], { env: env(), cwd: tmp.dir, timeoutMs: 60_000 });
    const steps = (JSON.parse(r.stdout) as { steps: { status: string; effect: string; effectReason: string }[] }).steps;
    expect(steps).toHaveLength(WRITERS.length);
    for (const [i, s] of steps.entries()) {
      expect(s.status, WRITERS[i]).toBe('skipped');
      expect(s.effect, WRITERS[i]).not.toBe('reads');
    }
    expect(written()).toEqual([]);
  });
});

describe('variable values are data, never options or commands', () => {
  it.each([
    ['URL=-o' + '/tmp/x file:///etc/hostname', 'URL'],
    ['URL=x file:///etc/hostname', 'URL'],
    [`COUNT=a[$(touch ${join(tmp.dir, 'out', 'count1')})0]`, 'COUNT'],
  ])('--var %s is refused (exit 2) before any step runs', (v, name) => {
    const other = name === 'URL' ? 'COUNT=1' : 'URL=file:///etc/hostname';
    const r = runIr(['runbook', 'vars.md', '--yes', '--var', v, '--var', other], {
      env: env(),
      cwd: tmp.dir,
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--var ${name}`);
    expect(r.stderr).toContain('accepted:');
    expect(written()).toEqual([]);
  });

  it('accepted values run', () => {
    const r = runIr(['runbook', 'vars.md', '--yes', '--var', 'URL=file:///etc/hostname', '--var', 'COUNT=7'], {
      env: env(),
      cwd: tmp.dir,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('pass');
  });

  it('a front-matter default may not set BASH_ENV', () => {
    const r = runIr(['runbook', 'bashenv.md', '--yes'], { env: env(), cwd: tmp.dir, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BASH_ENV (front-matter default): refused');
    expect(existsSync(join(out, 'bashenv1'))).toBe(false);
  });
});
