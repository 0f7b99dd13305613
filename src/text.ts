/**
 * Text that is shown on one line — a title, an action item, a person's name — with every run of
 * white space (a newline or tab pasted from an alert or a chat) made one space. A newline kept in
 * one breaks every table and notification, and in the markdown of a postmortem starts a line —
 * a heading, a list item — of its own.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
