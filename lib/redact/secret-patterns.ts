/**
 * The default secret patterns and the function that masks them in free text. A leaf module apart
 * from the escape decoder (`written-escapes.ts`), so that both redaction (`lib/redact.ts`) and llmtrace's own diagnostics
 * (`lib/internal/diagnostics.ts`) mask secrets without importing each other.
 *
 * The token formats follow secretlint's recommended preset (`@secretlint/secretlint-rule-preset-recommend`,
 * https://github.com/secretlint/secretlint, MIT licence, Copyright (c) 2020 azu), ported from the rule
 * sources at commit 18346ba31b8173d52060b971221ab38c1943def0 (`packages/@secretlint/secretlint-rule-*`
 * `/src/index.ts`). They are ported, not imported: secretlint is a file linter, and it tunes its
 * patterns against false positives (exact lengths, placeholder allow-lists). A redactor fails closed
 * instead, so lengths here are lower bounds and a truncated key is still masked. Where a rule is
 * based on a pattern list secretlint itself credits (cribl.io's regexes.yml, GitHub's secret
 * scanning docs), the comment names the secretlint rule.
 *
 * Every pattern is linear: no nested quantifiers, bounded repetitions where a class can overlap its
 * neighbour, so a hostile 50 MB string costs a scan, never a backtracking storm.
 */
import { decodeWrittenEscapes } from './written-escapes.js';

/** The mask that replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Keys whose `key=value` / `"key": "value"` forms are masked in free text (a `*token` key matches from `token`). */
const ASSIGNED_KEYS =
  'api[_-]?key|apikey|access[_-]?key(?:[_-]?id)?|account[_-]?key|shared[_-]?access[_-]?key|secret(?:[_-]?key)?|password|passwd|pwd|' +
  'passphrase|credentials?|token|authorization|private[_-]?key(?:[_-]?id)?|subscription[_-]?key';

/** An optional quote around a key or value, escaped or not (`"`, `'`, `\\"` in JSON inside JSON). */
const QUOTE = `(?:\\\\?["'])?`;

/**
 * An escape that ends in a letter or digit: a JSON or string-literal escape written as text (a
 * backslash and a letter, `\n`, `\t`, `\r`, `\b`, `\f`, `\v`, `\0`, `\uXXXX`, `\xXX`), a percent-escape
 * (`%20`, `%22`, `%3A`), or a terminal colour or style sequence (ESC `[1m`, ESC `[0;31m`). A secret right
 * after one starts a word although the character before it is alphanumeric: an SDK error message that
 * embeds a JSON body (`...\nsk-proj-...`), a query string (`?q=%20sk-...`), coloured output.
 */
const ESCAPE = '\\\\[bfnrtv0]|\\\\u[0-9A-Fa-f]{4}|\\\\x[0-9A-Fa-f]{2}|%[0-9A-Fa-f]{2}|\\x1b\\[[0-9;]*[A-Za-z]';

/**
 * A lookbehind source for a word start: not right after a character of the class `before`, unless
 * that character ends an `ESCAPE` (`\nBearer ...`, `%20Basic ...`).
 */
function notAfter(before: string): string {
  return `(?<!${before}(?<!${ESCAPE}))`;
}

/**
 * A regular-expression source for a credential of 8 or more letters, digits and `signs` that does not
 * read as a word: it holds a digit, one of `signs` inside it (not a full stop ending a sentence), or a
 * capital after its first character (base64, a JWT, a random token), where an English word holds none.
 */
function credential(signs: string): string {
  const chars = `A-Za-z0-9${signs}`;
  return `(?=[${chars}]*?(?:[0-9]|[${signs}](?=[${chars}])|(?<=[A-Za-z0-9])[A-Z]))[${chars}]{8,}`;
}

/** A space between `Bearer` / `Basic` and the credential: whitespace, or whitespace escaped (`%20`, `\t`, `\u0020`). */
const SPACE = '(?:\\s|%20|\\\\[nrt]|\\\\u0020)+';

