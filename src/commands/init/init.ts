/** `ir init [dir]`: asks the decision-framework questions (or takes flags), writes the repository. */
import { resolve } from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, FlagError, UsageError } from '../../errors.js';
import type { InitAnswers } from '../../init/profile.js';
import { initOpsRepo, type InitResult } from '../../init/service.js';
import { isValidTimeZone, systemTimeZone } from '../../time/instant.js';
import { inquirerPrompter } from '../../ui/prompt.js';
import type { Parser } from '../spec.js';
import { INCIDENTS_PER_MONTH, TEAM_SIZE, type InitFlags } from './spec.js';

const DEFAULTS: InitAnswers = { teamSize: 5, incidentsPerMonth: 2, regulated: false };

export async function run(ctx: Context, flags: InitFlags, dir?: string): Promise<number> {
  const timeZone = flags.timezone ?? (ctx.env.TZ && isValidTimeZone(ctx.env.TZ) ? ctx.env.TZ : systemTimeZone());
  if (!isValidTimeZone(timeZone))
    throw new UsageError(`--timezone: unknown zone "${timeZone}"; expected an IANA name such as Europe/Berlin`);
  const members = flags.members
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (members && members.length < 2)
    throw new UsageError('--members: a rotation needs at least two people, e.g. --members alice,bob,carol');
  // People are told apart regardless of case (as ir oncall finds them), so "alice,Alice" is one person.
  const twice = members?.find((m, i) => members.findIndex((n) => n.toLowerCase() === m.toLowerCase()) !== i);
  if (twice !== undefined)
    throw new UsageError(
      `--members: "${twice}" is listed twice; expected each person once, e.g. --members alice,bob,carol`,
    );

  const result = initOpsRepo({
    dir: resolve(ctx.cwd, dir ?? '.'),
    answers: await answers(ctx, flags),
    profile: flags.profile,
    members,
    timeZone,
    force: Boolean(flags.force),
    now: ctx.now(),
  });
  if (flags.json) ctx.out.json(result);
  else render(ctx, result);
  return ExitCode.ok;
}

/** From flags; on a terminal the missing ones are asked; with --yes they take the defaults. */
async function answers(ctx: Context, flags: InitFlags): Promise<InitAnswers> {
  const given = {
    teamSize: flags.teamSize,
    incidentsPerMonth: flags.incidentsPerMonth,
    regulated: flags.regulated,
  };
  if (flags.yes) return { ...DEFAULTS, ...defined(given) };
  const missing = Object.entries(given).filter(([, v]) => v === undefined);
  if (missing.length === 0) return given as InitAnswers;
  if (!ctx.interactive) {
    const flag = {
      teamSize: '--team-size N',
      incidentsPerMonth: '--incidents-per-month N',
      regulated: '--regulated or --no-regulated',
    };
    throw new UsageError(
      `ir init needs ${andList(missing.map(([k]) => flag[k as keyof typeof flag]))} without a terminal`,
      'pass --team-size N --incidents-per-month N and --regulated or --no-regulated, or --yes for the defaults (5 engineers, 2 incidents a month, not regulated)',
    );
  }
  const ask = await inquirerPrompter();
  // An answer is read as its flag's value is (no team of 0), and asked again until it is one.
  const number = async (message: string, dflt: number, parse: Parser<number>, flag: string) => {
    for (;;) {
      const text = (await ask.input(message, String(dflt))).trim();
      try {
        return parse(text, flag);
      } catch (e) {
        if (!(e instanceof FlagError)) throw e;
        ctx.out.warn(e.detail);
      }
    }
  };
  return {
    teamSize:
      given.teamSize ??
      (await number('How many engineers are in the team?', DEFAULTS.teamSize, TEAM_SIZE, '--team-size')),
    incidentsPerMonth:
      given.incidentsPerMonth ??
      (await number(
        'About how many incidents in a month?',
        DEFAULTS.incidentsPerMonth,
        INCIDENTS_PER_MONTH,
        '--incidents-per-month',
      )),
    regulated: given.regulated ?? (await ask.confirm('Is the team regulated (answers to auditors)?', false)),
  };
}

/** `a`, `a and b`, `a, b and c`. */
function andList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function render(ctx: Context, r: InitResult): void {
  const c = ctx.out.color;
  ctx.out.line(`Set up an ops repository in ${r.dir}: the ${c.bold(r.profile)} profile`);
  for (const reason of r.reasons) ctx.out.line(`  because ${reason}`);
  ctx.out.line();
  const width = Math.max(...r.files.map((f) => f.path.length));
  for (const f of r.files)
    ctx.out.line(`  ${f.replaced ? 'replaced' : 'created '}  ${f.path.padEnd(width)}  ${f.purpose}`);
  ctx.out.line();
  ctx.out.line('Next:');
  if (r.members[0]?.startsWith('Engineer ')) ctx.out.line('  put your team’s names in schedules/rotation.yaml');
  ctx.out.line('  ir oncall who          who is on call now');
  ctx.out.line('  ir runbook lint        check the runbooks');
  ctx.out.line('  ir config              the settings ir reads');
}
