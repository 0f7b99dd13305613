/**
 * `ir init`: writes a new ops repository — all of it or nothing, and never over a file that is
 * already there unless asked (--force).
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../errors.js';
import { localDay } from '../time/instant.js';
import { HANDOFF_HOUR, opsRepoFiles, placeholderMembers, type InitFile } from './files.js';
import { chooseProfile, SETTINGS, type InitAnswers, type Profile } from './profile.js';

export interface InitRequest {
  dir: string;
  answers: InitAnswers;
  /** Overrides the profile the answers choose. */
  profile?: Profile;
  members?: string[];
  timeZone: string;
  force: boolean;
  now: Date;
}

export interface InitResult {
  dir: string;
  profile: Profile;
  reasons: string[];
  answers: InitAnswers;
  members: string[];
  files: { path: string; purpose: string; replaced: boolean }[];
}

export function initOpsRepo(req: InitRequest): InitResult {
  const choice = chooseProfile(req.answers);
  const profile = req.profile ?? choice.profile;
  const reasons = req.profile && req.profile !== choice.profile ? [`--profile ${req.profile}`] : choice.reasons;
  const members = req.members?.length
    ? req.members
    : placeholderMembers(Math.max(2, Math.min(SETTINGS[profile].rotationSize, req.answers.teamSize)));
  const files = opsRepoFiles({
    answers: req.answers,
    profile,
    reasons,
    timeZone: req.timeZone,
    members,
    start: mondayOf(req.now, req.timeZone),
    today: localDay(req.now, req.timeZone),
  });

  if (existsSync(req.dir) && !statSync(req.dir).isDirectory())
    throw new UsageError(`ir init: ${req.dir} is a file; expected a directory (new or existing)`);
  const present = files.filter((f) => existsSync(join(req.dir, f.path)));
  if (present.length > 0 && !req.force) {
    throw new UsageError(
      `ir init: ${present.map((f) => f.path).join(', ')} already exist in ${req.dir}; nothing was written`,
      'pass --force to replace them, or run ir init in a new directory',
    );
  }
  writeAll(req.dir, files);
  return {
    dir: req.dir,
    profile,
    reasons,
    answers: req.answers,
    members,
    files: files.map((f) => ({ path: f.path, purpose: f.purpose, replaced: present.includes(f) })),
  };
}

/**
 * Each file is written beside its place and renamed into it; if one fails, the files this run
 * created are removed again, so a failed init leaves the directory as it was (a replaced file,
 * with --force, stays replaced).
 */
function writeAll(dir: string, files: InitFile[]): void {
  const created: string[] = [];
  const madeDirs: string[] = [];
  try {
    for (const f of files) {
      const target = join(dir, f.path);
      const parent = dirname(target);
      if (!existsSync(parent)) {
        mkdirSync(parent, { recursive: true });
        madeDirs.push(parent);
      }
      const existed = existsSync(target);
      const tmp = `${target}.ir-init-${process.pid}`;
      writeFileSync(tmp, f.content, { flag: 'wx' });
      renameSync(tmp, target);
      if (!existed) created.push(target);
    }
  } catch (e) {
    for (const p of created) rmSync(p, { force: true });
    for (const d of madeDirs.reverse()) rmSync(d, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(
      `ir init: cannot write in ${dir}: ${err.code ?? err.message}; nothing was kept`,
      `check that ${relative(process.cwd(), dir) || '.'} is writable`,
    );
  }
}

/**
 * The Monday (YYYY-MM-DD, in `zone`) of the rotation's first week: the last Monday whose
 * handoff (HANDOFF_HOUR, local) is not after `now`, so someone is on call from the moment the files
 * are written (on a Monday before the handoff, that is the Monday a week earlier).
 */
export function mondayOf(now: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  let back = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!);
  if (back === 0 && Number(parts.hour) < HANDOFF_HOUR) back = 7;
  const day = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - back));
  return day.toISOString().slice(0, 10);
}
