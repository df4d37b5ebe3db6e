/**
 * @module store/shared/cursor
 * Keyset pages for "newest first" lists ordered by (time, id), in every
 * dialect: the cursor is opaque to clients (base64url of `time|id`), and a
 * page is read as `limit + 1` rows, the extra one telling that more follow.
 */
import type { Page } from '../contract.ts';

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar <= 0) return undefined;
  return { at: text.slice(0, bar), id: text.slice(bar + 1) };
}

/**
 * The page from `rows` (read with LIMIT `limit + 1`): the first `limit`
 * decoded, and a cursor after the last one when the extra row was there.
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  decode: (row: R) => T,
  key: (item: T) => { at: string; id: string },
): Page<T> {
  const items = rows.slice(0, limit).map(decode);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items };
  const k = key(last);
  return { items, nextCursor: encodeCursor(k.at, k.id) };
}
