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

/** Why a title (already on one line) is refused, or undefined when it is taken. */
export function titleLengthProblem(title: string): string | undefined {
  const length = [...title].length;
  if (length <= MAX_TITLE_LENGTH) return undefined;
  return `${length} characters; at most ${MAX_TITLE_LENGTH} are taken — say what is broken in a few words and put the details in the impact or a timeline entry`;
}

/** `text` of at most `max` characters (code points, so an emoji is never split), ending in `…` when cut. */
export function cutText(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
