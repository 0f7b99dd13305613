/**
 * On-call I/O: finds and reads the schedule and policy files in `schedules.dir` (ir.yaml), picks
 * schedules by name or path, and writes overrides back into a schedule file keeping its comments
 * and formatting (the yaml Document API). The math lives in rotation.ts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { Scalar } from 'yaml';
import { cachePath } from '../cache-dir.js';
import type { Context } from '../context.js';
import { FlagError, UsageError, ValidationError } from '../errors.js';
import { cachedCalendarSpans, cachedParse, keepCalendarSpans } from './cache.js';
import { useZoneCache } from '../time/zone-cache.js';
import type { CalendarSpan } from './calendar-import.js';
import { fileBaseName, isPolicyDocument, overlapIssues, parseOncallFile, parseYaml, type OncallFile } from './file.js';
import { lookaheadEnd, membersOf, rolesOf, rotationStart, segmentsBetween, shiftAt } from './rotation.js';
import { didYouMean } from './names.js';
import { local } from './localtime.js';
import { formatLocal } from '../time/instant.js';
import {
  samePerson,
  type CalendarRef,
  type EscalationPolicy,
  type LayerName,
  type Override,
  type Schedule,
  type TimeOff,
} from './types.js';
import { offsetMs, wallFields } from './wallclock.js';
import { readInputText, writeFileAtomic } from '../files.js';
import type { EventRevision, FeedEvent } from '../store/calendar.js';
import { storageFailure } from '../store/failure.js';

const YAML_EXT = new Set(['.yaml', '.yml']);
const POLICY_KEY = /^escalation_policy\s*:/m;

export interface OncallFiles {
  dir: string;
  /** Paths of every YAML file in the directory, sorted. */
  files: string[];
}

/** Lists the schedules directory (no parsing). */
export function listOncallFiles(ctx: Context): OncallFiles {
  const dir = ctx.config().schedulesDir;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `no schedules directory at ${dir}`,
      'create it with a schedule file (see docs/oncall.md), or set `schedules: {dir: …}` in ir.yaml',
    );
  }
  const files = readdirSync(dir)
    .filter((f) => YAML_EXT.has(extname(f)) && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
  return { dir, files };
}

