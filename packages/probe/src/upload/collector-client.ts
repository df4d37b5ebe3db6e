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
import { isIP } from 'node:net';
import { getCACertificates } from 'node:tls';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ProbeReport } from '@netinsights/protocol';
import { NetinsightsError } from '@netinsights/protocol';
import { errorText } from '../step.ts';

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

export async function uploadReport(report: ProbeReport, opts: CollectorOptions): Promise<UploadResult> {
  const endpoint = collectorEndpoint(opts.url);
  const body = await gzipAsync(Buffer.from(JSON.stringify(report)));
  const secure = endpoint.protocol === 'https:';
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
        ...(secure && opts.caPems?.length ? { ca: [...getCACertificates('default'), ...opts.caPems] } : {}),
        // Never let a proxy environment or an agent pool change where the token goes.
        agent: false,
        timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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
          const said = error?.message ? `${error.code ?? ''} ${error.message}`.trim() : `HTTP ${status}`;
          resolve({
            ok: false,
            retryable: retryableStatus(status),
            status,
            message: `the collector answered ${status}: ${said}`,
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