/**
 * Single-token formats, each a regular-expression source with the secretlint rule it is ported from.
 * They are joined into one alternation (`TOKENS`): one scan of the text instead of one per format
 * (half the time over 8 KB of captured content, benchmarks/redaction.ts).
 */
const TOKEN_FORMATS: readonly string[] = [
  // JWTs: header and payload are base64url JSON (`eyJ`), the signature may be empty (alg none). Bare,
  // after `Bearer`, or echoed in an SDK error body.
  'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*',
  'ops_eyJ[A-Za-z0-9+/=_-]{50,}', // secretlint-rule-1password (service-account tokens)
  'sk-ant-[A-Za-z0-9_-]{8,}', // secretlint-rule-anthropic (sk-ant-api03-..., admin keys)
  'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}', // secretlint-rule-openai
  '[sr]k_(?:live|test)_[A-Za-z0-9]{16,}', // secretlint-rule-stripe (secret and restricted keys)
  'whsec_[A-Za-z0-9]{24,}', // Stripe webhook signing secrets
  '(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])', // secretlint-rule-aws (access key ids)
  'AIza[0-9A-Za-z_-]{35}', // Google API keys
  'ya29\\.[0-9A-Za-z_-]{20,}', // Google OAuth access tokens (secretlint-rule-gcp covers the service-account key)
  '1//0[0-9A-Za-z_-]{30,}', // Google OAuth refresh tokens
  'GOCSPX-[0-9A-Za-z_-]{20,}', // Google OAuth client secrets
  'ghs_[0-9]{1,20}_[A-Za-z0-9_-]{1,1000}\\.[A-Za-z0-9_-]{1,10000}\\.[A-Za-z0-9_-]{1,1000}', // secretlint-rule-github (app installation, new format)
  'gh[pousr]_[A-Za-z0-9_]{30,}', // secretlint-rule-github (classic tokens)
  'github_pat_[A-Za-z0-9_]{22,}', // secretlint-rule-github (fine-grained tokens)
  'gl(?:pat|dt|rt|ptt|oas|cbt|imt|soat|ffct|agent|ft)-[A-Za-z0-9_-]{20,}', // secretlint-rule-gitlab (glpat- and the other prefixes)
  'glc_[A-Za-z0-9+/]{32,}={0,2}', // secretlint-rule-grafana (cloud API tokens)
  'glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}', // secretlint-rule-grafana (service accounts)
  'npm_[A-Za-z0-9]{36,}', // secretlint-rule-npm (access tokens)
  'xox[abporse]-(?:\\d-)?[A-Za-z0-9-]{10,}', // secretlint-rule-slack (bot, user, refresh tokens)
  'xapp-\\d-[A-Za-z0-9-]{10,}', // secretlint-rule-slack (app-level tokens)
  'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}', // secretlint-rule-sendgrid
  'shp(?:pa|ca|at|ss)_[A-Za-z0-9]{32,}', // secretlint-rule-shopify
  'gsk_[A-Za-z0-9]{40,}', // secretlint-rule-groq
  'hf_[A-Za-z0-9]{30,}', // secretlint-rule-huggingface
  'lin_(?:api|oauth)_[A-Za-z0-9_]{32,}', // secretlint-rule-linear
  'ntn_[A-Za-z0-9]{40,}', // secretlint-rule-notion
  'hv[sbr]\\.[A-Za-z0-9_-]{24,}', // secretlint-rule-hashicorp-vault
  'vc[piark]_[A-Za-z0-9]{20,}', // secretlint-rule-vercel (vcp_, vci_, vca_, vcr_, vck_)
  'dapi[a-f0-9]{32}(?:-\\d)?', // secretlint-rule-databricks
  'dckr_(?:pat|oat)_[A-Za-z0-9_-]{24,}', // secretlint-rule-docker
  'figd_[A-Za-z0-9_-]{40,}', // secretlint-rule-figma
  '(?:cfk|cfut|cfat)_[A-Za-z0-9]{40,}', // secretlint-rule-cloudflare
  'tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,}', // secretlint-rule-tailscale
];

