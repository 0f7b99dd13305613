/**
 * What a mistyped name was probably meant to be ("did you mean …?"): one reading of "close", for
 * runbook names and alerts, code-fence attributes, front-matter keys and the keys of SLO files alike. Pure, no imports.
 */

/**
 * Names a mistyped ref was probably meant to be, closest first: within a few edits (case aside),
 * or containing it ("latency" → high-api-latency). Empty when nothing is close. A caller that acts
 * on the answer (an error rather than a hint) passes a smaller `maxEdits`.
 */
export function closeMatches(
  candidates: { name: string; alerts?: string[] }[],
  ref: string,
  max = 3,
  /** The most edits a match may be away; by default 2, or a quarter of a long name. */
  maxEdits?: number,
): string[] {
  const key = ref
    .trim()
    .toLowerCase()
    .replace(/\.(md|markdown)$/, '');
  if (key === '') return [];
  const limit = maxEdits ?? Math.max(2, Math.floor(key.length / 4));
  const distance = (s: string) => {
    const l = s.toLowerCase();
    return key.length >= 4 && l.includes(key) ? 0.5 : editDistance(l, key, limit);
  };
  const scored: { name: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    // A runbook is suggested by its name, however it came close (its name or an alert it answers).
    const d = Math.min(distance(c.name), ...(c.alerts ?? []).map(distance));
    if (d <= limit) scored.push({ name: c.name, d });
  }
  return scored
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}

/** Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The key of a known set a mistyped one was meant to be: the same but for letter case, or one
 * edit away (two for keys of eight letters or more) — `timeWindows`, `timewindow`, `targt`. A key
 * that merely contains a known one (`name` in `displayName`) is not taken for it. Undefined when
 * none is that close.
 */
export function misspeltKey(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const limit = k.length >= 8 ? 2 : 1;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const name of known) {
    const d = editDistance(name.toLowerCase(), k, limit);
    if (d < bestD) {
      best = name;
      bestD = d;
    }
  }
  return best;
}

/**
 * The options a mistyped one was probably meant to be, as `--name`, for an "unknown option"
 * error: the same but for letter case; one that is a start of the typed name or that the typed
 * name starts (`--severity` → `--sev`, `--sched` → `--schedule`), the shorter side three letters
 * or more; else those within two edits (one for names of four letters or fewer; fewer than
 * half of the longer name's letters changed). Only the closest kind is offered, ties sorted.
 * A typed name of one or two letters (`--s`) gets no guesses but its own case. Empty when none is close.
 */
export function closeOptions(typed: string, known: readonly string[]): string[] {
  // `--sched=primary` is the option `--sched` with its value.
  const name = typed.replace(/^--/, '').replace(/=[\s\S]*$/, '');
  return closeNames(
    name,
    known.filter((o) => o.startsWith('--')).map((o) => o.slice(2)),
  ).map((n) => `--${n}`);
}

/**
 * The names a mistyped command or option name was probably meant to be, by closeOptions' rule
 * (case, a start of one or the other, then a few edits): `sev` → `severity` for a command.
 */
export function closeNames(typed: string, known: readonly string[]): string[] {
  const name = typed.toLowerCase();
  const scored: { known: string; d: number }[] = [];
  for (const k of new Set(known)) {
    const d = optionDistance(name, k.toLowerCase());
    if (d !== undefined) scored.push({ known: k, d });
  }
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .map((s) => s.known)
    .sort((a, b) => a.localeCompare(b));
}

/** 0 for the same name, 0.5 for one starting the other, else edits; undefined when not close. */
function optionDistance(typed: string, option: string): number | undefined {
  if (typed === option) return 0;
  if (typed.length < 3) return undefined;
  const shorter = Math.min(typed.length, option.length);
  if (shorter >= 3 && (typed.startsWith(option) || option.startsWith(typed))) return 0.5;
  if (swapsTwoLetters(typed, option)) return 1;
  const limit = shorter <= 4 ? 1 : 2;
  const d = editDistance(typed, option, limit);
  return d <= limit && d < Math.max(typed.length, option.length) / 2 ? d : undefined;
}

/** `jsno` and `json`: the same but for two neighbouring letters swapped. */
function swapsTwoLetters(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const i = [...a].findIndex((ch, k) => ch !== b[k]);
  return i >= 0 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
