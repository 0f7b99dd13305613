/** Values the incident commands share that need the context (past times, services) or are arguments. */
import type { Context } from '../../context.js';
import { misspeltKey } from '../../close-matches.js';
import { sloOfService } from '../../config/slos.js';
import { badFlag, FlagError, UsageError } from '../../errors.js';
import { incidentIdOrCurrent } from '../../incident/service.js';
import {
  isServiceName,
  parseIncidentId,
  parseRole,
  ROLE_FORMS,
  SERVICE_NAME_FORMS,
  type Role,
  type SeverityLevel,
} from '../../incident/model.js';
import { parseDuration } from '../../time/duration.js';
import { formatLocal, INSTANT_FORMS, parseInstant } from '../../time/instant.js';
import { instantFlag, severity } from '../options.js';

/** A time that has happened: `--at 14:32`, `10m ago`, ISO-8601. Future times are refused. */
export function pastInstantFlag(ctx: Context, flag: string, value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const tz = ctx.timeZone();
  const at = instantFlag(flag, value, now, tz);
  if (at.getTime() > now.getTime()) {
    const clockOnly = /^\d{1,2}:\d{2}(:\d{2})?$/.test(value.trim());
    throw new FlagError(
      flag,
      `${JSON.stringify(value)} is in the future (${formatLocal(at, tz)}; now is ${formatLocal(now, tz)})`,
      clockOnly
        ? 'a clock time means today; for yesterday write e.g. yesterday 23:50 (or the date: 2026-11-25 23:50)'
        : 'expected a past time such as 14:32, 10m ago or 2026-11-26T14:32:00Z',
    );
  }
  return at;
}

/**
 * `--service api`: the name an SLO in ir.yaml uses (`slos[].service`), so `ir budget
 * --from-incidents` and `ir incident show` can price the incident against it.
 */
export function serviceFlag(ctx: Context, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.trim();
  if (isServiceName(name)) return name;
  const configured = [...new Set(ctx.config().config.slos.map((s) => s.service))];
  const known = configured.length ? ` (services with an SLO in ir.yaml: ${configured.join(', ')})` : '';
  throw badFlag(flag, value, `${SERVICE_NAME_FORMS}, such as api${known}`);
}

/**
 * A service no SLO in ir.yaml is for, but one edit away from one that is (two for long names:
 * `apii` for `api`): most likely a typo, which would leave the incident out of that service's
 * error budget. Undefined otherwise (a service without an SLO is no mistake in itself).
 */
export function misspeltSloService(ctx: Context, service: string | null | undefined): string | undefined {
  if (!service) return undefined;
  const slos = ctx.config().config.slos;
  if (sloOfService(slos, service)) return undefined;
  return misspeltKey(
    service,
    slos.map((s) => s.service),
  );
}

export function severityFlag(flag: string, value: string): SeverityLevel {
  return severity(value, flag);
}

export function roleArg(value: string): Role {
  const role = parseRole(value);
  if (role === undefined) throw badFlag('<role>', value, ROLE_FORMS);
  return role;
}

/** `--since 30d` (that long ago) or a point in time. */
export function sinceFlag(ctx: Context, value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms !== undefined && ms > 0) return new Date(now.getTime() - ms);
  const at = parseInstant(value, now, ctx.timeZone());
  if (!at) throw badFlag('--since', value, `a duration such as 30d or 12h, or a time: ${INSTANT_FORMS}`);
  return at;
}

/**
 * `[id] <what…>`: the incident id in front may be left out when a current incident is set (`ir
 * incident use`). The id was given when there are more values than `names` (the arguments after
 * it, all required but the last with `optionalLast`) or when the first value cannot be one of
 * them — so `ir incident status mitigated` acts on the current incident, `ir incident status
 * INC-7 mitigated` on INC-7, `ir incident severity 2` sets SEV-2 on the current one, and
 * `ir incident status INC-7` says the status is missing. A first value that is neither (`ir
 * incident status resolvd`) is a mistyped value: `check` refuses it in the command's own words,
 * rather than it being taken for an id and the value said to be missing.
 */
export async function idAndArgs(
  ctx: Context,
  command: string,
  given: (string | undefined)[],
  names: string[],
  isValue: (first: string) => boolean,
  opts: { optionalLast?: boolean; check?: (first: string) => unknown } = {},
): Promise<{ id: string; rest: (string | undefined)[] }> {
  const values = given.filter((v): v is string => v !== undefined);
  const first = values[0];
  if (first !== undefined && values.length <= names.length && !isValue(first) && notAnId(first)) opts.check?.(first);
  const idGiven = values.length > names.length || (first !== undefined && !isValue(first));
  const rest = idGiven ? values.slice(1) : values;
  const required = opts.optionalLast ? names.length - 1 : names.length;
  if (rest.length < required) {
    const missing = names[rest.length]!;
    const example = `ir incident ${command}`;
    throw new UsageError(
      `${missing}: missing${idGiven ? ` after the incident id ${values[0]}` : ''}`,
      `e.g. ${example} INC-12 ${names.join(' ')} (or, with a current incident set by ir incident use: ${example} ${names.join(' ')})`,
    );
  }
  const id = await incidentIdOrCurrent(ctx, idGiven ? values[0] : undefined);
  return { id, rest: [...rest, ...Array<undefined>(names.length - rest.length).fill(undefined)] };
}

/** A value that is not an incident id (a person's name), for `idAndArgs`. */
export const notAnId = (v: string) => parseIncidentId(v) === undefined;