/** Path as shown in messages: relative to the working directory when inside it. */
export function displayPath(ctx: Context, path: string): string {
  const rel = relative(ctx.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function readText(ctx: Context, path: string): string {
  return readInputText(path, { label: displayPath(ctx, path) });
}

/** Where parsed files are cached: `oncall/` in ir's cache directory (src/cache-dir.ts). */
function cacheDir(ctx: Context): string | undefined {
  return cachePath(ctx.env, 'oncall');
}

function parseCached(ctx: Context, path: string, text: string): OncallFile {
  const shown = displayPath(ctx, path);
  useZoneCache(cacheDir(ctx));
  return cachedParse(cacheDir(ctx), path, shown, text, () => parseOncallFile(text, shown));
}

function readOncall(ctx: Context, path: string): OncallFile {
  return parseCached(ctx, path, readText(ctx, path));
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || YAML_EXT.has(extname(s));
}

/** The file for `--schedule <name-or-path>`; an unknown name lists the known ones. */
export function scheduleFile(ctx: Context, nameOrPath: string, label = '--schedule'): string {
  if (looksLikePath(nameOrPath)) {
    const p = resolve(ctx.cwd, nameOrPath);
    if (!existsSync(p)) throw new FlagError(label, `no such file ${nameOrPath}`);
    return p;
  }
  const { dir, files } = listOncallFiles(ctx);
  const hit =
    files.find((f) => fileBaseName(f) === nameOrPath) ??
    files.find((f) => fileBaseName(f).toLowerCase() === nameOrPath.toLowerCase());
  if (hit) return hit;
  const known = scheduleNames(ctx, files);
  throw new FlagError(
    label,
    `unknown schedule "${nameOrPath}"; ${didYouMean(nameOrPath, known, true)}known schedules in ${displayPath(ctx, dir)}: ${known.length ? known.join(', ') : '(none)'}`,
  );
}

/**
 * `--schedule <name-or-path>` among schedules that need not all be files now (`ir oncall diff`: one
 * removed since the base revision is still asked about): the name as the list spells it. A name
 * none has is refused, as scheduleFile does, never read as "no change".
 */
export function scheduleNameAmong(ctx: Context, nameOrPath: string, names: readonly string[], where: string): string {
  const typed = looksLikePath(nameOrPath) ? fileBaseName(scheduleFile(ctx, nameOrPath)) : nameOrPath;
  const hit = names.find((n) => n === typed) ?? names.find((n) => n.toLowerCase() === typed.toLowerCase());
  if (hit !== undefined) return hit;
  const known = [...new Set(names)].sort();
  throw new FlagError(
    '--schedule',
    `unknown schedule "${nameOrPath}" ${where}; ${didYouMean(typed, known, true)}known schedules: ${known.length ? known.join(', ') : '(none)'}`,
  );
}

/** Base names of the schedule files (escalation policies left out). */
export function scheduleNames(ctx: Context, files: string[]): string[] {
  return files
    .filter((f) => {
      try {
        return !isPolicyDocument(parseYaml(readText(ctx, f), f).doc);
      } catch {
        return true;
      }
    })
    .map(fileBaseName);
}

export function loadSchedule(ctx: Context, nameOrPath: string): Schedule {
  const path = scheduleFile(ctx, nameOrPath);
  const f = readOncall(ctx, path);
  if (f.kind !== 'schedule')
    throw new UsageError(
      `--schedule: ${displayPath(ctx, path)} is an escalation policy, not a schedule; try \`ir oncall escalation ${f.policy.id}\``,
    );
  return f.schedule;
}

/** Every schedule and policy; any invalid file is an error (exit 2) naming its file and line. */
export function loadAll(
  ctx: Context,
  opts: { schedulesOnly?: boolean } = {},
): { dir: string; schedules: Schedule[]; policies: EscalationPolicy[] } {
  const { problems, ...all } = loadEach(ctx, opts);
  if (problems.length) throw invalidFiles(ctx, all.dir, problems);
  return all;
}

function invalidFiles(ctx: Context, dir: string, problems: string[]): ValidationError {
  return new ValidationError(`invalid on-call files in ${displayPath(ctx, dir)}`, problems);
}

/** Every schedule and policy that loads, and the problems (`file:line:col: …`) of those that don't. */
function loadEach(
  ctx: Context,
  opts: { schedulesOnly?: boolean },
): { dir: string; schedules: Schedule[]; policies: EscalationPolicy[]; problems: string[] } {
  const { dir, files } = listOncallFiles(ctx);
  const schedules: Schedule[] = [];
  const policies: EscalationPolicy[] = [];
  const problems: string[] = [];
  for (const path of files) {
    try {
      const text = readText(ctx, path);
      // `ir oncall who` doesn't need the policies: skip them without parsing (start-up matters at 3am).
      if (opts.schedulesOnly && POLICY_KEY.test(text)) continue;
      const f = parseCached(ctx, path, text);
      if (f.kind === 'schedule') schedules.push(f.schedule);
      else policies.push(f.policy);
    } catch (e) {
      // An unreadable file is a problem of that file too (its message names it).
      if (!(e instanceof UsageError)) throw e;
      problems.push(...(e instanceof ValidationError ? e.problems : [e.message]));
    }
  }
  return { dir, schedules, policies, problems };
}

/** Like loadAll, but collects invalid files instead of failing (for `ir oncall lint`). */
export function loadAllLenient(ctx: Context): {
  dir: string;
  schedules: Schedule[];
  policies: EscalationPolicy[];
  invalid: { file: string; problems: string[] }[];
} {
  const { dir, files } = listOncallFiles(ctx);
  const out = {
    dir,
    schedules: [] as Schedule[],
    policies: [] as EscalationPolicy[],
    invalid: [] as { file: string; problems: string[] }[],
  };
  for (const path of files) {
    try {
      const f = readOncall(ctx, path);
      if (f.kind === 'schedule') out.schedules.push(f.schedule);
      else out.policies.push(f.policy);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      out.invalid.push({
        file: displayPath(ctx, path),
        problems: e instanceof ValidationError ? e.problems : [e.message],
      });
    }
  }
  return out;
}

/** `--schedule` given: that one; otherwise every schedule in the directory. */
export function selectSchedules(ctx: Context, nameOrPath: string | undefined): Schedule[] {
  if (nameOrPath !== undefined) return [loadSchedule(ctx, nameOrPath)];
  const { schedules, dir } = loadAll(ctx, { schedulesOnly: true });
  if (schedules.length === 0)
    throw new UsageError(`no schedules in ${displayPath(ctx, dir)}`, 'add one (see docs/oncall.md)');
  return schedules;
}

/** ISO-8601 in the schedule's zone with its offset: `2026-11-27T09:00:00-05:00`. */
export function isoLocal(t: number, zone: string): string {
  const off = offsetMs(zone, t);
  const f = wallFields(t + off);
  const p = (n: number) => String(n).padStart(2, '0');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(Math.round(off / 60_000));
  const sec = new Date(t + off).getUTCSeconds();
  return `${String(f.year).padStart(4, '0')}-${p(f.month)}-${p(f.day)}T${p(f.hour)}:${p(f.minute)}:${p(sec)}${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

/**
 * An edit's window as a schedule file will hold it: whole seconds (`isoLocal`), so what is checked
 * is what is written. Refused when it is empty, or becomes empty (both ends within one second),
 * the times said in `zone`, the one the flags were read in.
 */
export function fileWindow(from: Date, to: Date, zone: string): { start: number; end: number } {
  const start = Math.floor(from.getTime() / 1000) * 1000;
  const end = Math.floor(to.getTime() / 1000) * 1000;
  if (end <= start)
    throw new UsageError(
      to.getTime() > from.getTime()
        ? `--from and --to fall within the same second (${formatLocal(from, zone, true)} → ${formatLocal(to, zone, true)}); schedule files hold times to the second`
        : `--to must be after --from (got ${formatLocal(from, zone, true)} → ${formatLocal(to, zone, true)})`,
      'give a --to at least one second after --from',
    );
  return { start, end };
}

export interface OverrideRequest {
  schedule: string;
  person: string;
  from: Date;
  to: Date;
  replace?: string;
  layer?: LayerName;
  reason?: string;
  dryRun?: boolean;
}

export interface OverrideResult {
  schedule: string;
  file: string;
  /** The schedule's zone (IANA): the zone its times are written in. */
  timezone: string;
  override: {
    start: string;
    end: string;
    person: string;
    replace: string | null;
    layer: LayerName | null;
    reason: string | null;
  };
  /** Whom the override takes over from, per layer piece. */
  covers: { layer: LayerName; person: string; start: string; end: string }[];
  written: boolean;
}

/**
 * The file text with one more item in `overrides:`. The yaml Document finds where the list is and
 * renders the new item; the text around it is spliced unchanged, so every comment, blank line
 * and quote style elsewhere in the file stays byte-for-byte (re-serialising the whole Document
 * would move some comments).
 */
export function insertOverride(text: string, file: string, entry: Record<string, string>): string {
  return insertListItem(text, file, 'overrides', entry);
}

/** The file text with one more item in the top-level list `key` (`overrides:`, `timeoff:`), spliced as above. */
export function insertListItem(text: string, file: string, key: string, entry: Record<string, string>): string {
  const out = insertListItemLines(text, file, key, entry);
  // A file written with CRLF line endings (Windows, git autocrlf) stays CRLF: the new lines too.
  const crlf = text.includes('\r\n') && !/(?<!\r)\n/.test(text);
  return crlf ? out.replace(/(?<!\r)\n/g, '\r\n') : out;
}

function insertListItemLines(text: string, file: string, key: string, entry: Record<string, string>): string {
  const { Document, isMap, isScalar, isSeq } = require('yaml') as typeof import('yaml');
  const { doc, lc } = parseYaml(text, file);
  if (!isMap(doc.contents)) throw new UsageError(`${file}: expected a mapping at the top level`);
  const item = (indent: string) =>
    new Document(entry)
      .toString({ lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((line, i) => `${indent}${i === 0 ? '- ' : '  '}${line}`)
      .join('\n') + '\n';
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  const node = doc.get(key, true);
  if (node === undefined) return `${body}${key}:\n${item('  ')}`;
  if (isSeq(node) && !node.flow && node.items.length > 0) {
    const last = node.items.at(-1) as { range?: [number, number, number] };
    const col = lc.linePos(node.range![0]).col - 1;
    const lastChar = last.range![1] - 1;
    const eol = body.indexOf('\n', lastChar);
    const at = eol < 0 ? body.length : eol + 1;
    return `${body.slice(0, at)}${item(' '.repeat(col))}${body.slice(at)}`;
  }
  const empty =
    (isSeq(node) && node.items.length === 0) || (isScalar(node) && (node.value === null || node.value === undefined));
  if (empty) {
    let from: number;
    let to: number;
    if (isSeq(node)) [from, to] = [node.range![0], node.range![1]];
    else {
      // An empty value's range can sit on the next line; anchor on the key's colon instead.
      const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key)!;
      from = to = body.indexOf(':', (pair.key as Scalar).range![1]) + 1;
    }
    // `key: []` or `key:` → a block list under the key; the rest of that line (a comment) stays.
    const lineStart = body.lastIndexOf('\n', from - 1) + 1;
    const keyIndent = /^\s*/.exec(body.slice(lineStart))![0].length;
    const eol = body.indexOf('\n', to);
    const rest = body.slice(to, eol < 0 ? body.length : eol).trimEnd();
    const head = body.slice(0, from).trimEnd();
    const tail = eol < 0 ? '' : body.slice(eol + 1);
    return `${head}${rest ? ` ${rest.trim()}` : ''}\n${item(' '.repeat(keyIndent + 2))}${tail}`;
  }
  if (isSeq(node) && node.flow && node.items.length > 0) {
    // `key: [{…}, {…}]`: the new item goes in as a flow mapping after the last one.
    const last = node.items.at(-1) as { range?: [number, number, number] };
    const flow = new Document(entry);
    (flow.contents as { flow?: boolean }).flow = true;
    const at = last.range![1];
    return `${body.slice(0, at)}, ${flow.toString({ lineWidth: 0 }).trim()}${body.slice(at)}`;
  }
  // Something unusual: let the Document re-serialise the file.
  const seq = doc.get(key, true);
  if (isSeq(seq)) seq.add(doc.createNode(entry));
  else doc.set(key, doc.createNode([entry]));
  return doc.toString();
}

/** A schedule file read for an edit: its text, the name shown in messages, the schedule. */
export interface EditTarget {
  path: string;
  shown: string;
  text: string;
  schedule: Schedule;
}

export function readForEdit(ctx: Context, nameOrPath: string, label = '<schedule>'): EditTarget {
  const path = scheduleFile(ctx, nameOrPath, label);
  const text = readText(ctx, path);
  const shown = displayPath(ctx, path);
  const parsed = parseOncallFile(text, shown);
  if (parsed.kind !== 'schedule') throw new UsageError(`${shown} is an escalation policy, not a schedule`);
  return { path, shown, text, schedule: parsed.schedule };
}

export type Covered = { layer: LayerName; person: string; start: string; end: string };

/**
 * Checks overrides about to be added to a schedule together (one for `override`, two for `swap`)
 * and says whom each takes over from. Refused (UsageError, exit 2): overlap with another override
 * on the same layer, a start before the rotation, an override that covers nobody, one person
 * both primary and secondary.
 */
export function checkNewOverrides(s: Schedule, shown: string, added: Override[]): Covered[][] {
  for (const o of added) {
    const when = `from ${local(o.start, s.timeZone)} to ${local(o.end, s.timeZone)}`;
    if (o.person.trim() === '')
      throw new UsageError('--person: empty name; expected who takes over, e.g. --person bob');
    if (o.end <= o.start) throw new UsageError(`--to must be after --from (got ${when})`);
    if (o.layer === 'secondary' && !s.eras.some((e) => e.secondary))
      throw new UsageError(`--layer secondary: schedule ${s.name} has no secondary layer`);
    if (o.start < rotationStart(s)) {
      throw new UsageError(
        `the override starts before the rotation does (${local(rotationStart(s), s.timeZone)}): nobody is on call then, so it would leave a gap`,
        'start the override at or after the rotation start',
      );
    }
    const members = membersOf(s);
    if (o.replace !== undefined && !members.some((p) => samePerson(p, o.replace)))
      throw new UsageError(
        `--replace: ${o.replace} is not on the rotation of ${s.name} (${shown}); ${didYouMean(o.replace, members)}its people: ${members.join(', ')}`,
      );
    if (o.replace !== undefined && samePerson(o.replace, o.person)) {
      throw new UsageError(
        `--replace ${o.replace} and --person ${o.person} are the same person; the override would change nothing`,
      );
    }
  }
  for (const { a, b } of overlapIssues([...s.overrides, ...added])) {
    if (added.includes(a) && added.includes(b))
      throw new UsageError(
        `the overrides overlap each other (${local(Math.max(a.start, b.start), s.timeZone)}); pick shifts that don't overlap`,
      );
    const other = added.includes(a) ? b : added.includes(b) ? a : undefined;
    if (other) {
      throw new UsageError(
        `the override overlaps the one at ${shown}:${other.line} (${other.person}, ${local(other.start, s.timeZone)} – ${local(other.end, s.timeZone)}); overlapping overrides are not allowed`,
        'change --from/--to, or edit or remove the existing override first',
      );
    }
  }
  const after: Schedule = { ...s, overrides: [...s.overrides, ...added].sort((x, y) => x.start - y.start) };
  const layers = rolesOf(s);
  return added.map((o) => {
    const when = `from ${local(o.start, s.timeZone)} to ${local(o.end, s.timeZone)}`;
    const segs = Object.fromEntries(layers.map((l) => [l, segmentsBetween(after, l, o.start, o.end)])) as Record<
      LayerName,
      ReturnType<typeof segmentsBetween>
    >;
    const covers = layers.flatMap((l) =>
      segs[l]
        .filter((g) => g.override === o)
        .map((g) => ({
          layer: l,
          person: g.rostered,
          start: isoLocal(Math.max(g.start, o.start), s.timeZone),
          end: isoLocal(Math.min(g.end, o.end), s.timeZone),
        })),
    );
    if (covers.length === 0) {
      throw new UsageError(
        o.replace === undefined
          ? `the override covers no on-call time in ${s.name} ${when}`
          : `${o.replace} is not on call${o.layer ? ` as ${o.layer}` : ''} in ${s.name} ${when}; the override would leave their stand-in covering nobody`,
        `check with \`ir oncall show --schedule ${s.name} --from ${new Date(o.start).toISOString().slice(0, 10)}\``,
      );
    }
    if (segs.secondary) {
      for (const p of segs.primary) {
        const clash = segs.secondary.find(
          (q) =>
            q.start < p.end &&
            p.start < q.end &&
            samePerson(p.person, q.person) &&
            (p.override === o || q.override === o),
        );
        if (clash) {
          const t = Math.max(Math.max(p.start, clash.start), o.start);
          throw new UsageError(
            `${p.person} would be both primary and secondary in ${s.name} from ${local(t, s.timeZone)}, leaving nobody as backup`,
            'pick someone who is not on the other layer then, or override that layer too (--layer)',
          );
        }
      }
    }
    return covers;
  });
}