/** The token formats as one group. */
const TOKENS = `(?:${TOKEN_FORMATS.join('|')})`;

/** The unquoted `key: value` form only counts when the value is not a plain word (prose). */
function assignment(match: string, prefix: unknown, separator: unknown, quote: unknown, value: unknown): string {
  if (separator === ':' && quote === undefined && typeof value === 'string' && /^[A-Za-z]+$/.test(value)) return match;
  return `${String(prefix)}${REDACTED}`;
}

/** The key=value rule, with its own replacer (see `assignment`). */
const ASSIGNMENT = new RegExp(
  `((?:${ASSIGNED_KEYS})${QUOTE}(?:\\s|\\\\[nrt])*(=>|:=|=|:)(?:\\s|\\\\[nrt])*(\\\\?["'])?(?:(?:token|digest|bearer)\\s+)?)` +
    `(?!\\[REDACTED\\])((?<=["'])[^"'\\\\\\r\\n]{6,}|[^\\s"'&,;}\\\\]{6,})`, // a value masked already is left as it is
  'gi',
);

/**
 * The default patterns, in order: specific before generic. Each begins with a literal where it can,
 * so the regular-expression engine skips through text that cannot match.
 */
const PATTERNS: readonly RegExp[] = [
  // PEM private keys, whole block (multi-line, or JSON-escaped `\n`); an unterminated block is masked
  // to the end of the text. secretlint-rule-privatekey, secretlint-rule-gcp (service-account JSON).
  /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)/g,
  // Credentials in URLs: `https://user:pass@host`, `postgres://user:pass@host`, mongodb+srv, redis,
  // amqp, ... (secretlint-rule-basicauth, secretlint-rule-database-connection-string,
  // secretlint-rule-npm `x-oauth-basic`). The scheme and host are kept: `postgres://[REDACTED]@db:5432`.
  /(:\/\/)[^\s:@/?#"'<>]{0,256}:[^\s@/?#"'<>]{1,256}(?=@)/g,
  /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]{8,}/g, // secretlint-rule-slack (webhooks)
  // A token at a word start, or right after an escape, which is kept (`\n[REDACTED]`). The escape is a
  // second alternative rather than the `notAfter` lookbehind: V8 evaluates that at every position
  // before an alternation without a literal start, two to three times the time over 8 KB
  // (benchmarks/redaction.ts, mask_8kb_*).
  new RegExp(`(?<![A-Za-z0-9])${TOKENS}|(${ESCAPE})${TOKENS}`, 'g'),
  // An Authorization header's credential, whatever it looks like (the scheme is kept).
  /(authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token)\s+)[^\s"'<>]{8,}/gi,
  // Bearer ... / Basic ... elsewhere: the credential must not read as a word (a digit, a sign or an
  // inner capital), so prose ("a basic understanding", "bearer instruments") is left as it is.
  new RegExp(`${notAfter('\\w')}(?:Bearer|bearer|BEARER)${SPACE}${credential('._~+/=-')}`, 'g'),
  new RegExp(`${notAfter('\\w')}(?:Basic|basic|BASIC)${SPACE}${credential('+/')}={0,2}`, 'g'),
  // Azure AD client secrets (secretlint-rule-azure; a storage AccountKey= is an assignment below)
  new RegExp(`${notAfter('[A-Za-z0-9_~.]')}[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}`, 'g'),
  // URL query parameters that carry credentials: ?key=, ?api_key=, ?token=, &access_token=, &sig=
  // (Azure SAS), X-Amz-Signature / X-Amz-Credential / X-Amz-Security-Token, X-Goog-Signature, ...
  /([?&;][A-Za-z0-9_.-]{0,40}(?<=key|token|secret|password|passwd|pwd|sig|signature|credential|auth)=)[^&#\s"'<>]+/gi,
  // A Cookie or Set-Cookie header: its whole value (every cookie in it, not only the first).
  /((?<![A-Za-z0-9_-])(?:set-)?cookie["']?\s*:\s*["']?)[^\r\n"']+/gi,
  // Cookies on a curl command line (`-b "a=1; SID=..."`, `--cookie=SID=...`): the quoted value whole
  // (a JSON-escaped quote's backslash is kept), an unquoted one to the next space. A file name
  // (`-b cookies.txt`) has no `=` and is left as it is.
  /((?<![\w-])(?:-b|--cookie)(?:\s+|=)(?:\\?["'])?)(?=[^\s"'=;\\]{1,256}=)(?:(?<=["'])[^\r\n"'\\]+|[^\s"'\\]+)/g,
  // key=value, key: value and "key": "value" forms (api_key=..., OPENAI_API_KEY=..., aws_secret_access_key
  // = ... (secretlint-rule-aws), AccountKey=... (Azure), "client_secret": "...", Authorization: token ...).
  // An unquoted `key: value` needs a digit or symbol in the value, so prose ("password: remember it") stays.
  ASSIGNMENT,
  // A value assigned to something already masked (`?api_key=[REDACTED] = value`, where an earlier
  // pattern took the key as a value) is masked too: fail closed when patterns overlap.
  /(\[REDACTED\]["']?\s*(?:=>|:=|=)\s*["']?)[^\s"'&,;}\\[]{6,}/g,
];

/**
 * Patterns of secrets found inside free text, in the order they are applied. A pattern whose first
 * capture group is a prefix of the match keeps that prefix (`api_key=[REDACTED]`).
 */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = Object.freeze(PATTERNS);

/**
 * Literal prefixes that start a word in any match of the token formats and of the `Bearer` / `Basic`
 * rules (which all begin at a word start), indexed by the first character's code. `gl`, `gh`, `hv`,
 * `vc` and `cf` stand for every prefix they begin.
 */
const WORD_PREFIXES: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(128).fill(undefined);
for (const prefix of [
  'eyJ', 'ops_', 'sk-', 'sk_', 'rk_', 'whsec_', 'A3T', 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA', 'AIza',
  'ya29.', '1//0', 'GOCSPX-', 'gh', 'github_pat_', 'gl', 'npm_', 'xox', 'xapp-', 'SG.', 'shp', 'gsk_', 'hf_', 'lin_', 'ntn_',
  'hv', 'vc', 'dapi', 'dckr_', 'figd_', 'cf', 'tskey-', 'Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'BASIC',
]) {
  const code = prefix.charCodeAt(0);
  WORD_PREFIXES[code] = [...(WORD_PREFIXES[code] ?? []), prefix];
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

const KEY_WORD = /key|secret|passw|pwd|passphrase|credential|token|auth|cookie/i;
/** The literal cores found without a word start: assignments and query parameters, URLs, Azure, PEM. */
const LITERAL_CORE = /=|:\/\/|Q~|-----BEGIN/;
const COLON = 58;
const BACKSLASH = 92;
const PERCENT = 37;
const ESC = 27;

/**
 * Where a word may start after the escape that begins at `i` (see `ESCAPE`): past `\uXXXX`,
 * `\xXX`, `%XX`, a backslash and a letter or a terminal sequence (ESC `[`, digits and `;`, a letter),
 * or -1. Hex digits are not checked: it may say yes more often than the patterns, never less.
 */
function afterEscape(text: string, i: number, code: number): number {
  if (code === PERCENT) return i + 3;
  if (code === ESC) {
    if (text.charCodeAt(i + 1) !== 91 /* [ */) return -1;
    let end = i + 2;
    for (let c = text.charCodeAt(end); (c >= 48 && c <= 57) || c === 59 /* ; */; c = text.charCodeAt(end)) end++;
    return end + 1;
  }
  if (code !== BACKSLASH) return -1;
  const next = text.charCodeAt(i + 1);
  if (next === 117 /* u */) return i + 6;
  if (next === 120 /* x */) return i + 4;
  return i + 2;
}

/**
 * @internal Whether `text` may hold a secret one of the default patterns masks: never false when one
 * would match. It looks for each pattern's literal core: `=` (assignments, query parameters), `://`,
 * `Q~`, `-----BEGIN` (one regular-expression scan, which also flattens a concatenated string), then a
 * token, `Bearer` or `Basic` prefix at a word start or right after an escape (`\n`, `%20`; one pass
 * over the characters); a `:` counts when a secret-looking key word is in the text. False for most
 * model names, ids and short prose, at a fraction of the patterns' cost (benchmarks/redaction.ts,
 * unique_short_string_ns).
 */
export function mayHoldDefaultSecret(text: string): boolean {
  if (LITERAL_CORE.test(text)) return true;
  let previousAlnum = false;
  let colon = false;
  let escapeEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === COLON) colon = true;
    const alnum = isAlnum(code);
    if (!alnum && (code === BACKSLASH || code === PERCENT || code === ESC)) escapeEnd = afterEscape(text, i, code);
    else if (alnum && (!previousAlnum || i === escapeEnd)) {
      const prefixes = WORD_PREFIXES[code];
      if (prefixes !== undefined) for (const prefix of prefixes) if (text.startsWith(prefix, i)) return true;
    }
    previousAlnum = alnum;
  }
  return colon && KEY_WORD.test(text);
}

/** Texts up to this length are tested with `mayHoldDefaultSecret` first; longer ones go straight to the patterns. */
const GATED_CHARS = 1024;

/**
 * @internal One pass of `maskPatterns`: replaces every match of `patterns` in `text` by `[REDACTED]`. When the first capture group that
 * took part in the match is a prefix of it (`(token=)\w+`), that prefix is kept. When `patterns`
 * begins with the default patterns (as every Redactor's does), a short text that cannot hold a
 * default secret skips them.
 */
export function applyPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  const defaults = PATTERNS.length;
  const skip =
    text.length <= GATED_CHARS && patterns[0] === PATTERNS[0] && patterns[defaults - 1] === PATTERNS[defaults - 1] && !mayHoldDefaultSecret(text);
  for (let i = skip ? defaults : 0; i < patterns.length; i++) {
    const pattern = patterns[i]!;
    pattern.lastIndex = 0;
    out = out.replace(pattern, pattern === ASSIGNMENT ? assignment : keepPrefix);
  }
  return out;
}

/**
 * A written escape the patterns do not read as it is: any but a line break or tab written as `\n`,
 * `\r`, `\t` (which the patterns take for the space it stands for), so JSON text full of `\n` is
 * scanned once.
 */
const ESCAPE_TO_DECODE = /\\[^nrt]|%[0-9A-Fa-f]{2}/;

/**
 * Masks `patterns` in `text` (`applyPatterns`), and where the text holds escapes written out as text,
 * in the text with them decoded too: a secret hidden behind an escape the patterns do not read
 * (`sk\u002Dproj-...`, `%250Ask-...`, `%3Fkey%3D...`, `Bearer%09...`) is still masked. Only when
 * the decoded text holds such a secret is it returned, decoded and masked (fail closed); otherwise
 * the text keeps its escapes.
 */
export function maskPatterns(text: string, patterns: readonly RegExp[]): string {
  const masked = applyPatterns(text, patterns);
  if (!ESCAPE_TO_DECODE.test(masked)) return masked;
  const decoded = decodeWrittenEscapes(masked);
  if (decoded === masked) return masked;
  const remasked = applyPatterns(decoded, patterns);
  return remasked === decoded ? masked : remasked;
}

function keepPrefix(match: string, ...rest: unknown[]): string {
  for (const group of rest) {
    if (typeof group === 'number') break; // the offset: no capture group took part
    if (typeof group === 'string') return match.startsWith(group) && group !== match ? `${group}${REDACTED}` : REDACTED;
  }
  return REDACTED;
}
