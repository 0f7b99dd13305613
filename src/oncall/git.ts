/**
 * Schedule files as they were at a git revision (`git show <rev>:<path>`), for `ir oncall diff`.
 * Reads only: `git rev-parse`, `git ls-tree` and `git show`, never a command that changes the
 * repository.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, posix, relative } from 'node:path';
import type { Context } from '../context.js';
import { FlagError, UsageError, ValidationError } from '../errors.js';
import { parseOncallFile } from './file.js';
import { displayPath, listOncallFiles } from './service.js';
import type { CalendarRef, Schedule } from './types.js';

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError('git is not installed (or not on PATH); `ir oncall diff` reads earlier versions with it');
    throw r.error;
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** Every schedule in the schedules directory as it was at `rev`; policies are left out. */
export function schedulesAt(
  ctx: Context,
  rev: string,
  flag = '--base',
): {
  schedules: Schedule[];
  commit: string;
  /** A calendar a schedule refers to, as it was at the revision (relative to the schedule's file). */
  readCalendar: (s: Schedule, ref: CalendarRef) => string;
} {
  const { dir } = listOncallFiles(ctx);
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  if (!top.ok)
    throw new UsageError(
      `${displayPath(ctx, dir)} is not in a git repository; \`ir oncall diff\` compares with a git revision`,
    );
  if (rev.startsWith('-')) throw new FlagError(flag, `invalid revision "${rev}"; expected a branch, tag or commit`);
  const verified = git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (!verified.ok)
    throw new FlagError(
      flag,
      `unknown revision "${rev}" in the repository at ${top.stdout.trim()}; expected a branch, tag or commit (e.g. main, HEAD~1)`,
    );
  const commit = verified.stdout.trim();
  const root = top.stdout.trim();
  const sub = relative(root, dir).split('\\').join('/');
  const listed = git(root, ['ls-tree', '-r', '--name-only', commit, '--', sub === '' ? '.' : `${sub}/`]);
  if (!listed.ok) throw new UsageError(`git ls-tree failed: ${listed.stderr.trim()}`);
  const schedules: Schedule[] = [];
  const pathOf = new Map<string, string>();
  const problems: string[] = [];
  for (const path of listed.stdout.split('\n').filter(Boolean)) {
    const rest = sub === '' ? path : path.slice(sub.length + 1);
    if (rest.includes('/') || rest.startsWith('.') || !['.yaml', '.yml'].includes(extname(rest))) continue;
    const shown = `${rev}:${path}`;
    const text = git(root, ['show', `${commit}:${path}`]);
    if (!text.ok) throw new UsageError(`git show ${shown} failed: ${text.stderr.trim()}`);
    try {
      const f = parseOncallFile(text.stdout, shown);
      if (f.kind === 'schedule') {
        schedules.push({ ...f.schedule, name: f.schedule.name });
        pathOf.set(shown, path);
      }
    } catch (e) {
      if (e instanceof ValidationError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length) throw new ValidationError(`invalid on-call files at ${rev}`, problems);
  const readCalendar = (s: Schedule, ref: CalendarRef): string => {
    if (isAbsolute(ref.path)) return readFileSync(ref.path, 'utf8');
    const at = posix.normalize(posix.join(posix.dirname(pathOf.get(s.file) ?? ''), ref.path.split('\\').join('/')));
    const shown = git(root, ['show', `${commit}:${at}`]);
    if (!shown.ok) throw new Error(`not in ${rev}: ${shown.stderr.trim().split('\n')[0]}`);
    return shown.stdout;
  };
  return { schedules, commit, readCalendar };
}