/** The YAML item for an override, times in the schedule's zone with their offset. */
export function overrideEntry(s: Schedule, o: Override, reason?: string): Record<string, string> {
  const entry: Record<string, string> = {
    start: isoLocal(o.start, s.timeZone),
    end: isoLocal(o.end, s.timeZone),
    person: o.person,
  };
  if (o.replace !== undefined) entry.replace = o.replace;
  if (o.layer !== undefined) entry.layer = o.layer;
  if (reason) entry.reason = reason;
  return entry;
}

/**
 * Writes new text over a schedule file, after reading it back: a file ir can't read is never
 * written (the problems name the file, line and key; the file is left unchanged).
 */
export function writeEdited(t: EditTarget, newText: string, dryRun: boolean | undefined): void {
  try {
    parseOncallFile(newText, t.shown);
  } catch (e) {
    if (e instanceof ValidationError)
      throw new ValidationError(
        `${t.shown}: refused, the file is unchanged: the edit would make it invalid`,
        e.problems,
      );
    throw e;
  }
  if (!dryRun) writeFileAtomic(t.path, newText);
}

/**
 * Adds an override to a schedule file. Refused (exit 2) when it overlaps another on the same
 * layer, when it would leave nobody on call (before the rotation starts, or a --replace of
 * someone who isn't on call then), or when it would make one person both primary and secondary.
 */
