/**
 * Secret-looking keys: the object keys, header names, attribute and event keys whose values are
 * masked whatever they hold (`apiKey`, `API_KEY`, `x-api-key`, `Authorization`, `client_secret`,
 * `set-cookie`, `accessToken`, ...). Case and separators (`-`, `_`, `.`, space, camelCase) do not
 * matter. A leaf module.
 */

/**
 * Keys whose values are always masked, as one regular expression over the raw key: anything ending
 * in `api_key`, `secret`, `password`, `authorization`, `cookie`, `private_key`, `access_key_id`, a
 * separated `key` (`x-custom-key`, `Ocp-Apim-Subscription-Key`, `key`; not `monkey`), `auth` (Node's
 * `http.request({ auth: 'user:pass' })`; not `oauth`) or `bearer`, or a `token`
 * (`github_token`, `access-token`; not `max_tokens`). `isSecretKey` adds the camelCase and
 * separator-free spellings.
 */
export const SECRET_KEY =
  /(?:api[-_]?key|secret|password|passwd|passphrase|authorization|cookie|credentials?|private[-_]?key(?:[-_]?id)?|access[-_]?key[-_]?id|(?:^|[-_. ])(?:key|auth|bearer)|(?:^|[-_. ]|access|refresh|auth|session|bearer|csrf|xsrf|id)token)$/i;

/** Separator-free, lower-case suffixes that mark a secret (`accesstoken`, `apikey`, `xapikey`). */
const NORMALISED_SECRET = /(?:apikey|secret|secretkey|accesskey|privatekey|password|passwd|pwd|passphrase|authorization|cookie|token|credentials?)$/;

/** camelCase `...Key` (`secretKey`, `subscriptionKey`; not `monkey`). */
const CAMEL_KEY = /[a-z0-9]Key$/;

const SEPARATORS = /[-_.\s]/g;

/** Decisions are cached: span attribute keys repeat on every call. Cleared when full. */
const MAX_CACHED_KEYS = 4096;
const cache = new Map<string, boolean>();

function decide(key: string): boolean {
  if (SECRET_KEY.test(key) || CAMEL_KEY.test(key)) return true;
  return NORMALISED_SECRET.test(key.replace(SEPARATORS, '').toLowerCase());
}

/** Whether values under `key` are masked whatever they hold. */
export function isSecretKey(key: string): boolean {
  let known = cache.get(key);
  if (known === undefined) {
    known = decide(key);
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(key, known);
  }
  return known;
}
