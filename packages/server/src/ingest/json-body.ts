/**
 * @module ingest/json-body
 * Parses an upload's JSON under two structural limits, checked on the raw
 * bytes before `JSON.parse` runs: the nesting depth and the number of
 * values. `JSON.parse` of a document that is only brackets costs about a
 * quarter of a second per megabyte of event loop (4 million nested `[`, or
 * 2.8 million `[]` in one array, each took over a second), so a document
 * past either limit is refused by a scan that stops at the first byte past
 * the limit, and the parse never sees it.
 *
 * The scan counts brackets and commas outside strings; strings (most of a
 * real report) are skipped with the native `indexOf`.
 */
import { apiError } from '../errors.ts';

/** The parsed document and its exact text (stored as received). */
export interface JsonBody {
  json: unknown;
  text: string;
}

/** Structural limits on an upload's JSON. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most values (objects, arrays and the items and members inside them). */
  maxElements: number;
}

/** What the scan found; it stops early once a limit is passed, so the figures are then lower bounds. */
export interface JsonShape {
  depth: number;
  elements: number;
}

/**
 * Reports the lab's probe produces (36 to 47 checks) hold 1,700 to 2,400
 * values, nest 7 deep and take 47 to 70 KB; the limits leave about twenty
 * times that for values and ~15 times for bytes (config/server-config.ts).
 */
export const DEFAULT_MAX_JSON_ELEMENTS = 50_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * Depth and value count of the bytes, stopping once past either limit. A
 * container counts one value, and each comma one more (the value after it);
 * a quote preceded by an odd number of backslashes is escaped.
 */
export function jsonShape(buf: Buffer, limits: JsonLimits): JsonShape {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      let j = i + 1;
      for (;;) {
        j = buf.indexOf(QUOTE, j);
        if (j < 0) return { depth: deepest, elements }; // unterminated: JSON.parse reports it
        let k = j - 1;
        while (buf[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (++elements > limits.maxElements) break;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limits.maxDepth) break;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA && ++elements > limits.maxElements) break;
  }
  return { depth: deepest, elements };
}

/** The deepest nesting in the bytes, stopping early once past `max`. */
export function jsonDepth(buf: Buffer, max: number): number {
  return jsonShape(buf, { maxDepth: max, maxElements: Number.POSITIVE_INFINITY }).depth;
}

/** Throws 413 naming the limit when the bytes nest deeper than, or hold more values than, `limits` allow. */
export function checkJsonShape(buf: Buffer, limits: JsonLimits): void {
  const shape = jsonShape(buf, limits);
  if (shape.depth > limits.maxDepth)
    throw apiError('NI_ERR_BODY_TOO_LARGE', `the JSON is nested deeper than ${limits.maxDepth} levels`, {
      maxDepth: limits.maxDepth,
    });
  if (shape.elements > limits.maxElements)
    throw apiError(
      'NI_ERR_BODY_TOO_LARGE',
      `the JSON holds more than ${limits.maxElements} values (objects, arrays and their items)`,
      { maxElements: limits.maxElements },
    );
}

/** Checks the shape, then parses; throws 413 (too deep or too many values) or 400 (not JSON). */
export function parseJsonBody(buf: Buffer, limits: JsonLimits): JsonBody {
  if (buf.length === 0)
    throw apiError('NI_ERR_BODY_UNPARSEABLE', 'the body is empty; a JSON report is expected');
  checkJsonShape(buf, limits);
  const text = buf.toString('utf8');
  try {
    return { json: JSON.parse(text), text };
  } catch (err) {
    throw apiError('NI_ERR_BODY_UNPARSEABLE', `the body is not valid JSON: ${(err as Error).message}`);
  }
}