export function addOverride(ctx: Context, req: OverrideRequest): OverrideResult {
  const t = readForEdit(ctx, req.schedule);
  const s = t.schedule;
  if (req.person.trim() === '')
    throw new UsageError('--person: empty name; expected who takes over, e.g. --person bob');
  const { start, end } = fileWindow(req.from, req.to, ctx.timeZone());
  const o: Override = {
    start,
    end,
    person: req.person.trim(),
    replace: req.replace?.trim(),
    layer: req.layer,
  };
  const [covers] = checkNewOverrides(s, t.shown, [o]);
  const entry = overrideEntry(s, o, req.reason);
  writeEdited(t, insertOverride(t.text, t.shown, entry), req.dryRun);
  return {
    schedule: s.name,
    file: t.shown,
    timezone: s.timeZone,
    override: {
      start: entry.start!,
      end: entry.end!,
      person: o.person,
      replace: o.replace ?? null,
      layer: o.layer ?? null,
      reason: req.reason ?? null,
    },
    covers: covers!,
    written: !req.dryRun,
  };
}

/**
 * Each event's revision (SEQUENCE, LAST-MODIFIED) for `ir oncall export`: a content change since
 * this database last exported the event raises it (src/oncall/revision.ts). With the feed's name
 * and window, the events that feed published before and no longer has come back `cancelled`
 * (settleFeed). The export never creates the database, and one it can't use (busy with a long
 * import, read-only) costs only the memory of earlier revisions and cancellations: every event
 * then gets a revision from the clock, and `unavailable` says why.
 */
