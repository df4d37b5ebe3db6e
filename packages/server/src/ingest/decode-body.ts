/**
 * @module ingest/decode-body
 * Reads an upload under two caps: the bytes as sent (`maxBodyBytes`) and the
 * bytes after gzip/deflate decompression (`maxDecompressedBytes`).
 * Decompression is streamed and stopped as soon as the output passes the
 * cap, so a gzip bomb costs at most that many bytes of work before its 413.
 * Content-Encoding per RFC 9110 §8.4: `gzip` (and `x-gzip`), `deflate`
 * (zlib format), `identity`; anything else is 415.
 */
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { apiError } from '../errors.ts';

/** What Fastify expects from a replacement payload stream (bodyLimit and Content-Length checks use it). */
type Decoded = Readable & { receivedEncodedLength: number };

export function decodeBody(
  raw: Readable,
  encodingHeader: string | undefined,
  contentLength: number | undefined,
  maxBodyBytes: number,
  maxDecompressedBytes: number,
): Readable {
  const encoding = (encodingHeader ?? 'identity').trim().toLowerCase();
  if (contentLength !== undefined && contentLength > maxBodyBytes)
    throw apiError(
      'NI_ERR_BODY_TOO_LARGE',
      `the body is ${contentLength} bytes; at most ${maxBodyBytes} are accepted`,
    );
  if (encoding === 'identity' || encoding === '') {
    // Content-Length framing already bounds the body; only a chunked body needs counting.
    return contentLength !== undefined ? raw : counted(raw, maxBodyBytes);
  }
  let inflater: ReturnType<typeof createGunzip>;
  if (encoding === 'gzip' || encoding === 'x-gzip') inflater = createGunzip();
  else if (encoding === 'deflate') inflater = createInflate();
  else
    throw apiError(
      'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding "${encodingHeader}" is not accepted; use gzip, deflate or none`,
    );

  const out = new PassThrough() as PassThrough & Decoded;
  out.receivedEncodedLength = 0;
  let produced = 0;
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    raw.unpipe(inflater);
    inflater.destroy();
    out.destroy(err);
  };
  raw.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
    if (out.receivedEncodedLength > maxBodyBytes)
      fail(apiError('NI_ERR_BODY_TOO_LARGE', `the body is larger than ${maxBodyBytes} bytes`));
  });
  raw.on('error', fail);
  inflater.on('data', (chunk: Buffer) => {
    if (failed) return;
    produced += chunk.length;
    if (produced > maxDecompressedBytes) {
      fail(
        apiError(
          'NI_ERR_BODY_TOO_LARGE',
          `the body decompresses to more than ${maxDecompressedBytes} bytes (limit for decompressed reports)`,
        ),
      );
      return;
    }
    out.write(chunk);
  });
  inflater.on('end', () => {
    if (!failed) out.end();
  });
  inflater.on('error', (err) => {
    fail(apiError('NI_ERR_BODY_UNPARSEABLE', `the ${encoding} body cannot be decompressed: ${err.message}`));
  });
  raw.pipe(inflater);
  return out;
}

function counted(raw: Readable, max: number): Readable {
  const out = new PassThrough() as PassThrough & Decoded;
  out.receivedEncodedLength = 0;
  raw.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
    if (out.receivedEncodedLength > max) {
      raw.unpipe(out);
      out.destroy(apiError('NI_ERR_BODY_TOO_LARGE', `the body is larger than ${max} bytes`));
    }
  });
  raw.on('error', (err) => out.destroy(err));
  raw.pipe(out);
  return out;
}
