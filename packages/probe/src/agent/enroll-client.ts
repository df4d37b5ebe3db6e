/**
 * @module agent/enroll-client
 * First contact of an agent installed with an enrollment secret: it trades
 * the secret for its own agent token (`POST /api/v1/agent/enroll`) and keeps
 * the token in its state folder, readable by itself only, so every later
 * start uses the token and the secret is not needed again. Same transport
 * rules as the report upload: the collector's certificate is verified, no
 * secret over plain HTTP except to loopback, a proxy reached with CONNECT.
 * A refusal (unknown, revoked, expired, used up) is final and says why; a
 * collector that cannot be reached is worth trying again.
 */
import { errorText } from '../step.ts';
import { type CollectorOptions, collectorEndpoint } from '../upload/collector-client.ts';
import { collectorRequest } from './config-client.ts';

export const ENROLL_PATH = '/api/v1/agent/enroll';
const TIMEOUT_MS = 15_000;

export type EnrollResult =
  | { ok: true; token: string; officeId: string | null }
  /** `refused`: the collector said no for good; `retry`: try again later. */
  | { ok: false; kind: 'refused' | 'retry'; message: string };

export async function enroll(
  collector: Omit<CollectorOptions, 'token'>,
  secret: string,
  deviceId: string,
  signal: AbortSignal,
): Promise<EnrollResult> {
  const endpoint = new URL(ENROLL_PATH, collectorEndpoint(collector.url));
  const body = JSON.stringify({ secret, deviceId });
  try {
    const res = await collectorRequest(
      collector,
      endpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        body,
      },
      TIMEOUT_MS,
      signal,
    );
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks)
      .toString('utf8')
      .slice(0, 64 * 1024);
    let json: { token?: unknown; officeId?: unknown; error?: { code?: string; message?: string } } = {};
    try {
      json = JSON.parse(text);
    } catch {}
    const status = res.statusCode ?? 0;
    if (status === 201 && typeof json.token === 'string' && json.token.startsWith('nia_'))
      return {
        ok: true,
        token: json.token,
        officeId: typeof json.officeId === 'string' ? json.officeId : null,
      };
    if (status === 403 && json.error?.code === 'NI_ERR_ENROLLMENT_REFUSED')
      return {
        ok: false,
        kind: 'refused',
        message: `the collector refused enrollment: ${json.error.message}`,
      };
    return {
      ok: false,
      kind: 'retry',
      message: `the collector answered enrollment with HTTP ${status}${json.error?.message ? `: ${json.error.message}` : ''}`,
    };
  } catch (err) {
    return {
      ok: false,
      kind: 'retry',
      message: `cannot reach the collector at ${endpoint.origin} to enroll: ${errorText(err)}`,
    };
  }
}
