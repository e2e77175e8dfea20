/**
 * Text from the traced program (span names, models, error messages, evaluation notes) made safe to
 * print on a terminal: a control character in it (an escape sequence that clears the screen, sets the
 * window title or moves the cursor, a carriage return or line feed that overwrites or fakes a line) and
 * the invisible bidirectional controls that reorder what follows them (U+202E) are written out as
 * escapes (`\x1b`, `\r`, `\n`, `\u202e`), so the program's text can only ever be read, never act.
 * `--json` output is JSON-escaped instead and does not pass through here.
 */

/**
 * C0 and C1 control characters, DEL, the bidi marks, embeddings, overrides and isolates (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators (U+2028, U+2029).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` as one line of inert terminal text: every control character escaped, line breaks too. */
export function inline(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** Lines of text (a report printed to the terminal) with each line made inert, the line breaks kept. */
export function inertLines(text: string): string {
  return text.split('\n').map(inline).join('\n');
}

/**
 * The characters JSON leaves as they are that a terminal still acts on (C1 controls, DEL, bidi marks
 * and overrides, line and paragraph separators); JSON.stringify escapes C0 controls itself.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * JSON text (`--json` output) with those characters written as `\uXXXX`: the same JSON value, inert
 * on a terminal. They can only be inside strings, where JSON allows the escape.
 */
export function inertJson(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
