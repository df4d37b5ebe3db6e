/**
 * @module http/paging
 * Cursor paging as the list routes answer it: `?cursor=&limit=` in (50 by
 * default, at most 200), `{ items, nextCursor? }` out, where `nextCursor` is
 * there only while more items follow.
 */
import { Type } from '@sinclair/typebox';
import type { Page } from '../store/contract.ts';

/** The query properties of a paged list; spread into the route's querystring schema. */
export const PAGE_QUERY = {
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
};

/** The store's page request for the query's cursor and limit. */
export function pageRequest(q: { cursor?: string; limit?: number }): { limit: number; cursor?: string } {
  return { limit: q.limit ?? 50, ...(q.cursor ? { cursor: q.cursor } : {}) };
}

/** The answer for one page, each item shown through `view`. */
export function pageAnswer<T, V>(page: Page<T>, view: (item: T) => V): { items: V[]; nextCursor?: string } {
  const items = page.items.map(view);
  return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
}
