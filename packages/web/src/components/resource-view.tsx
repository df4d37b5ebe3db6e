/**
 * @module components/resource-view
 * What a view shows for one loaded resource, in the same order everywhere:
 * the error (with a retry), the spinner while there is nothing yet, the
 * empty state, or the content. A failed refresh keeps the last answer on
 * screen below its error.
 */
import type { ReactNode } from 'react';
import type { Resource } from '../lib/use-api.ts';
import { ErrorNotice, Loading } from './states.tsx';

/** An answer with nothing in it: an empty array, or a `List` with no items. */
function noItems(data: unknown): boolean {
  const items = Array.isArray(data) ? data : (data as { items?: unknown[] } | null)?.items;
  return Array.isArray(items) && items.length === 0;
}

export interface ResourceViewProps<T> {
  resource: Resource<T>;
  loadingLabel?: string;
  /**
   * `card` (default) pads the error as a card body, for a resource that fills
   * a card; `plain` shows it as it is, inside a body that is already padded;
   * `none` leaves it to the caller (who shows it elsewhere, beside its filters).
   */
  errorAs?: 'card' | 'plain' | 'none';
  /** Whether the answer counts as empty (default: an empty array or list). */
  isEmpty?: (data: T) => boolean;
  /** Shown instead of the content for an empty answer. */
  empty?: ReactNode;
  /** The content; without it the view shows only the states (the caller renders the content). */
  children?: (data: T) => ReactNode;
}

export function ResourceView<T>({
  resource,
  loadingLabel,
  errorAs = 'card',
  isEmpty = noItems,
  empty,
  children,
}: ResourceViewProps<T>) {
  const { data, error, reload } = resource;
  const notice = error && errorAs !== 'none' && <ErrorNotice error={error} retry={reload} />;
  const blank = data !== undefined && empty !== undefined && isEmpty(data);
  return (
    <>
      {notice && (errorAs === 'card' ? <div className="card-body">{notice}</div> : notice)}
      {data === undefined && !error && <Loading label={loadingLabel} />}
      {blank && empty}
      {data !== undefined && !blank && children?.(data)}
    </>
  );
}
