/**
 * Text that is shown on one line — a title, an action item, a person's name — with every run of
 * white space (a newline or tab pasted from an alert or a chat) made one space. A newline kept in
 * one breaks every table and notification, and in the markdown of a postmortem starts a line —
 * a heading, a list item — of its own.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The longest title ir takes, in characters: Statuspage's limit for an incident's name, well inside
 * PagerDuty's 1,024 for an incident's summary and Slack's 3,000 for a block of text, so a title
 * passes to each unchanged. A title is a few words; details belong in the impact or the timeline.
 */
export const MAX_TITLE_LENGTH = 255;

/**
 * Why a title (already on one line) is refused, or undefined when it is taken. `advice` says where
 * the details go instead (an incident's: its impact or timeline; a maintenance window's: --message).
 */
export function titleLengthProblem(
  title: string,
  advice = 'say what is broken in a few words and put the details in the impact or a timeline entry',
): string | undefined {
  return lengthProblem(title, MAX_TITLE_LENGTH, advice);
}

/**
 * The longest action item ir takes, in characters: a title's, for the same reasons — it is one
 * line of `ir action list`, the postmortem and the dashboard, and a tracker's summary when it is
 * copied there (Jira's holds 255). An action item says what will be done, specifically.
 */
export const MAX_ACTION_TEXT_LENGTH = MAX_TITLE_LENGTH;

/** Why an action item's text (already on one line) is refused, or undefined when it is taken. */
export function actionTextLengthProblem(text: string): string | undefined {
  return lengthProblem(
    text,
    MAX_ACTION_TEXT_LENGTH,
    'say what will be done in a sentence and keep the reasoning in the postmortem',
  );
}

function lengthProblem(text: string, max: number, advice: string): string | undefined {
  const length = [...text].length;
  if (length <= max) return undefined;
  return `${length} characters; at most ${max} are taken — ${advice}`;
}

/**
 * A code point that joins the one before it into one character on screen: a combining accent, a
 * variation selector, a skin tone, the zero-width joiner inside 👩‍💻.
 */
const EXTENDS = /\p{Grapheme_Extend}|\p{Emoji_Modifier}|\u200D/uy;
const REGIONAL = /\p{Regional_Indicator}/uy;
const at = (re: RegExp, text: string, i: number): boolean => {
  re.lastIndex = i;
  return re.test(text);
};
const isLow = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * The longest start of `text` of at most `max` UTF-16 units (JavaScript's `length`, never less
 * than what a vendor counts) that ends between characters as a reader sees them: never inside an
 * emoji's surrogate pair (half of one is not valid UTF-8 and shows as �), nor between an emoji and
 * its skin tone, joiner or other flag half, nor before an accent. Regular expressions only, no
 * Intl: it runs on start-up paths.
 */
export function prefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, Math.floor(max));
  if (cut > 0 && isLow(text, cut)) cut--;
  while (cut > 0 && (at(EXTENDS, text, cut) || text[cut - 1] === '\u200D')) cut -= isLow(text, cut - 1) ? 2 : 1;
  if (at(REGIONAL, text, cut)) {
    // A flag is a pair of regional indicators: keep an even number of those before the cut.
    let n = 0;
    while (cut - 2 * (n + 1) >= 0 && at(REGIONAL, text, cut - 2 * (n + 1))) n++;
    if (n % 2 === 1) cut -= 2;
  }
  return text.slice(0, cut);
}

/**
 * Text shown or stored in at most `max` units: itself when it fits, else its `prefix` and `…`.
 * Use it wherever user or alert text is cut for display or storage, never `slice`.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max < 1 ? '' : `${prefix(text, max - 1)}…`;
}

/** A word the shell reads back as exactly `value` (for commands ir suggests or shows). */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
