/**
 * Secret redaction, applied to everything llmtrace captures before it is stored, logged or
 * exported: API keys and bearer tokens inside strings, and whole values under secret-looking keys
 * (`authorization`, `api_key`, `x-api-key`, `password`, ...).
 */

/** The mask that replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Patterns of secrets found inside free text. Order matters: specific before generic. */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{8,}/g, // Authorization: Bearer ...
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
  /\bhf_[A-Za-z0-9]{30,}\b/g, // Hugging Face tokens
  /((?:api[_-]?key|apikey|access[_-]?token|secret|password|token)["']?\s*[:=]\s*["']?)[^\s"'&,}]{6,}/gi, // key=value
];

/** Object keys whose values are always masked, whatever they hold. */
export const SECRET_KEY = /^(?:authorization|proxy-authorization|x-api-key|api[-_]?key|apikey|access[-_]?token|refresh[-_]?token|secret|client[-_]?secret|password|passwd|cookie|set-cookie)$/i;

/** Masks every secret pattern in `text`. */
export function redactText(text: string, patterns: readonly RegExp[] = DEFAULT_SECRET_PATTERNS): string {
  let out = text;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match, prefix?: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) && prefix !== match ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/**
 * A redacted deep copy of `value`: strings have secrets masked, values under secret keys are
 * replaced by `[REDACTED]`, cycles become `[Circular]`, functions are dropped.
 */
export function redactValue(value: unknown, patterns: readonly RegExp[] = DEFAULT_SECRET_PATTERNS): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, patterns);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    if (depth > 32) return '[Depth]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Error) return { name: v.name, message: redactText(v.message, patterns) };
    if (ArrayBuffer.isView(v)) return `[${v.constructor.name} ${v.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    const source = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (source !== v) return walk(source, depth + 1);
    for (const [key, item] of Object.entries(v)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
