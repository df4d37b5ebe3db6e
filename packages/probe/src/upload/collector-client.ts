/**
 * @module upload/collector-client
 * Sends one ProbeReport to the collector: `POST /api/v1/reports`, gzipped
 * JSON, `Authorization: Bearer <agent token>`. The collector's certificate is
 * always verified (system + bundled store, plus `--collector-ca`), and the
 * token never travels over plain HTTP except to a loopback address. The
 * answer says whether trying again later makes sense, so the spool keeps
 * only what can still succeed.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { getCACertificates, connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ProbeReport } from '@netinsights/protocol';
import { NetinsightsError } from '@netinsights/protocol';
import { errorText } from '../step.ts';
import { connectThrough } from '../transport/connect-proxy.ts';
import { redactProxy } from '../transport/proxy-selection.ts';

const gzipAsync = promisify(gzip);

export const REPORTS_PATH = '/api/v1/reports';
const DEFAULT_TIMEOUT_MS = 15_000;
/** Enough of an error answer to show its message. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface CollectorOptions {
  /** Base URL of the collector, e.g. `https://netinsights.example.com`. */
  url: string;
  token: string;
  /** Extra PEM CA certificates for the collector's certificate. */
  caPems?: string[];
  timeoutMs?: number;
  /** HTTP proxy to tunnel through (CONNECT), when the collector is only reachable that way. */
  proxy?: URL;
}

export type UploadResult =
  | { ok: true; status: number; duplicate: boolean; egressIp?: string; officeId?: string | null }
  | { ok: false; retryable: boolean; status?: number; message: string };

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/** Checks the collector URL once, before any run: a bad one is a usage error. */
export function collectorEndpoint(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `--collector "${base}" is not a URL (expected https://host[:port])`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new NetinsightsError('NI_ERR_USAGE', `--collector "${base}" must be an https:// URL`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `--collector "${base}": refusing to send the agent token over plain http to a non-loopback host; use https://`,
    );
  if (url.username || url.password)
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `--collector "${base}": put the token in --token, not in the URL`,
    );
  return new URL(REPORTS_PATH, url);
}

/** Status codes after which the same report may succeed later (RFC 9110 §15.5.9, §15.6; RFC 6585 §4). */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500 || status === 401 || status === 403;
}

/** The start of an answer that is not the collector's, for the log (one line, printable). */
function snippet(chunks: Buffer[]): string {
  const text = Buffer.concat(chunks).subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
  return text ? `"${text.slice(0, 80)}${text.length > 80 ? '…' : ''}"` : 'empty body';
}

/** What to do when the collector refuses the token: the reports wait meanwhile. */
function tokenHint(status: number): string {
  return status === 401 || status === 403
    ? '; the agent token is refused (revoked or wrong): give the agent a new one (agent install --token, or re-enroll); reports wait in the spool until then'
    : '';
}

/** A CONNECT tunnel to the collector through `proxy`, or why there is none. */
async function tunnelTo(
  proxy: URL,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ socket: Socket } | { error: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const socket = netConnect({
    host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(proxy.port || 8080),
  });
  const connected = await new Promise<string | undefined>((resolve) => {
    const onAbort = () => resolve(`no answer within ${timeoutMs / 1000} s`);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(undefined);
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      resolve(errorText(err));
    });
  });
  if (connected !== undefined) {
    socket.destroy();
    return { error: `the proxy ${redactProxy(proxy)} cannot be reached: ${connected}` };
  }
  socket.on('error', () => {});
  const tunnel = await connectThrough(
    socket,
    proxy,
    host,
    port,
    signal,
    new AbortController().signal,
    timeoutMs,
  );
  return tunnel.ok ? { socket } : { error: tunnel.outcome.message };
}

export async function uploadReport(report: ProbeReport, opts: CollectorOptions): Promise<UploadResult> {
  const endpoint = collectorEndpoint(opts.url);
  const body = await gzipAsync(Buffer.from(JSON.stringify(report)));
  const secure = endpoint.protocol === 'https:';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ca = opts.caPems?.length ? [...getCACertificates('default'), ...opts.caPems] : undefined;
  let viaProxy: Socket | undefined;
  if (opts.proxy && secure) {
    const tunnel = await tunnelTo(opts.proxy, endpoint.hostname, Number(endpoint.port || 443), timeoutMs);
    if ('error' in tunnel)
      return {
        ok: false,
        retryable: true,
        message: `cannot reach the collector through the proxy: ${tunnel.error}`,
      };
    viaProxy = tunnel.socket;
  }
  return new Promise((resolve) => {
    const req = (secure ? httpsRequest : httpRequest)(
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': body.length,
          authorization: `Bearer ${opts.token}`,
          'user-agent': 'netinsights-probe',
        },
        ...(secure && ca ? { ca } : {}),
        // Through a proxy, TLS (verified as always) runs inside the tunnel; otherwise a fresh
        // connection, never an agent pool or a proxy environment deciding where the token goes.
        ...(viaProxy
          ? {
              createConnection: () =>
                tlsConnect({
                  socket: viaProxy,
                  ...(isIP(endpoint.hostname.replace(/^\[(.*)\]$/, '$1'))
                    ? {}
                    : { servername: endpoint.hostname }),
                  ...(ca ? { ca } : {}),
                  ALPNProtocols: ['http/1.1'],
                }),
            }
          : { agent: false }),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(c);
        });
        res.on('error', (err) =>
          resolve({
            ok: false,
            retryable: true,
            message: `the collector's answer broke off: ${errorText(err)}`,
          }),
        );
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          // Stored only on the collector's own receipt for this report: a 200 page from a proxy,
          // a portal or a wrong URL in front of the collector stored nothing.
          if (status >= 200 && status < 300 && json?.reportId !== report.reportId) {
            resolve({
              ok: false,
              retryable: true,
              status,
              message: `the collector answered ${status} but not with a receipt for report ${report.reportId} (${snippet(chunks)}): is --collector the netinsights server, or does a proxy answer in its place?`,
            });
            return;
          }
          if (status >= 200 && status < 300) {
            resolve({
              ok: true,
              status,
              duplicate: json?.duplicate === true,
              ...(typeof json?.egressIp === 'string' ? { egressIp: json.egressIp } : {}),
              ...(json && 'officeId' in json ? { officeId: (json.officeId as string | null) ?? null } : {}),
            });
            return;
          }
          const error = json?.error as { code?: string; message?: string } | undefined;
          const said = error?.message
            ? `${error.code ?? ''} ${error.message}`.trim()
            : `HTTP ${status} (${snippet(chunks)})`;
          resolve({
            ok: false,
            // Dropped only on the collector's own refusal of the report (a coded error); an answer
            // that is not one came from something else in the way and may change.
            retryable: retryableStatus(status) || typeof error?.code !== 'string',
            status,
            message: `the collector answered ${status}: ${said}${tokenHint(status)}`,
          });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(
        Object.assign(new Error(`no answer within ${(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`), {
          code: 'ETIMEDOUT',
        }),
      ),
    );
    req.on('error', (err) => {
      const text = errorText(err);
      const tls = /certificate|self.signed|UNABLE_TO|CERT_/i.test(text);
      resolve({
        ok: false,
        retryable: true,
        message: tls
          ? `the collector's certificate is not trusted (${text}); pass its CA with --collector-ca`
          : `cannot reach the collector at ${endpoint.origin}: ${text}`,
      });
    });
    req.end(body);
  });
}
