/**
 * @module ingest/json-body
 * Parses an upload's JSON after checking its nesting depth. The depth is
 * measured on the raw bytes before parsing (brackets outside strings), so a
 * document like `[[[[…]]]]` nested a million deep is refused without
 * building it, and no recursive walk can overflow the stack afterwards.
 */
import { apiError } from '../http/api-error.ts';

/** The parsed document and its exact text (stored as received). */
export interface JsonBody {
  json: unknown;
  text: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * The deepest nesting in the bytes, stopping early once past `max`. Strings
 * are skipped with the native `indexOf` (most of a report is string content);
 * a quote preceded by an odd number of backslashes is escaped.
 */
export function jsonDepth(buf: Buffer, max: number): number {
  let depth = 0;
  let deepest = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        j = buf.indexOf(QUOTE, j);
        if (j < 0) return deepest; // unterminated: JSON.parse reports it
        let k = j - 1;
        while (buf[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

export function parseJsonBody(buf: Buffer, maxDepth: number): JsonBody {
  if (buf.length === 0)
    throw apiError('NI_ERR_BODY_UNPARSEABLE', 'the body is empty; a JSON report is expected');
  if (jsonDepth(buf, maxDepth) > maxDepth)
    throw apiError('NI_ERR_BODY_TOO_LARGE', `the JSON is nested deeper than ${maxDepth} levels`, {
      maxDepth,
    });
  const text = buf.toString('utf8');
  try {
    return { json: JSON.parse(text), text };
  } catch (err) {
    throw apiError('NI_ERR_BODY_UNPARSEABLE', `the body is not valid JSON: ${(err as Error).message}`);
  }
}
