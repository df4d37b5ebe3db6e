/**
 * @module store/sqlite/report-body
 * How the embedded store keeps a report's raw JSON: LZ4-compressed, in the
 * `body` column as a BLOB (an LZ4 block after its uncompressed length, 4
 * bytes little-endian — lz4-napi's `compressSync` format). A 25-check report
 * shrinks from ~15 KB to ~2.2 KB, so the database, the WAL and the
 * checkpoint copy of every commit are several times smaller. LZ4 because this
 * runs on the event loop for every upload: ~10 µs a report, where Node's own
 * Brotli (quality 1) took ~20 µs for 1.7 KB and deflate or zstd longer still
 * (figures in ARCHITECTURE.md, "Storing raw reports").
 *
 * Rows written before bodies were compressed hold TEXT; SQLite keeps each
 * value's storage class, so a string is such a row and reads as it is.
 * (PostgreSQL needs none of this: it compresses large text itself, TOAST.)
 */
import { compressSync, uncompressSync } from 'lz4-napi';

/** Compresses a report's JSON — its UTF-8 bytes when the caller has them, which saves encoding the text. */
export function encodeReportBody(text: string, utf8?: Uint8Array): Uint8Array {
  return compressSync(
    utf8 ? Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength) : Buffer.from(text, 'utf8'),
  );
}

/** The report's JSON text from a `body` value: compressed (BLOB), or from before compression (TEXT). */
export function decodeReportBody(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return uncompressSync(value).toString('utf8');
  throw new TypeError(`reports.body holds ${value === null ? 'NULL' : typeof value}, not a report`);
}
