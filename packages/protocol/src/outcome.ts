/**
 * @module outcome
 * How a single check ended. Probe failures are data, not exceptions: every
 * failure names the network layer where it happened and a stable class.
 */
import { type Static, Type } from '@sinclair/typebox';

/** The layers a failure can be attributed to, outermost first. */
export const FAILURE_LAYERS = [
  'dns',
  'tcp',
  'proxy',
  'tls',
  'http',
  'ws',
  'quic',
  'media',
  'perf',
  'probe',
] as const;
export type FailureLayer = (typeof FAILURE_LAYERS)[number];

/**
 * Every failure class per layer, with the plain-language meaning the probe's
 * text report and the dashboard show. Adding a class is fine; renaming or
 * reusing one is not (stored reports refer to them).
 */
export const FAILURE_CLASSES = {
  dns: {
    nxdomain: 'the name does not exist according to the resolver',
    nodata: 'the name exists but has no address records',
    servfail: 'the resolver failed to answer (SERVFAIL)',
    refused: 'the resolver refused the query',
    timeout: 'the resolver did not answer in time',
    unreachable: 'no DNS server could be contacted (nothing listens on its port, or no route)',
    error: 'name resolution failed for another reason',
  },
  tcp: {
    refused: 'the connection was actively refused',
    timeout: 'the connection attempt timed out (packets dropped)',
    reset: 'the connection was reset',
    unreachable: 'no route to the host or network',
    error: 'the connection failed for another reason',
  },
  proxy: {
    forbidden:
      'the proxy refused to open the tunnel: its rules forbid it (HTTP 403, a block page, a policy denial)',
    'auth-required': 'the proxy demands authentication (HTTP 407); the schemes it offers are named',
    unreachable: 'the proxy itself could not be reached',
    'bad-gateway':
      'the proxy allowed the tunnel but could not reach the destination itself (HTTP 502/503/504, or an error page naming a connect failure)',
    'bad-response': 'the proxy answered CONNECT with something that is not HTTP',
    refused: 'the proxy answered CONNECT with another error status',
    timeout: 'the proxy did not answer CONNECT in time',
    'upstream-dns': "the proxy could not resolve the destination's name with its own DNS",
    'auth-rejected': 'the proxy refused the credentials the probe sent (HTTP 407 again)',
  },
  tls: {
    intercepted: 'the certificate chain was issued by an interceptor, not the service',
    untrusted: 'the certificate chain is not trusted and is not a known interceptor',
    'hostname-mismatch': 'the certificate does not cover the requested host name',
    'handshake-failed': 'the TLS handshake failed',
    'bad-certificate': 'the peer sent a certificate that cannot be parsed',
    reset: 'the connection was reset during the TLS handshake',
    timeout: 'the TLS handshake did not complete in time',
  },
  http: {
    status: 'the request was answered with an error status',
    'block-page': 'a proxy or gateway answered with a block page instead of the service',
    downgraded: 'the service offers HTTP/2 but the connection ended on HTTP/1.1',
    'bad-response': 'the answer was not valid HTTP',
    reset: 'the connection was reset before a complete answer',
    timeout: 'no complete answer arrived in time',
  },
  ws: {
    'upgrade-refused': 'the WebSocket upgrade was refused',
    'reset-after-open': 'the WebSocket was reset or killed while held open',
    'closed-with-code': 'the WebSocket was closed by the other side with a close code',
    'echo-failed': 'the WebSocket opened but the echo round trip failed',
    timeout: 'the WebSocket upgrade did not complete in time',
  },
  quic: {
    'no-reply': 'no answer to a QUIC probe on UDP/443 (likely blocked)',
    'bad-reply': 'something answered on UDP/443 that is not a QUIC version negotiation',
    'send-failed': 'the QUIC probe datagram could not be sent',
  },
  // Teams media (STUN to the Teams relay on UDP 3478–3481). Through an explicit HTTP proxy UDP
  // still goes direct, so a proxied run is judged the same way and says so in its report.
  media: {
    'udp-blocked':
      'no STUN answer on any Teams media UDP port while TCP 443 to the relay works: calls relay over TCP, with worse audio and video',
    'no-reply': 'no STUN answer on any Teams media UDP port, and TCP 443 to the relay failed too',
    degraded:
      "the Teams relay answers on UDP, but loss, round trip or jitter is over the profile's thresholds (Microsoft's documented targets: loss < 1 %, RTT < 100 ms, jitter < 30 ms)",
    'send-failed': 'the STUN requests to the Teams relay could not be sent',
  },
  perf: {
    'slow-latency': 'round trips to the service are slower than the profile allows',
    'slow-throughput': 'downloads from the service are slower than the profile allows',
  },
  probe: {
    deadline: 'the check was cut off by the run deadline',
    skipped: 'the check was not run because a check it depends on failed',
    'not-applicable':
      "the check does not apply on this host's route (e.g. QUIC when the host is reached through an HTTP proxy); not a failure",
    internal: 'the probe itself failed while running the check',
    'not-planned':
      "a heavy check not run this time: the collector's measurement plan did not grant it, or the agent's daily traffic cap had no room for it; not a failure",
    'not-measured':
      'the check ran but had too little to measure (e.g. a download object too small to time); not a failure',
  },
} as const satisfies Record<FailureLayer, Record<string, string>>;

export type FailureClass<L extends FailureLayer = FailureLayer> = keyof (typeof FAILURE_CLASSES)[L] & string;

/** `layer/class`, e.g. `tls/intercepted`, for display and grouping. */
export type FailureCode = { [L in FailureLayer]: `${L}/${FailureClass<L>}` }[FailureLayer];

export const ALL_FAILURE_CODES: readonly FailureCode[] = FAILURE_LAYERS.flatMap((layer) =>
  Object.keys(FAILURE_CLASSES[layer]).map((cls) => `${layer}/${cls}` as FailureCode),
);

export const OkOutcome = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });

export const FailOutcome = Type.Object(
  {
    status: Type.Literal('fail'),
    layer: Type.Union(FAILURE_LAYERS.map((l) => Type.Literal(l))),
    class: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }),
    message: Type.String({ maxLength: 2000, description: 'what happened, in words, for the admin' }),
  },
  { additionalProperties: false },
);

export const Outcome = Type.Union([OkOutcome, FailOutcome]);
export type Outcome = Static<typeof Outcome>;
export type FailOutcome = Static<typeof FailOutcome>;

export function ok(): Outcome {
  return { status: 'ok' };
}

export function fail<L extends FailureLayer>(layer: L, cls: FailureClass<L>, message: string): FailOutcome {
  return { status: 'fail', layer, class: cls, message };
}

export function failureCode(outcome: Outcome): FailureCode | undefined {
  return outcome.status === 'fail' ? (`${outcome.layer}/${outcome.class}` as FailureCode) : undefined;
}

/**
 * Outcomes that say nothing about the network and are never counted as
 * failed checks: the probe skipped the check after an earlier failure, the
 * check does not apply on the host's route, a heavy check was not planned
 * for this run (the measurement budget), or it had too little to measure.
 */
export function isNotRun(outcome: Outcome): boolean {
  return (
    outcome.status === 'fail' &&
    outcome.layer === 'probe' &&
    (outcome.class === 'skipped' ||
      outcome.class === 'not-applicable' ||
      outcome.class === 'not-planned' ||
      outcome.class === 'not-measured')
  );
}

export function describeFailure(layer: string, cls: string): string {
  const table = FAILURE_CLASSES[layer as FailureLayer] as Record<string, string> | undefined;
  return table?.[cls] ?? `${layer}/${cls}`;
}
