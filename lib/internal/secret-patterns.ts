/**
 * The default secret patterns and the function that masks them in free text. A leaf module (no
 * imports), so that both redaction (`lib/redact.ts`) and llmtrace's own diagnostics
 * (`lib/internal/diagnostics.ts`) mask secrets without importing each other.
 */

/** The mask that replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Patterns of secrets found inside free text. Order matters: specific before generic. */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /(?<![A-Za-z0-9])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{8,}/g, // Authorization: Bearer ...
  /\b[Bb]asic\s+[A-Za-z0-9+/]{8,}={0,2}/g, // Authorization: Basic ...
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id (long-term and temporary)
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API key
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}/g, // GitHub fine-grained tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
  /\bhf_[A-Za-z0-9]{30,}\b/g, // Hugging Face tokens
  // key=value and "key": "value" forms (api_key=..., OPENAI_API_KEY=..., aws_secret_access_key=...).
  /((?:api[_-]?key|apikey|access[_-]?key|secret|password|passwd|token|authorization)["']?\s*[:=]\s*["']?)[^\s"'&,}]{6,}/gi,
];

/** Replaces every match of `patterns` in `text` by `[REDACTED]` (keeping a first capture group that prefixes the match). */
export function applyPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match, prefix?: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) && prefix !== match ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}
