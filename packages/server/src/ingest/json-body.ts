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

/** The deepest nesting in the bytes, stopping early once past `max`. */
export function jsonDepth(buf: Uint8Array, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
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
