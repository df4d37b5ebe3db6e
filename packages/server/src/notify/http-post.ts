/**
 * @module notify/http-post
 * One bounded HTTP POST to a tenant-supplied URL, with the SSRF guard in the
 * connect path (the address is resolved, checked and pinned by the same
 * lookup call) and a deadline for the whole exchange. Redirects are not
 * followed: a 3xx to an internal address would bypass the guard.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkHost, type GuardOptions, guardedLookup } from './ssrf-guard.ts';

/** Result of a POST: the status and the start of the answer (for the delivery log). */
export interface PostResult {
  status: number;
  body: string;
}

/** Options of one POST. */
export interface PostOptions extends GuardOptions {
  headers?: Record<string, string>;
  /** Whole-exchange deadline in ms (default 15 000). */
  timeoutMs?: number;
  /** Extra CA certificates (PEM) to trust, for private receivers. */
  ca?: string[];
}

// Enough of an answer to explain a failure; receivers' bodies are not ours to keep.
const MAX_ANSWER = 2048;

/** POSTs `body` to `url`. Rejects on network errors, guard refusals and the deadline. */
export async function postToUrl(url: URL, body: string, opts: PostOptions = {}): Promise<PostResult> {
  const what = `notification URL ${url.origin}`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Node skips `lookup` for IP literals, so those are checked here.
  if (isIP(host)) await checkHost(host, what, opts);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'netinsights-notify/0.1',
          ...opts.headers,
        },
        lookup: guardedLookup(what, opts),
        agent: false,
        ...(opts.ca ? { ca: opts.ca } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
