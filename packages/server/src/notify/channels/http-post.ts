/**
 * @module notify/channels/http-post
 * The one path by which the HTTP channels (webhook, Teams, Slack) send:
 * `postJson` POSTs a JSON body and classifies the answer into a send
 * outcome. Underneath, `postToUrl` makes one bounded HTTP POST to a
 * tenant-supplied URL, with the SSRF guard in the connect path (the address
 * is resolved, checked and pinned by the same lookup call) and a deadline
 * for the whole exchange. Redirects are not followed: a 3xx to an internal
 * address would bypass the guard.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkHost, type GuardOptions, guardedLookup } from '../ssrf-guard.ts';
import type { SendContext, SendOutcome } from './contract.ts';

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

/** Classifies an HTTP answer (RFC 9110 §15: 408 and 429 are worth retrying, other 4xx are not). */
export function httpOutcome(status: number, body: string): SendOutcome {
  const detail = `HTTP ${status}${body ? `: ${body.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true, status, detail, retryable: false };
  const retryable = status === 408 || status === 429 || status >= 500 || status < 200;
  return { ok: false, status, detail, retryable };
}

/** Turns a thrown error into an outcome (guard refusals are final). */
export function errorOutcome(err: unknown): SendOutcome {
  const e = err as Error & { code?: string };
  if (e?.code === 'NI_ERR_TARGET_FORBIDDEN') return { ok: false, detail: e.message, retryable: false };
  const cause = (e as { cause?: Error }).cause;
  return {
    ok: false,
    detail: `${e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'timed out' : (e?.message ?? String(err))}${cause ? ` (${cause.message})` : ''}`,
    retryable: true,
  };
}

/**
 * POSTs `payload` as JSON to `url` with the channel's sending settings, and
 * classifies the answer; never throws. `headersFor` gets the serialised
 * body, so a signature covers the very bytes sent.
 */
export async function postJson(
  url: string,
  payload: unknown,
  ctx: SendContext,
  headersFor?: (body: string) => Record<string, string>,
): Promise<SendOutcome> {
  try {
    const body = JSON.stringify(payload);
    const res = await postToUrl(new URL(url), body, {
      ...ctx.guard,
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      ...(headersFor ? { headers: headersFor(body) } : {}),
    });
    return httpOutcome(res.status, res.body);
  } catch (err) {
    return errorOutcome(err);
  }
}
