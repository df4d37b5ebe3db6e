/**
 * @module connect-proxy
 * Opens a tunnel through an HTTP proxy with CONNECT (RFC 9110 §9.3.6) and
 * reads the proxy's answer: 2xx is a tunnel, any other status is classified
 * by what it means (`proxy-answer.ts`), anything that is not an HTTP
 * response is a bad response. The proxy's own headers (Proxy-Agent, Via,
 * X-Squid-Error, Server, Proxy-Authenticate) are kept as evidence.
 * Credentials from the proxy URL go only into Proxy-Authorization.
 */
import type { Socket } from 'node:net';
import type { HttpDetail } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';
import { cutOff, errorText, failed, type Step, since } from '../step.ts';
import { classifyProxyAnswer } from './proxy-answer.ts';

/** A response head larger than this is not a proxy talking HTTP. */
const MAX_HEAD_BYTES = 16 * 1024;

const EVIDENCE_HEADERS = [
  'proxy-agent',
  'via',
  'x-squid-error',
  'server',
  'x-cache',
  'proxy-authenticate',
  'content-type',
];

/** An open tunnel; any bytes that followed the proxy's answer are back in the socket. */
export interface Tunnel {
  /** CONNECT sent until the proxy's 2xx arrived. */
  ms: number;
}

export interface ProxyHead {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

/** Parses an HTTP/1.x response head; undefined when it is not one. */
export function parseResponseHead(text: string): ProxyHead | undefined {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const [statusLine, ...lines] = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated fields are one list (RFC 9110 §5.3): proxies often send one Proxy-Authenticate per scheme.
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(m[1]), reason: m[2] ?? '', headers, body: end >= 0 ? text.slice(end + 4) : '' };
}

/** The proxy's answer as HTTP detail for the report. */
export function proxyAnswerDetail(head: ProxyHead, evidence: string[]): HttpDetail {
  const headers: Record<string, string> = {};
  for (const name of EVIDENCE_HEADERS) {
    const value = head.headers[name];
    if (value !== undefined) headers[name] = value.slice(0, 512);
  }
  return { method: 'CONNECT', status: head.status, headers, servedBy: 'proxy', proxyEvidence: evidence };
}

/**
 * Sends CONNECT for `host:port` on an open socket to the proxy and waits for
 * its answer. On success the socket is a raw tunnel to the destination.
 */
export function connectThrough(
  socket: Socket,
  proxy: URL,
  host: string,
  port: number,
  signal: AbortSignal,
  runSignal: AbortSignal,
  timeoutMs: number,
): Promise<Step<Tunnel>> {
  const start = performance.now();
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const proxyName = `proxy ${proxy.host}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, 'User-Agent: netinsights-probe'];
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const done = (result: Step<Tunnel>) => {
      signal.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const timings = () => ({ proxyConnectMs: since(start) });
    const answered = (head: ProxyHead, rest: Buffer) => {
      const ms = since(start);
      if (head.status >= 200 && head.status < 300) {
        socket.pause();
        if (rest.length > 0) socket.unshift(rest);
        done({ ok: true, ms });
        return;
      }
      const said = `${proxyName} answered CONNECT ${authority} with ${head.status}${head.reason ? ` ${head.reason}` : ''}`;
      const evidence = [said];
      const squid = head.headers['x-squid-error'];
      if (squid) evidence.push(`X-Squid-Error: ${squid}`);
      const detail = proxyAnswerDetail(head, evidence);
      const outcome = classifyProxyAnswer(head, host, said, proxy.username !== '');
      done(failed(outcome, { timings: { proxyConnectMs: ms }, http: detail }));
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      const firstLine = received.subarray(0, 24).toString('latin1');
      if (received.length >= 5 && !firstLine.startsWith('HTTP/')) {
        done(
          failed(
            fail(
              'proxy',
              'bad-response',
              `${proxyName} answered CONNECT with something that is not HTTP: ${JSON.stringify(firstLine)}`,
            ),
            { timings: timings() },
          ),
        );
        return;
      }
      if (end < 0) {
        if (received.length > MAX_HEAD_BYTES)
          done(
            failed(
              fail('proxy', 'bad-response', `${proxyName} sent a response head over ${MAX_HEAD_BYTES} bytes`),
              { timings: timings() },
            ),
          );
        return;
      }
      const head = parseResponseHead(received.subarray(0, end + 4).toString('latin1'));
      if (!head) {
        done(
          failed(fail('proxy', 'bad-response', `${proxyName} answered CONNECT with a malformed HTTP head`), {
            timings: timings(),
          }),
        );
        return;
      }
      head.body = received.subarray(end + 4, end + 4 + 2048).toString('utf8');
      answered(head, received.subarray(end + 4));
    };
    const onError = (err: Error) =>
      done(
        failed(
          fail(
            'proxy',
            'bad-response',
            `${proxyName} dropped the connection during CONNECT: ${errorText(err)}`,
          ),
          { timings: timings() },
        ),
      );
    const onClose = () =>
      done(
        failed(
          fail(
            'proxy',
            'bad-response',
            received.length === 0
              ? `${proxyName} closed the connection without answering CONNECT`
              : `${proxyName} closed the connection in the middle of its answer to CONNECT`,
          ),
          { timings: timings() },
        ),
      );
    const onAbort = () =>
      done(
        failed(
          cutOff(
            runSignal,
            fail(
              'proxy',
              'timeout',
              `${proxyName} did not answer CONNECT ${authority} within ${timeoutMs} ms`,
            ),
            `CONNECT through ${proxyName}`,
          ),
          { timings: timings() },
        ),
      );
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    // A signal that fired before this phase began never fires again: stop at once.
    if (signal.aborted) queueMicrotask(onAbort);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}
