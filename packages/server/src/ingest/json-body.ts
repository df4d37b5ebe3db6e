/**
 * @module ingest/json-body
 * Parses an upload's JSON with a limit on its nesting depth. The depth is
 * measured on the raw bytes (brackets outside strings), so a document like
 * `[[[[…]]]]` nested a million deep is refused with a clear error, and no
 * recursive walk can overflow the stack afterwards.
 *
 * When the caller will validate the document against a schema that cannot
 * accept anything deeper than the limit (ingest/schema-depth.ts), the scan
 * is left for the documents that fail to parse or to validate: a valid one
 * is shallow by construction, and the scan costs about as much as the parse
 * itself. Parsing first is safe: V8's JSON.parse is iterative (no stack
 * overflow on deep input) and the body is already capped in bytes, and a
 * deep document builds no more objects than a flat one of the same size.
 */
import { apiError } from '../errors.ts';

/** The parsed document and its exact text (stored as received). */
export interface JsonBody {
  json: unknown;
  text: string;
  /**
   * The bytes, when the depth check was deferred to the caller (see
   * `parseJsonBody`'s `validatedDepth`): call `checkJsonDepth` before
   * answering that the document is invalid.
   */
  depthUnchecked?: Buffer;
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

/** Throws the "nested too deep" error (413) when the bytes nest deeper than `maxDepth`. */
export function checkJsonDepth(buf: Buffer, maxDepth: number): void {
  if (jsonDepth(buf, maxDepth) > maxDepth)
    throw apiError('NI_ERR_BODY_TOO_LARGE', `the JSON is nested deeper than ${maxDepth} levels`, {
      maxDepth,
    });
}

/**
 * @param validatedDepth the deepest document the caller's schema accepts
 *   (Infinity when unbounded). When it is within `maxDepth`, a document that
 *   parses is returned with `depthUnchecked` set instead of being scanned.
 */
export function parseJsonBody(
  buf: Buffer,
  maxDepth: number,
  validatedDepth = Number.POSITIVE_INFINITY,
): JsonBody {
  if (buf.length === 0)
    throw apiError('NI_ERR_BODY_UNPARSEABLE', 'the body is empty; a JSON report is expected');
  const deferred = validatedDepth <= maxDepth;
  if (!deferred) checkJsonDepth(buf, maxDepth);
  const text = buf.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // Too deep is the more useful answer for a document that is both (as without deferral).
    if (deferred) checkJsonDepth(buf, maxDepth);
    throw apiError('NI_ERR_BODY_UNPARSEABLE', `the body is not valid JSON: ${(err as Error).message}`);
  }
  return deferred ? { json, text, depthUnchecked: buf } : { json, text };
}