export async function calendarRevisions(
  ctx: Context,
  events: readonly FeedEvent[],
  now: Date,
  feed: { name: string; from: number; to: number },
): Promise<{ revisions: Map<string, EventRevision>; cancelled: FeedEvent[]; unavailable?: string }> {
  const { nextRevision, settleFeed } = await import('./revision.js');
  const revise = (previous: EventRevision | undefined, hash: string) => nextRevision(previous, hash, now);
  const fromClock = new Map(events.map((e) => [e.uid, revise(undefined, e.contentHash)]));
  if (!ctx.hasState()) return { revisions: fromClock, cancelled: [] };
  try {
    return await (await ctx.store()).calendar.publish(feed.name, events, revise, (gone) => settleFeed(gone, feed));
  } catch (e) {
    const failure = storageFailure(e);
    if (!failure) throw e;
    return {
      revisions: fromClock,
      cancelled: [],
      unavailable: failure.message.replace(/; nothing was written$/, ''),
    };
  }
}

/**
 * Recorded incidents overlapping [from, to) as spans (open ones run to `now`), for the on-call
 * report; undefined when there is no database yet: a report must not create one.
 */
export async function incidentSpans(
  ctx: Context,
  from: Date,
  to: Date,
  now: number,
): Promise<{ start: number; end: number; service: string | null }[] | undefined> {
  if (!ctx.hasState()) return undefined;
  const spans = await (await ctx.store()).learning.incidentSpans(from, to);
  return spans.map((i) => ({ start: i.start, end: i.end ?? now, service: i.service }));
}

