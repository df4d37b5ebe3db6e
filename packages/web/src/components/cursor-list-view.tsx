/**
 * @module components/cursor-list-view
 * A card's worth of a cursor-paged list (`useCursorList`): its error with a
 * retry, the empty state, the rows, the spinner while a page loads and
 * "Load more" while the server has more.
 */
import type { ReactNode } from 'react';
import type { CursorList } from '../lib/use-cursor-list.ts';
import { ErrorNotice, Loading } from './states.tsx';

export function CursorListView<T>({
  list,
  empty,
  children,
}: {
  list: CursorList<T>;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { items, cursor, loading, error } = list;
  return (
    <>
      {error && (
        <div className="card-body">
          <ErrorNotice error={error} retry={list.retry} />
        </div>
      )}
      {!loading && !error && items.length === 0 && empty}
      {items.length > 0 && children(items)}
      {loading && <Loading />}
      {cursor && !loading && (
        <div className="pager">
          <span className="muted small">{items.length} shown</span>
          <button type="button" onClick={() => void list.more()}>
            Load more
          </button>
        </div>
      )}
    </>
  );
}
