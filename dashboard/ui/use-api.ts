/** `useApi`: the answer of one API call, fetched again when its path or parameters change. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

/** What `useApi` gives: the data once loaded, or the error. */
export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

/** Fetches `/api/<path>?<params>`; `path` undefined fetches nothing. `refresh` changes to refetch. */
export function useApi<T>(path: string | undefined, params: Record<string, string | number | undefined> = {}, refresh = 0): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>({ data: undefined, error: undefined, loading: true });
  const key = JSON.stringify([path, params, refresh]);
  useEffect(() => {
    if (path === undefined) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, params).then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: Error) => live && setState({ data: undefined, error: error.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
