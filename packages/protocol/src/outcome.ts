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

/** One failure class: what it means, its likely cause and what to do, in the admin's terms. */
export interface FailureClassInfo {
  /** What happened, in plain words (the text report's and the dashboard's description). */
  meaning: string;
  /** The likely cause (the text report's "cause" under each finding). */
  cause: string;
  /** What to do about it (the text report's "do"). */
  action: string;
}

/**
 * Every failure class per layer, each with its meaning and its advice, so
 * that the probe's text report, the server and the dashboard say the same.
 * Adding a class is fine; renaming or reusing one is not (stored reports
 * refer to them).
 */
export const FAILURE_CLASSES = {
  dns: {
    nxdomain: {
      meaning: 'the name does not exist according to the resolver',
      cause:
        'The resolver says these names do not exist — typical of a DNS filter, a split-horizon zone, or an outdated forwarder.',
      action: 'Check the DNS filter / forwarder rules for these domains; the names must resolve publicly.',
    },
    nodata: {
      meaning: 'the name exists but has no address records',
      cause: 'The names exist but the resolver returned no address records.',
      action: 'Check DNS filtering or rewriting for these names (AAAA-only or empty answers).',
    },
    servfail: {
      meaning: 'the resolver failed to answer (SERVFAIL)',
      cause:
        'The resolver failed while resolving (upstream unreachable, DNSSEC failure, or a broken forwarder).',
      action: 'Check the resolver logs and its upstream forwarders.',
    },
    refused: {
      meaning: 'the resolver refused the query',
      cause: 'The resolver refuses to answer for these names (a policy or an ACL on the resolver).',
      action: 'Allow these domains on the resolver, or point clients at a resolver that serves them.',
    },
    timeout: {
      meaning: 'the resolver did not answer in time',
      cause: 'No DNS answer arrived: the resolver is down, overloaded, or DNS traffic is blocked.',
      action: 'Check that the configured resolvers answer and that UDP/TCP 53 to them is allowed.',
    },
    unreachable: {
      meaning: 'no DNS server could be contacted (nothing listens on its port, or no route)',
      cause: 'No DNS server could be contacted at all — this machine has no working resolver or no network.',
      action: 'Check the network connection and the resolver configuration (resolv.conf / DHCP options).',
    },
    error: {
      meaning: 'name resolution failed for another reason',
      cause: 'Name resolution failed.',
      action: 'Check the resolver configuration of this machine.',
    },
  },
  tcp: {
    refused: {
      meaning: 'the connection was actively refused',
      cause: 'Connections are actively refused: a firewall rejects them, or nothing listens at the address.',
      action: 'Allow outbound TCP 443 to these destinations (see the endpoint catalog), or use the proxy.',
    },
    timeout: {
      meaning: 'the connection attempt timed out (packets dropped)',
      cause: 'Connection attempts get no answer: a firewall silently drops them, or there is no route out.',
      action: 'Allow outbound TCP 443 to these destinations, or configure the proxy clients must use.',
    },
    reset: {
      meaning: 'the connection was reset',
      cause: 'Connections are reset: a firewall or IPS is cutting them.',
      action: 'Check firewall / IPS rules for these destinations.',
    },
    unreachable: {
      meaning: 'no route to the host or network',
      cause: 'There is no route to these destinations.',
      action: 'Check routing and the default gateway.',
    },
    error: {
      meaning: 'the connection failed for another reason',
      cause: 'Connections fail.',
      action: 'Check the firewall and routing for TCP 443.',
    },
  },
  proxy: {
    forbidden: {
      meaning:
        'the proxy refused to open the tunnel: its rules forbid it (HTTP 403, a block page, a policy denial)',
      cause:
        'The proxy refuses tunnels to these domains — typically an allow-list that predates these domains.',
      action:
        'Add the domains (e.g. *.cloud.microsoft, *.static.microsoft, *.usercontent.microsoft) to the proxy allow-list, or send them direct with the PAC file.',
    },
    'auth-required': {
      meaning: 'the proxy demands authentication (HTTP 407); the schemes it offers are named',
      cause:
        'The proxy demands authentication for these tunnels (the schemes it offers are named above); many Microsoft 365 clients and services cannot answer it.',
      action:
        'Exempt these domains from proxy authentication, or send them direct. To test through it, give Basic credentials with --proxy http://user:password@host:port.',
    },
    unreachable: {
      meaning: 'the proxy itself could not be reached',
      cause: 'The configured proxy cannot be reached.',
      action: 'Check the proxy address (--proxy, HTTPS_PROXY or the PAC file) and that the proxy is up.',
    },
    'bad-gateway': {
      meaning:
        'the proxy allowed the tunnel but could not reach the destination itself (HTTP 502/503/504, or an error page naming a connect failure)',
      cause:
        'The proxy allowed the tunnel but could not reach the destination itself: its own DNS, its outbound path or its parent proxy fails (squid reports an unresolvable name this way too). This is not a deny rule.',
      action:
        'Check the proxy’s own DNS, its outbound access (the firewall in front of it, its parent proxy) to these destinations, and its log for the error.',
    },
    'bad-response': {
      meaning: 'the proxy answered CONNECT with something that is not HTTP',
      cause: 'Something that is not an HTTP proxy answered on the proxy address.',
      action: 'Check the proxy address and port.',
    },
    refused: {
      meaning: 'the proxy answered CONNECT with another error status',
      cause:
        'The proxy answered the tunnel request with an error status that names neither a policy nor an upstream failure.',
      action: 'Look up the status shown above in the proxy’s log for these domains.',
    },
    timeout: {
      meaning: 'the proxy did not answer CONNECT in time',
      cause: 'The proxy accepted the connection but never answered CONNECT.',
      action: 'Check the proxy’s health and its rules for these domains.',
    },
    'upstream-dns': {
      meaning: "the proxy could not resolve the destination's name with its own DNS",
      cause:
        'The proxy allowed the tunnel but its own DNS could not resolve these names. This is not a deny rule.',
      action: 'Check the DNS servers the proxy itself uses (e.g. squid’s dns_nameservers) for these domains.',
    },
    'auth-rejected': {
      meaning: 'the proxy refused the credentials the probe sent (HTTP 407 again)',
      cause: 'The proxy refused the credentials the probe sent.',
      action: 'Check the user name and password given with --proxy (or the agent setting) against the proxy.',
    },
  },
  tls: {
    intercepted: {
      meaning: 'the certificate chain was issued by an interceptor, not the service',
      cause:
        'A TLS-inspecting device re-signs these connections with its own CA. Microsoft 365 traffic breaks or slows under inspection.',
      action:
        'Exempt these domains from TLS inspection (see the bypass list for the interceptor named above).',
    },
    untrusted: {
      meaning: 'the certificate chain is not trusted and is not a known interceptor',
      cause:
        'The certificate chain is neither the service’s nor trusted by this machine — a middlebox with an undeployed CA, or a spoofed endpoint.',
      action:
        'Find the device that issues this certificate (issuer shown above) and exempt these domains from it.',
    },
    'hostname-mismatch': {
      meaning: 'the certificate does not cover the requested host name',
      cause: 'The certificate does not cover the requested name.',
      action: 'Check for DNS rewriting or a captive portal in the path.',
    },
    'handshake-failed': {
      meaning: 'the TLS handshake failed',
      cause:
        'The TLS handshake failed — a device in the path speaks something else, or blocks the handshake.',
      action: 'Check firewalls and proxies that inspect TLS for these domains.',
    },
    'bad-certificate': {
      meaning: 'the peer sent a certificate that cannot be parsed',
      cause: 'The peer sent a certificate that cannot be parsed — a broken middlebox or a non-TLS service.',
      action: 'Find what answers on this path (address shown above).',
    },
    reset: {
      meaning: 'the connection was reset during the TLS handshake',
      cause: 'The connection was cut during the TLS handshake — typical of SNI-based filtering.',
      action: 'Check SNI / URL filtering rules for these domains.',
    },
    timeout: {
      meaning: 'the TLS handshake did not complete in time',
      cause: 'The TLS handshake stalled.',
      action: 'Check devices that inspect TLS for these domains.',
    },
  },
  http: {
    status: {
      meaning: 'the request was answered with an error status',
      cause: 'The requests were answered with an error status.',
      action: 'See the status and the answering party above.',
    },
    'block-page': {
      meaning: 'a proxy or gateway answered with a block page instead of the service',
      cause: 'A proxy or web filter answered with a block page instead of the service.',
      action: 'Allow these domains in the web filter’s policy.',
    },
    downgraded: {
      meaning: 'the service offers HTTP/2 but the connection ended on HTTP/1.1',
      cause: 'The service offers HTTP/2, but a TLS-terminating middlebox forces HTTP/1.1.',
      action: 'Exempt these domains from TLS inspection, or enable HTTP/2 on the middlebox.',
    },
    'bad-response': {
      meaning: 'the answer was not valid HTTP',
      cause: 'The answer was not valid HTTP — something in the path mangles the traffic.',
      action: 'Find the device in the path (proxy, IPS) that rewrites these connections.',
    },
    reset: {
      meaning: 'the connection was reset before a complete answer',
      cause: 'The connection was dropped before a complete answer.',
      action: 'Check firewalls / IPS that cut these connections.',
    },
    timeout: {
      meaning: 'no complete answer arrived in time',
      cause: 'No HTTP answer arrived in time.',
      action: 'Check proxies and filters for these domains.',
    },
  },
  ws: {
    'upgrade-refused': {
      meaning: 'the WebSocket upgrade was refused',
      cause:
        'The WebSocket upgrade is refused in the path (a proxy or filter that does not allow WebSocket).',
      action:
        'Allow WebSocket (HTTP Upgrade) to these domains on the proxy / filter; Copilot and Teams need it.',
    },
    'reset-after-open': {
      meaning: 'the WebSocket was reset or killed while held open',
      cause: 'Open WebSockets are cut after a while — an idle or session timeout on a proxy or firewall.',
      action:
        'Raise the idle timeout for these domains or exempt them from inspection; Copilot chat holds connections open.',
    },
    'closed-with-code': {
      meaning: 'the WebSocket was closed by the other side with a close code',
      cause: 'The other side closed the WebSocket.',
      action: 'See the close code above.',
    },
    'echo-failed': {
      meaning: 'the WebSocket opened but the echo round trip failed',
      cause: 'The WebSocket opened but messages do not get through.',
      action: 'Check inspection devices that buffer or rewrite WebSocket frames.',
    },
    timeout: {
      meaning: 'the WebSocket upgrade did not complete in time',
      cause: 'The WebSocket upgrade got no answer.',
      action: 'Check proxies that hold upgrade requests.',
    },
  },
  quic: {
    'no-reply': {
      meaning: 'no answer to a QUIC probe on UDP/443 (likely blocked)',
      cause: 'UDP 443 gets no answer: QUIC is blocked, so clients fall back to slower TCP.',
      action: 'Allow outbound UDP 443 to Microsoft 365 (Optimize/Allow endpoints).',
    },
    'bad-reply': {
      meaning: 'something answered on UDP/443 that is not a QUIC version negotiation',
      cause: 'Something answers on UDP 443 that is not a QUIC server.',
      action: 'Check what intercepts UDP 443.',
    },
    'send-failed': {
      meaning: 'the QUIC probe datagram could not be sent',
      cause: 'This machine could not send UDP.',
      action: 'Check the local firewall.',
    },
  },
  // Teams media (STUN to the Teams relay on UDP 3478–3481). Through an explicit HTTP proxy UDP
  // still goes direct, so a proxied run is judged the same way and says so in its report.
  media: {
    'udp-blocked': {
      meaning:
        'no STUN answer on any Teams media UDP port while TCP 443 to the relay works: calls relay over TCP, with worse audio and video',
      cause:
        'Nothing answers on UDP 3478–3481 to the Teams relay while TCP 443 works: a firewall drops Teams media, so calls relay over TCP (more delay and loss recovery stalls).',
      action:
        "Allow outbound UDP 3478–3481 to the Teams media ranges of Microsoft's Optimize set (such as 52.112.0.0/14 and 52.122.0.0/15; the collector's firewall list has them all) and keep them off VPN and proxy.",
    },
    'no-reply': {
      meaning: 'no STUN answer on any Teams media UDP port, and TCP 443 to the relay failed too',
      cause: 'Neither UDP 3478–3481 nor TCP 443 reaches the Teams relay: calls cannot connect from here.',
      action: 'Check the route and firewall to the Teams media ranges (UDP 3478–3481 and TCP 443).',
    },
    degraded: {
      meaning:
        "the Teams relay answers on UDP, but loss, round trip or jitter is over the profile's thresholds (Microsoft's documented targets: loss < 1 %, RTT < 100 ms, jitter < 30 ms)",
      cause:
        'Teams media gets through on UDP but with more loss, delay or jitter than calls tolerate — a congested or backhauled link, or media sent through a VPN.',
      action:
        'Send Teams media (the Optimize ranges) out locally, off VPN and proxy, and check the link for congestion; Microsoft documents loss < 1 %, RTT < 100 ms, jitter < 30 ms.',
    },
    'send-failed': {
      meaning: 'the STUN requests to the Teams relay could not be sent',
      cause: 'This machine could not send UDP.',
      action: 'Check the local firewall.',
    },
  },
  perf: {
    'slow-latency': {
      meaning: 'round trips to the service are slower than the profile allows',
      cause: 'Round trips to the service are slow — a distant or backhauled egress, or a congested link.',
      action: 'Check where internet egress happens for this office; send Microsoft 365 out locally.',
    },
    'slow-throughput': {
      meaning: 'downloads from the service are slower than the profile allows',
      cause: 'Downloads from the service are slow — a congested or shaped link, or a backhauled egress.',
      action: 'Check bandwidth shaping and egress for this office.',
    },
  },
  probe: {
    deadline: {
      meaning: 'the check was cut off by the run deadline',
      cause: 'Checks did not finish within the run deadline (the path is very slow or silent).',
      action: 'Re-run with a longer --deadline to see where they stop.',
    },
    skipped: {
      meaning: 'the check was not run because a check it depends on failed',
      cause: 'A check this one depends on failed first (e.g. TLS after its TCP connection failed).',
      action: 'Fix the earlier failure for the same host; this check runs again once it passes.',
    },
    'not-applicable': {
      meaning:
        "the check does not apply on this host's route (e.g. QUIC when the host is reached through an HTTP proxy); not a failure",
      cause: "The check does not apply on this host's route; clients do not use it there.",
      action: 'Nothing to fix.',
    },
    internal: {
      meaning: 'the probe itself failed while running the check',
      cause: 'The probe itself failed on a check.',
      action: 'Report this with the --json output.',
    },
    'not-planned': {
      meaning:
        "a heavy check not run this time: the collector's measurement plan did not grant it, or the agent's daily traffic cap had no room for it; not a failure",
      cause: "The measurement plan or the agent's daily traffic cap left this heavy check out of the run.",
      action: 'Nothing to fix; raise the traffic budget if the check should run more often.',
    },
    'not-measured': {
      meaning:
        'the check ran but had too little to measure (e.g. a download object too small to time); not a failure',
      cause: 'The download object is too small to time (or the answer was not the file).',
      action: 'Set a large file on your own tenant as the download object (agent settings: downloadUrl).',
    },
  },
} as const satisfies Record<FailureLayer, Record<string, FailureClassInfo>>;

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

function classInfo(layer: string, cls: string): FailureClassInfo | undefined {
  const table = FAILURE_CLASSES[layer as FailureLayer] as Record<string, FailureClassInfo> | undefined;
  return table && Object.hasOwn(table, cls) ? table[cls] : undefined;
}

/** The plain-language meaning of `layer/class`; the code itself for a class this version does not know. */
export function describeFailure(layer: string, cls: string): string {
  return classInfo(layer, cls)?.meaning ?? `${layer}/${cls}`;
}

/** The likely cause of a failure code and what to do about it. */
export interface FailureAdvice {
  cause: string;
  action: string;
}

/** The advice for `layer/class` (e.g. `proxy/forbidden`); a general line for a class this version does not know. */
export function adviceFor(code: string): FailureAdvice {
  const slash = code.indexOf('/');
  const info = slash > 0 ? classInfo(code.slice(0, slash), code.slice(slash + 1)) : undefined;
  return info
    ? { cause: info.cause, action: info.action }
    : { cause: 'See the messages above.', action: 'Check the path for these hosts.' };
}
