/**
 * Reading the dashboard's JSON API from the page: same origin only (the CSP allows nothing else).
 * The access token, when the dashboard needs one, travels in a cookie set by the first visit.
 */

/** A failed API call: the server's one-line reason. */
export class ApiError extends Error {}

/** GETs `/api/<path>` with `params` and returns the parsed JSON. */
export async function api<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  const res = await fetch(`api/${path}${qs ? `?${qs}` : ''}`, { credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(body.error ?? `HTTP ${res.status}`);
  return body as T;
}
