/**
 * Escapes written out as text, turned back into the characters they stand for, so that a secret
 * hidden behind them (`sk\u002Dproj-...`, `%250Ask-...`, `%3Fkey%3D...`) can be found. A leaf module.
 */

/**
 * An escape written as text: a backslash escape (`\n`, `\a`, `\"`, `\\`, `\xXX`, `\uXXXX`,
 * `\u{X...}`, `\UXXXXXXXX`) or a run of percent-escapes (`%0A`, `%C3%A9`, decoded together so that
 * UTF-8 sequences come back whole).
 */
const WRITTEN_ESCAPE = /\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|[^])|(?:%[0-9A-Fa-f]{2})+/g;

/** The single-letter backslash escapes of JSON, JavaScript, C and shells, by letter. */
const LETTER_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0', a: '\x07', e: '\x1b',
};

/** How many times text is decoded, for escapes escaped again (`%25250A`, JSON inside JSON inside JSON). */
const MAX_ROUNDS = 5;

function decodeEscape(escape: string): string {
  if (escape.charCodeAt(0) === 37 /* % */) {
    try {
      return decodeURIComponent(escape);
    } catch {
      // Not UTF-8: each byte stands for the character of that code.
      let out = '';
      for (let i = 1; i < escape.length; i += 3) out += String.fromCharCode(Number.parseInt(escape.slice(i, i + 2), 16));
      return out;
    }
  }
  const kind = escape[1]!;
  if (escape.length > 2) {
    const code = Number.parseInt(escape.slice(kind === 'u' && escape[2] === '{' ? 3 : 2).replace('}', ''), 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
  }
  return LETTER_ESCAPES[kind] ?? kind;
}

/** Whether `text` may hold a written escape: it holds a backslash or a percent sign. */
function mayHoldWrittenEscape(text: string): boolean {
  return text.includes('\\') || text.includes('%');
}

/**
 * `text` with its written escapes decoded, again while that changes it (up to five rounds, so
 * `%250A` and `\\u002D` come back as a newline and a hyphen). Text without escapes is returned as it is.
 */
export function decodeWrittenEscapes(text: string): string {
  let out = text;
  for (let round = 0; round < MAX_ROUNDS && mayHoldWrittenEscape(out); round++) {
    const next = out.replace(WRITTEN_ESCAPE, decodeEscape);
    if (next === out) break;
    out = next;
  }
  return out;
}