/**
 * The pages in [from, to) (alerts received, incidents declared without one), for the on-call
 * report; undefined when there is no database yet: a report must not create one.
 */
export async function pagesIn(
  ctx: Context,
  from: Date,
  to: Date,
): Promise<{ at: number; service: string | null }[] | undefined> {
  if (ctx.dbPath() !== ':memory:' && !existsSync(ctx.dbPath())) return undefined;
  return (await ctx.store()).learning.pages(from, to);
}

/**
 * The schedule with all its time off for [from, to): its `timeoff:` entries and each occurrence
 * from its time-off calendars (`timeoff_calendars:`). The one place every view that says who is
 * on call (who, show, next, export, handoff, escalation, the dashboard) gets a schedule's time
 * off, so an instant reads the same in each. Holiday calendars never change who is on call: they
 * are not read here. A schedule without a time-off calendar comes back as it is, without a read
 * (nor ical.js loaded).
 */
export async function scheduleWithTimeOff(
  ctx: Context,
  s: Schedule,
  from: number,
  to: number,
  read?: CalendarReader,
): Promise<Schedule> {
  if (!hasTimeOffCalendar(s)) return s;
  return withCalendars(ctx, s, from, to, { timeOffOnly: true, read });
}

/**
 * Reads a calendar's text from somewhere other than the file next to the schedule (`ir oncall
 * diff`: the calendar as it was at a git revision); throws an Error saying why it can't.
 */
