/**
 * The provider's request id of a successful call, as the SDKs hand it over: the OpenAI and Anthropic
 * SDKs define a non-enumerable `_request_id` on every object they return (from the `x-request-id` /
 * `request-id` header). Failures carry theirs on the error (lib/record/error-info.ts).
 */

/** `value._request_id` when it is a non-empty string, else undefined. Never throws. */
export function requestIdOfResult(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    const id = (value as { _request_id?: unknown })._request_id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined; // a hostile getter or Proxy trap: no id
  }
}

/** The request id a provider put in its response headers (`x-request-id`, Anthropic's `request-id`). */
export function requestIdOfHeaders(headers: { get(name: string): string | null }): string | undefined {
  return headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
}
