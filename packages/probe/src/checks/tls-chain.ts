/**
 * @module checks/tls-chain
 * The TLS check of a host: version, cipher, ALPN, the served chain and the
 * genuine / intercepted / untrusted verdict (see verdicts/tls-verdict.ts).
 */
import type { CheckResult } from '@netinsights/protocol';
import type { Step } from '../step.ts';
import type { Secured } from '../transport/tls-handshake.ts';
import type { begin } from './check-result.ts';

/** ALPN the probe offers on every HTTPS connection, like a browser. */
export const ALPN_OFFER = ['h2', 'http/1.1'];

export function tlsResult(finish: ReturnType<typeof begin>, secured: Step<Secured>): CheckResult {
  if (!secured.ok) return finish(secured.outcome, { timings: secured.timings ?? {} });
  return finish(secured.outcome, { timings: { tlsMs: secured.ms }, tls: secured.detail });
}
