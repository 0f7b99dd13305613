/**
 * Text from incidents, timelines, imports and step output can carry terminal control sequences —
 * clear the screen, move the cursor, set the window title, write the clipboard (OSC 52). Human
 * output shows them as visible text instead (`^[` for ESC, `<U+202E>` for a bidi override);
 * JSON keeps the data as it is. Used by every human renderer through src/ui/output.ts.
 */

// C0 controls but tab, newline and a CR that ends a line (CRLF: calendars, CSV), DEL, C1
// controls, and the bidi embeddings/overrides/isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const CONTROL = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const TOKEN = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  if (code === 0x7f) return '^?';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * `text` with every control character made visible. With `keepColour`, colour and style
 * sequences (SGR: `ESC [ … m`, what ir's own colours are made of) pass; nothing else does.
 */
export function printable(text: string, keepColour = false): string {
  if (!CONTROL.test(text)) return text;
  // Only the control characters of a colour sequence are made visible: `^[[31m`, as `^[[2J` reads,
  // not `^[<U+005B><U+0033><U+0031><U+006D>`.
  return text.replace(TOKEN, (m) =>
    m.length > 1 && keepColour ? m : [...m].map((c) => (CONTROL.test(c) ? visible(c) : c)).join(''),
  );
}
