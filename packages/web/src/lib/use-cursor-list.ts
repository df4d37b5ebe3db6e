/**
 * @module lib/use-cursor-list
 * A list the server pages with a cursor, read page after page: the first
 * page of `path`, then "load more" appends the next one. A different path
 * starts blank; an answer for a path the view has left is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import type { List } from '../api/types.ts';

export interface CursorList<T> {
  items: T[];
  /** Where the next page starts; undefined on the last page. */
  cursor: string | undefined;
  loading: boolean;
  error: Error | undefined;
  /** Reads the first page again (after an error). */
  retry: () => void;
  /** Appends the next page. */
  more: () => Promise<void>;
}

/** `page(cursor)` is the path of a page: the first one without a cursor. */
export function useCursorList<T>(page: (cursor?: string) => string): CursorList<T> {
  const first = page();
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const shown = useRef(first);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    let live = true;
    if (shown.current !== first) {
      setItems([]);
      shown.current = first;
    }
    setLoading(true);
    setError(undefined);
    api<List<T>>(first)
      .then((r) => {
        if (!live) return;
        setItems(r.items);
        setCursor(r.nextCursor);
      })
      .catch((e: Error) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [first, attempt]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const r = await api<List<T>>(page(cursor));
      setItems((old) => [...old, ...r.items]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { items, cursor, loading, error, retry, more };
}
