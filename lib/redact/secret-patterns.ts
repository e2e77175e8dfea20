/**
 * The default secret patterns and the function that masks them in free text. A leaf module (no
 * imports), so that both redaction (`lib/redact.ts`) and llmtrace's own diagnostics
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

/** The mask that replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Keys whose `key=value` / `"key": "value"` forms are masked in free text. */
const ASSIGNED_KEYS =
  'api[_-]?key|apikey|access[_-]?key(?:[_-]?id)?|account[_-]?key|shared[_-]?access[_-]?key|secret|password|passwd|pwd|' +
  'passphrase|credentials?|[a-z_]*token|authorization';

/** An optional quote around a key or value, escaped or not (`"`, `'`, `\\"` in JSON inside JSON). */
const QUOTE = `(?:\\\\?["'])?`;

/**
 * Patterns of secrets found inside free text. Order matters: specific before generic, and a
 * pattern whose first capture group is a prefix of the match keeps that prefix (`api_key=[REDACTED]`).
 */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [
  // PEM private keys, whole block (multi-line, or JSON-escaped `\n`); an unterminated block is masked
  // to the end of the text. secretlint-rule-privatekey, secretlint-rule-gcp (service-account JSON).
  /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[\s\S]*)/g,
  // JWTs: header and payload are base64url JSON (`eyJ`), the signature may be empty (alg none). Bare,
  // after `Bearer`, or echoed in an SDK error body. Also 1Password service-account tokens (`ops_eyJ...`).
  /(?<![A-Za-z0-9_-])(?:ops_)?eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /(?<![A-Za-z0-9])ops_eyJ[A-Za-z0-9+/=_-]{50,}/g, // secretlint-rule-1password
  // Credentials in URLs: `https://user:pass@host`, `postgres://user:pass@host`, mongodb+srv, redis,
  // amqp, ... (secretlint-rule-basicauth, secretlint-rule-database-connection-string,
  // secretlint-rule-npm `x-oauth-basic`). The scheme and host are kept: `postgres://[REDACTED]@db:5432`.
  /(\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/)[^\s:@/?#"'<>]{0,256}:[^\s@/?#"'<>]{1,256}(?=@)/g,
  /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]{8,}/gi, // secretlint-rule-slack (webhooks)
  /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{8,}/g, // secretlint-rule-anthropic (sk-ant-api03-..., admin keys)
  /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // secretlint-rule-openai
  /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, // secretlint-rule-stripe (secret and restricted keys)
  /(?<![A-Za-z0-9])whsec_[A-Za-z0-9]{24,}/g, // Stripe webhook signing secrets
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{8,}/g, // Authorization: Bearer ...
  /\b[Bb]asic\s+[A-Za-z0-9+/]{8,}={0,2}/g, // Authorization: Basic ...
  /\b(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}\b/g, // secretlint-rule-aws (access key ids)
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /(?<![A-Za-z0-9])ya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth access tokens
  /(?<![A-Za-z0-9])1\/\/0[0-9A-Za-z_-]{30,}/g, // Google OAuth refresh tokens
  /(?<![A-Za-z0-9])GOCSPX-[0-9A-Za-z_-]{20,}/g, // Google OAuth client secrets
  /(?<![A-Za-z0-9])ghs_[0-9]{1,20}_[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{1,10000}\.[A-Za-z0-9_-]{1,1000}/g, // secretlint-rule-github (app installation, new format)
  /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9_]{30,}/g, // secretlint-rule-github (classic tokens)
  /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,}/g, // secretlint-rule-github (fine-grained tokens)
  /(?<![A-Za-z0-9])gl(?:pat|dt|rt|ptt|oas|cbt|imt|soat|ffct|agent|ft)-[A-Za-z0-9_-]{20,}/g, // secretlint-rule-gitlab (glpat- and the other GitLab prefixes)
  /(?<![A-Za-z0-9])glc_[A-Za-z0-9+/]{32,}={0,2}/g, // secretlint-rule-grafana (cloud API tokens)
  /(?<![A-Za-z0-9])glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}/g, // secretlint-rule-grafana (service accounts)
  /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36,}/g, // secretlint-rule-npm (access tokens)
  /\bxox[abporse]-(?:\d-)?[A-Za-z0-9-]{10,}/g, // secretlint-rule-slack (bot, user, app-level, refresh tokens)
  /\bxapp-\d-[A-Za-z0-9-]{10,}/g, // secretlint-rule-slack (app-level tokens)
  /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, // secretlint-rule-sendgrid
  /(?<![A-Za-z0-9])shp(?:pa|ca|at|ss)_[A-Za-z0-9]{32,}/g, // secretlint-rule-shopify
  /(?<![A-Za-z0-9])gsk_[A-Za-z0-9]{40,}/g, // secretlint-rule-groq
  /(?<![A-Za-z0-9])hf_[A-Za-z0-9]{30,}/g, // secretlint-rule-huggingface
  /(?<![A-Za-z0-9])lin_(?:api|oauth)_[A-Za-z0-9_]{32,}/g, // secretlint-rule-linear
  /(?<![A-Za-z0-9])ntn_[A-Za-z0-9]{40,}/g, // secretlint-rule-notion
  /(?<![A-Za-z0-9])hv[sbr]\.[A-Za-z0-9_-]{24,}/g, // secretlint-rule-hashicorp-vault
  /(?<![A-Za-z0-9])(?:vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,}/g, // secretlint-rule-vercel
  /(?<![A-Za-z0-9])dapi[a-f0-9]{32}(?:-\d)?/g, // secretlint-rule-databricks
  /(?<![A-Za-z0-9])dckr_(?:pat|oat)_[A-Za-z0-9_-]{24,}/g, // secretlint-rule-docker
  /(?<![A-Za-z0-9])figd_[A-Za-z0-9_-]{40,}/g, // secretlint-rule-figma
  /(?<![A-Za-z0-9])(?:cfk|cfut|cfat)_[A-Za-z0-9]{40,}/g, // secretlint-rule-cloudflare
  /(?<![A-Za-z0-9])tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,}/g, // secretlint-rule-tailscale
  /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/g, // Azure AD client secrets (secretlint-rule-azure)
  // URL query parameters that carry credentials: ?key=, ?api_key=, ?token=, &access_token=, &sig=
  // (Azure SAS), X-Amz-Signature / X-Amz-Credential / X-Amz-Security-Token, X-Goog-Signature, ...
  /([?&;](?:[A-Za-z0-9_.-]{0,40}?(?:key|token|secret|password|passwd|pwd|sig|signature|credential|auth))=)[^&#\s"'<>]+/gi,
  // key=value, key: value and "key": "value" forms (api_key=..., OPENAI_API_KEY=..., aws_secret_access_key
  // = ... (secretlint-rule-aws), AccountKey=... (Azure), "client_secret": "...", Authorization: token ...).
  // An unquoted `key: value` needs a digit or symbol in the value, so prose ("password: remember it") stays.
  new RegExp(
    `((?:${ASSIGNED_KEYS})${QUOTE}\\s*(?:=>|:=|=)\\s*${QUOTE})(?:(?:token|digest)\\s+)?[^\\s"'&,;}\\\\]{6,}` +
      `|((?:${ASSIGNED_KEYS})${QUOTE}\\s*:\\s*\\\\?["'])[^"'\\\\\\r\\n]{6,}` +
      `|((?:${ASSIGNED_KEYS})${QUOTE}:\\s*)(?:(?:token|digest)\\s+)?(?=[^\\s"'&,;}\\\\]*[^A-Za-z\\s"'&,;}\\\\])[^\\s"'&,;}\\\\]{6,}`,
    'gi',
  ),
];

/**
 * Replaces every match of `patterns` in `text` by `[REDACTED]`. When the first capture group that
 * took part in the match is a prefix of it (`(token=)\w+`), that prefix is kept.
 */
export function applyPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    out = out.replace(pattern, keepPrefix);
  }
  return out;
}

function keepPrefix(match: string, ...rest: unknown[]): string {
  for (const group of rest) {
    if (typeof group === 'number') break; // the offset: no capture group took part
    if (typeof group === 'string') return match.startsWith(group) && group !== match ? `${group}${REDACTED}` : REDACTED;
  }
  return REDACTED;
}
