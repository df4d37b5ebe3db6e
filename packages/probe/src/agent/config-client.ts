/**
 * @module agent/config-client
 * Fetches the agent's settings from the collector (`GET /api/v1/agent/config`)
 * under the same rules as the report upload: the collector's certificate is
 * verified (system store plus `--collector-ca`), the token never goes over
 * plain HTTP except to loopback, and a proxy is reached with CONNECT. Every
 * outcome is a classified value, never an exception: a collector answering
 * garbage must not take the agent down.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { getCACertificates, connect as tlsConnect } from 'node:tls';
import pkg from '../../package.json' with { type: 'json' };
import { errorText } from '../step.ts';
import { connectThrough } from '../transport/connect-proxy.ts';
import { type CollectorOptions, collectorEndpoint } from '../upload/collector-client.ts';
import { type AgentSettings, AgentSettingsError, parseAgentSettings } from './agent-settings.ts';

export const AGENT_CONFIG_PATH = '/api/v1/agent/config';
/** A service profile is a few kB; anything near this is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;

/** Why the settings could not be taken from the collector. */
export type ConfigFailure =
  /** No connection, a timeout, or the answer broke off. */
  | 'unreachable'
  /** The collector's certificate did not verify. */
  | 'untrusted'
  /** 401/403: the token is wrong or revoked. */
  | 'rejected'
  /** Any other non-2xx status. */
  | 'http-error'
  /** 2xx, but not JSON or not valid settings. */
  | 'invalid';

export type ConfigFetch =
  | { ok: true; settings: AgentSettings }
  | { ok: false; failure: ConfigFailure; status?: number; message: string };

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** A CONNECT tunnel through `proxy` to the collector. */
async function tunnel(proxy: URL, target: URL, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  const socket = netConnect({ host: hostOf(proxy), port: Number(proxy.port || 8080) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const step = await connectThrough(
    socket,
    proxy,
    hostOf(target),
    Number(target.port || 443),
    AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    signal,
    timeoutMs,
  );
  if (!step.ok) {
    socket.destroy();
    throw new Error(`through the proxy: ${step.outcome.message}`);
  }
  return socket;
}

function readBody(res: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONFIG_BYTES) {
        res.destroy();
        resolve('too-large');
      } else chunks.push(c);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** What one request to the collector sends. */
export interface CollectorRequestInit {
  method: 'GET' | 'POST';
  headers: Record<string, string | number>;
  body?: string;
}

/**
 * One request to the collector, as every agent request is made: its
 * certificate verified against the system store plus `--collector-ca`, a
 * proxy reached with CONNECT, and a fresh connection each time (no pool
 * keeps sockets, or memory, between runs). Rejects on a network error or
 * the timeout; the caller classifies.
 */
export async function collectorRequest(
  collector: Pick<CollectorOptions, 'caPems' | 'proxy'>,
  endpoint: URL,
  init: CollectorRequestInit,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const secure = endpoint.protocol === 'https:';
  const ca = collector.caPems?.length ? [...getCACertificates('default'), ...collector.caPems] : undefined;
  const viaProxy =
    collector.proxy && secure ? await tunnel(collector.proxy, endpoint, timeoutMs, signal) : undefined;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      endpoint,
      {
        method: init.method,
        headers: { 'user-agent': 'netinsights-agent', ...init.headers },
        ...(secure && ca ? { ca } : {}),
        ...(viaProxy
          ? {
              createConnection: () =>
                tlsConnect({
                  socket: viaProxy,
                  ...(isIP(hostOf(endpoint)) ? {} : { servername: endpoint.hostname }),
                  ...(ca ? { ca } : {}),
                  ALPNProtocols: ['http/1.1'],
                }),
            }
          : { agent: false }),
        timeout: timeoutMs,
        signal,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * One GET of the agent config; the signal aborts it (the agent is stopping).
 * Throws only for a collector URL the token may not go to (checked by the
 * caller before the first run); everything else is a classified result.
 */
export async function fetchAgentSettings(
  collector: CollectorOptions,
  signal: AbortSignal = new AbortController().signal,
  deviceId?: string,
  about: { officeId?: string; trafficLeftBytes?: number } = {},
): Promise<ConfigFetch> {
  const base = collectorEndpoint(collector.url);
  const endpoint = new URL(AGENT_CONFIG_PATH, base);
  const timeoutMs = collector.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const res = await collectorRequest(
      collector,
      endpoint,
      {
        method: 'GET',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${collector.token}`,
          // The agent's check-in: the collector lists the fleet by version and flags the silent.
          'x-netinsights-agent-version': pkg.version,
          ...(deviceId ? { 'x-netinsights-device-id': deviceId } : {}),
          // For the measurement plan: the office it says it is in, and what its daily cap has left.
          ...(about.officeId ? { 'x-netinsights-office-id': about.officeId } : {}),
          ...(about.trafficLeftBytes !== undefined
            ? { 'x-netinsights-traffic-left': Math.floor(about.trafficLeftBytes) }
            : {}),
        },
      },
      timeoutMs,
      signal,
    );
    const status = res.statusCode ?? 0;
    const body = await readBody(res);
    if (status === 401 || status === 403)
      return {
        ok: false,
        failure: 'rejected',
        status,
        message: `the collector refused the agent token (HTTP ${status})`,
      };
    if (status < 200 || status >= 300)
      return { ok: false, failure: 'http-error', status, message: `the collector answered HTTP ${status}` };
    if (body === 'too-large')
      return {
        ok: false,
        failure: 'invalid',
        status,
        message: `the agent config is larger than ${MAX_CONFIG_BYTES} bytes`,
      };
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (err) {
      return {
        ok: false,
        failure: 'invalid',
        status,
        message: `the agent config is not JSON (${(err as Error).message})`,
      };
    }
    return { ok: true, settings: parseAgentSettings(json) };
  } catch (err) {
    if (err instanceof AgentSettingsError) return { ok: false, failure: 'invalid', message: err.message };
    const text = errorText(err);
    if (/certificate|self.signed|UNABLE_TO|CERT_/i.test(text))
      return {
        ok: false,
        failure: 'untrusted',
        message: `the collector's certificate is not trusted (${text}); pass its CA with --collector-ca`,
      };
    return {
      ok: false,
      failure: 'unreachable',
      message: `cannot reach the collector at ${endpoint.origin}: ${text}`,
    };
  }
}
