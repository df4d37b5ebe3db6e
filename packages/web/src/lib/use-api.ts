/**
 * @module lib/use-api
 * Loads one API resource for a component: `{ data, error, loading, reload }`.
 * A newer request aborts the older one, so fast navigation never shows the
 * answer of a page the admin already left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, options: { refreshMs?: number } = {}): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(path !== null);
  const [nonce, setNonce] = useState(0);
  const lastPath = useRef(path);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `nonce` is the reload trigger.
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    // A different resource starts blank; a reload of the same one keeps showing the old data.
    if (lastPath.current !== path) {
      setData(undefined);
      lastPath.current = path;
    }
    setLoading(true);
    api<T>(path, { signal: controller.signal })
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, nonce]);

  useEffect(() => {
    if (!options.refreshMs || path === null) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') setNonce((n) => n + 1);
    }, options.refreshMs);
    return () => clearInterval(t);
  }, [options.refreshMs, path]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}
