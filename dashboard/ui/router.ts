/**
 * Hash routing: `#/overview`, `#/traces?status=error`, `#/trace/<id>`, `#/models`, `#/live`. The
 * hash keeps the server to one page and makes every view a link people can share.
 */
import { useEffect, useState } from 'preact/hooks';

/** The current route: the page and its query. */
export interface Route {
  page: string;
  arg: string | undefined;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'overview', arg] = path.split('/');
  return { page: page || 'overview', arg, params: new URLSearchParams(query) };
}

/** The route the hash names, updated on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parse(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Goes to `page` with `params` (empty values dropped). */
export function navigate(page: string, params: Record<string, string | number | undefined> = {}): void {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const qs = query.toString();
  location.hash = `#/${page}${qs ? `?${qs}` : ''}`;
}
