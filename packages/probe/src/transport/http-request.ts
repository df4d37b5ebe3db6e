/**
 * @module http-request
 * One GET over an already secured socket, in HTTP/2 when ALPN chose h2 and
 * HTTP/1.1 otherwise, reading the body only as far as the caller allows
 * (bytes and time). Errors are classified at the http layer: garbage is
 * `http/bad-response`, a dropped connection `http/reset`, silence
 * `http/timeout`.
 */
import { request as h1Request, type IncomingHttpHeaders } from 'node:http';
import { type IncomingHttpHeaders as H2Headers, connect as h2Connect } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { fail } from '@netinsights/protocol';
import type { ProbeContext } from '../context.ts';
import { cutOff, errorCode, errorText, failed, type Step, since } from '../step.ts';

export interface HttpResponse {
  status: number;
  httpVersion: string;
  headers: Record<string, string>;
  /** The first `keepBytes` bytes of the body. */
  body: Buffer;
  bodyBytes: number;
  firstByteMs: number;
  totalMs: number;
  limitedBy: 'bytes' | 'time' | 'eof';
}

export interface HttpRequestOptions {
  host: string;
  /**
   * The port dialled, when it is not 443: RFC 9110 §7.2 puts it in Host (and
   * `:authority`). An intercepting proxy (squid ssl-bump, mitmproxy) forwards
   * by that header, so leaving it out sends the request to port 443.
   */
  port?: number;
  path: string;
  /** Stop reading after this many body bytes. */
  maxBytes: number;
  /** Stop reading the body after this long (the request itself has the check deadline). */
  maxBodyMs?: number;
  keepBytes: number;
  signal: AbortSignal;
  /** The signal's deadline, for the message when it fires. */
  timeoutMs: number;
}

function flatHeaders(headers: IncomingHttpHeaders | H2Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(':') || v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function classify(err: unknown, host: string) {
  const code = errorCode(err) ?? '';
  const text = errorText(err);
  if (
    code.startsWith('HPE_') ||
    code === 'ERR_HTTP2_ERROR' ||
    code === 'ERR_HTTP2_PROTOCOL_ERROR' ||
    /parse error/i.test(text)
  )
    return fail('http', 'bad-response', `${host} answered with something that is not valid HTTP: ${text}`);
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /socket hang up|ERR_HTTP2_(STREAM|SESSION|GOAWAY)/i.test(code + text)
  )
    return fail('http', 'reset', `the connection to ${host} was dropped before a complete answer: ${text}`);
  return fail('http', 'bad-response', `the request to ${host} failed: ${text}`);
}

export function httpGet(
  ctx: ProbeContext,
  socket: TLSSocket,
  opts: HttpRequestOptions,
): Promise<Step<HttpResponse>> {
  const start = performance.now();
  const useH2 = socket.alpnProtocol === 'h2';
  return new Promise((resolve) => {
    let firstByteMs = 0;
    let status = 0;
    let headers: Record<string, string> = {};
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let bodyBytes = 0;
    let bodyTimer: NodeJS.Timeout | undefined;
    let settled = false;
    let cleanup = () => {};
    const finish = (result: Step<HttpResponse>) => {
      if (settled) return;
      settled = true;
      clearTimeout(bodyTimer);
      opts.signal.removeEventListener('abort', onAbort);
      cleanup();
      resolve(result);
    };
    const complete = (limitedBy: HttpResponse['limitedBy']) =>
      finish({
        ok: true,
        status,
        httpVersion: useH2 ? '2' : '1.1',
        headers,
        body: Buffer.concat(kept),
        bodyBytes,
        firstByteMs,
        totalMs: since(start),
        limitedBy,
      });
    const onHead = (s: number, h: IncomingHttpHeaders | H2Headers) => {
      firstByteMs = since(start);
      status = s;
      headers = flatHeaders(h);
      if (opts.maxBodyMs !== undefined) bodyTimer = setTimeout(() => complete('time'), opts.maxBodyMs);
    };
    const onChunk = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (keptBytes < opts.keepBytes) {
        kept.push(chunk.subarray(0, opts.keepBytes - keptBytes));
        keptBytes += Math.min(chunk.length, opts.keepBytes - keptBytes);
      }
      if (bodyBytes >= opts.maxBytes) complete('bytes');
    };
    const onError = (err: unknown) =>
      finish(failed(classify(err, opts.host), { timings: { totalMs: since(start) } }));
    const onAbort = () => {
      if (status !== 0) {
        // Headers arrived: what was read so far is the answer (a stalled body is judged by throughput).
        complete('time');
        return;
      }
      finish(
        failed(
          cutOff(
            ctx.runSignal,
            fail('http', 'timeout', `${opts.host} sent no HTTP answer within ${opts.timeoutMs} ms`),
            `HTTPS request to ${opts.host}`,
          ),
          { timings: { totalMs: since(start) } },
        ),
      );
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    // A signal that fired before this phase began never fires again: stop at once.
    if (opts.signal.aborted) queueMicrotask(onAbort);
    const userAgent = 'netinsights-probe';
    const authority = opts.port !== undefined && opts.port !== 443 ? `${opts.host}:${opts.port}` : opts.host;
    if (useH2) {
      const session = h2Connect(`https://${authority}`, { createConnection: () => socket });
      session.on('error', onError);
      const req = session.request({
        ':method': 'GET',
        ':path': opts.path,
        'user-agent': userAgent,
        accept: '*/*',
      });
      req.on('response', (h) => onHead(Number(h[':status'] ?? 0), h));
      req.on('data', onChunk);
      req.on('end', () => complete('eof'));
      req.on('error', onError);
      cleanup = () => {
        req.destroy();
        session.destroy();
        session.on('error', () => {});
      };
      return;
    }
    const req = h1Request({
      host: opts.host,
      path: opts.path,
      method: 'GET',
      headers: { host: authority, 'user-agent': userAgent, accept: '*/*', connection: 'close' },
      // No agent: with createConnection and no agent, node uses our socket as is (agent:false would dial anew).
      createConnection: () => socket,
    });
    req.on('response', (res) => {
      onHead(res.statusCode ?? 0, res.headers);
      res.on('data', onChunk);
      res.on('end', () => complete('eof'));
      res.on('error', onError);
      res.on('aborted', () => onError(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
    });
    req.on('error', onError);
    req.end();
    cleanup = () => {
      req.destroy();
      socket.destroy();
      req.on('error', () => {});
    };
  });
}
