/**
 * @module checks/http2
 * HTTP/2 versus HTTP/1.1. ALPN is end to end only when nothing terminates
 * TLS in between, so: with the origin's genuine chain, what was negotiated is
 * what the origin offers; with an interceptor's chain, the origin is taken to
 * offer h2 because the profile lists the host as an HTTP/2 host, and ending
 * on http/1.1 means the middlebox downgraded the connection.
 */
import type { CheckResult, Http2Detail, TlsDetail } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import type { begin } from './check-result.ts';

export function http2Result(finish: ReturnType<typeof begin>, host: string, tls: TlsDetail): CheckResult {
  const negotiated = tls.alpnNegotiated ?? null;
  const gotH2 = negotiated === 'h2';
  const genuine = tls.verdict === 'genuine';
  const detail: Http2Detail = {
    originOffersH2: genuine ? gotH2 : true,
    negotiated,
    downgraded: !genuine && !gotH2,
  };
  if (detail.downgraded) {
    const by = tls.vendor ? ` by ${tls.vendor}` : '';
    return finish(
      fail(
        'http',
        'downgraded',
        `${host} offers HTTP/2, but the connection through the TLS-terminating middlebox${by} ended on ${negotiated ?? 'no ALPN (HTTP/1.1)'}`,
      ),
      { http2: detail },
    );
  }
  return finish(ok(), { http2: detail });
}