export type CalendarReader = (s: Schedule, ref: CalendarRef) => string;

function hasTimeOffCalendar(s: Schedule): boolean {
  return s.calendars?.some((c) => c.kind === 'timeoff') ?? false;
}

/**
 * scheduleWithTimeOff for each schedule, `from`/`to` per schedule (a schedule's shifts decide
 * what a view looks at). The window is worked out only for a schedule that has a time-off
 * calendar to read.
 */
export async function schedulesWithTimeOff(
  ctx: Context,
  schedules: Schedule[],
  window: (s: Schedule) => [from: number, to: number],
  read?: CalendarReader,
): Promise<Schedule[]> {
  if (!schedules.some(hasTimeOffCalendar)) return schedules;
  return Promise.all(
    schedules.map(async (s) => (hasTimeOffCalendar(s) ? scheduleWithTimeOff(ctx, s, ...window(s), read) : s)),
  );
}

/** The schedules `--schedule` selects, with all their time off (schedulesWithTimeOff). */
export async function selectWithTimeOff(
  ctx: Context,
  nameOrPath: string | undefined,
  window: (s: Schedule) => [from: number, to: number],
): Promise<Schedule[]> {
  return schedulesWithTimeOff(ctx, selectSchedules(ctx, nameOrPath), window);
}

/**
 * What the views that say who is on call across every schedule read (`who`, `show`, `handoff`,
 * the dashboard): every schedule that loads, with its time off, and — in `invalid`, one error
 * naming each file, line and problem — those that don't (an invalid file, a time-off calendar
 * that can't be read). One team's typo must not hide who is on call for the others; the caller
 * shows the rest and reports `invalid` (exit 2). With `--schedule`, or when no schedule loads at
 * all, a problem is thrown as it is by selectWithTimeOff.
 */
export async function selectOnCall(
  ctx: Context,
  nameOrPath: string | undefined,
  window: (s: Schedule) => [from: number, to: number],
): Promise<{ schedules: Schedule[]; invalid?: ValidationError }> {
  if (nameOrPath !== undefined) return { schedules: await selectWithTimeOff(ctx, nameOrPath, window) };
  const { dir, schedules: loaded, problems } = loadEach(ctx, { schedulesOnly: true });
  const schedules: Schedule[] = [];
  for (const s of loaded) {
    try {
      schedules.push(hasTimeOffCalendar(s) ? await scheduleWithTimeOff(ctx, s, ...window(s)) : s);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      problems.push(...(e instanceof ValidationError ? e.problems : [e.message]));
    }
  }
  const invalid = problems.length ? invalidFiles(ctx, dir, problems) : undefined;
  if (schedules.length === 0)
    throw invalid ?? new UsageError(`no schedules in ${displayPath(ctx, dir)}`, 'add one (see docs/oncall.md)');
  return { schedules, invalid };
}

/**
 * The window whose time off decides who is on call at `at` and who next (`whoAt`): from the
 * shift containing `at` to as far as `whoAt` looks for the next change of hands.
 */
export function shiftWindow(s: Schedule, at: number): [from: number, to: number] {
  const shift = shiftAt(s, at);
  return [Math.min(shift?.start ?? at, at), Math.max(lookaheadEnd(s, at), shift?.end ?? at, at + 1)];
}

