/**
 * @module store/sqlite/report-body
 * How the embedded store keeps a report's raw JSON: Brotli-compressed, in the
 * `body` column as a BLOB. A 25-check report shrinks from ~15 KB to ~1.7 KB,
 * so the database, the WAL and the checkpoint copy of every commit are about
 * nine times smaller; the compression costs ~20 µs per report and pays for
 * itself in the disk writes and fsyncs it saves (figures in ARCHITECTURE.md,
 * "Storing raw reports"). Brotli because Node has it built in and, at
 * quality 1, it was the fastest of Node's codecs on these documents (deflate
 * and zstd took 10–30 % longer for the same size).
 *
 * Rows written before bodies were compressed hold TEXT; SQLite keeps each
 * value's storage class, so a string is such a row and reads as it is.
 * (PostgreSQL needs none of this: it compresses large text itself, TOAST.)
 */

import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** Compresses a report's JSON text for the `body` column. */
export function encodeReportBody(text: string): Uint8Array {
  return brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

/** The report's JSON text from a `body` value, compressed (BLOB) or from before compression (TEXT). */
export function decodeReportBody(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return brotliDecompressSync(value).toString('utf8');
  throw new TypeError(`reports.body holds ${value === null ? 'NULL' : typeof value}, not a report`);
}