type CalendarLib = typeof import('./calendar-import.js');

/**
 * One calendar's spans over [from, to): from the cache when this text under this name was
 * expanded before in this zone over a window holding this one; else expanded over a year
 * either side of the window, which the cache keeps. Refused (exit 2) naming the schedule file,
 * line and key when the file can't be read or isn't an iCalendar.
 */
async function calendarSpansOf(
  ctx: Context,
  s: Schedule,
  ref: CalendarRef,
  from: number,
  to: number,
  calendarLib: () => Promise<CalendarLib>,
  read?: CalendarReader,
): Promise<CalendarSpan[]> {
  const where = `${s.file}:${ref.line}: ${ref.key}`;
  const path = resolve(ctx.cwd, dirname(s.file), ref.path);
  let text: string;
  if (read) {
    // Read elsewhere (a git revision).
    try {
      text = read(s, ref);
    } catch (e) {
      throw new UsageError(`${where}: cannot read the calendar ${ref.path} (${(e as Error).message})`);
    }
  } else {
    // A regular file only: a device such as /dev/zero is refused unread (files.ts).
    text = readInputText(path, {
      label: where,
      what: `calendar ${ref.path}`,
      hint: 'the path is relative to the schedule file; export the calendar as .ics there',
    });
  }
  // Cached by text (oncall/cache.ts); a revision's copy under a name of its own, so the working
  // tree's and the base's don't take turns replacing each other.
  const name = read ? `${path}\n(revision)` : path;
  const dir = Number.isFinite(from) && Number.isFinite(to) ? cacheDir(ctx) : undefined;
  const hit = cachedCalendarSpans(dir, name, text, s.timeZone, from, to);
  if (hit) return hit;
  const { calendarSpans } = await calendarLib();
  const [a, b] = dir ? [from - YEAR_MS, to + YEAR_MS] : [from, to];
  let all: CalendarSpan[];
  try {
    all = calendarSpans(text, ref.path, s.timeZone, a, b);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${where}: ${e.message}`, e.hint);
    throw e;
  }
  if (!dir) return all;
  keepCalendarSpans(dir, name, text, s.timeZone, a, b, all);
  // What calendarSpans gives for [from, to): the occurrences overlapping it, in the same order.
  return all.filter((x) => x.start < to && x.end > from);
}

const YEAR_MS = 366 * 86_400_000;

/**
 * The schedule with the `.ics` calendars it refers to read in for [from, to): holiday dates added
 * to `holidays`, each time-off occurrence added to `timeOff` (with the calendar's line in the
 * schedule file). A calendar that is missing or unreadable is refused (exit 2) naming the
 * schedule file, the line and the key. ical.js loads only for a schedule that refers to a
 * calendar: `who` and `show` of schedules without one never load it.
 */
export async function withCalendars(
  ctx: Context,
  s: Schedule,
  from: number,
  to: number,
  opts: { timeOffOnly?: boolean; read?: CalendarReader } = {},
): Promise<Schedule> {
  const refs = (s.calendars ?? []).filter((r) => !opts.timeOffOnly || r.kind === 'timeoff');
  if (refs.length === 0) return s;
  // ical.js loads only when a calendar is not in the cache, or for holidays.
  let lib: CalendarLib | undefined;
  const calendarLib = async () => (lib ??= await import('./calendar-import.js'));
  const holidays = new Set(s.holidays ?? []);
  const timeOff: TimeOff[] = [...(s.timeOff ?? [])];
  for (const ref of refs) {
    const spans = await calendarSpansOf(ctx, s, ref, from, to, calendarLib, opts.read);
    if (ref.kind === 'holidays') for (const d of (await calendarLib()).datesOf(spans, s.timeZone)) holidays.add(d);
    else
      for (const x of spans)
        timeOff.push({
          person: ref.person!,
          start: x.start,
          end: x.end,
          reason: x.summary || undefined,
          line: ref.line,
          calendar: ref.path,
        });
  }
  return { ...s, holidays: [...holidays].sort(), timeOff: timeOff.sort((a, b) => a.start - b.start) };
}
