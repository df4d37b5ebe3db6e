/**
 * @module advice
 * For each failure code: the likely cause and what to do, in the admin's
 * terms. The text report shows them under each finding.
 */
import type { FailureCode } from '@netinsights/protocol';

export interface Advice {
  cause: string;
  action: string;
}

const ADVICE: Partial<Record<FailureCode, Advice>> = {
  'dns/nxdomain': {
    cause:
      'The resolver says these names do not exist — typical of a DNS filter, a split-horizon zone, or an outdated forwarder.',
    action: 'Check the DNS filter / forwarder rules for these domains; the names must resolve publicly.',
  },
  'dns/nodata': {
    cause: 'The names exist but the resolver returned no address records.',
    action: 'Check DNS filtering or rewriting for these names (AAAA-only or empty answers).',
  },
  'dns/servfail': {
    cause:
      'The resolver failed while resolving (upstream unreachable, DNSSEC failure, or a broken forwarder).',
    action: 'Check the resolver logs and its upstream forwarders.',
  },
  'dns/refused': {
    cause: 'The resolver refuses to answer for these names (a policy or an ACL on the resolver).',
    action: 'Allow these domains on the resolver, or point clients at a resolver that serves them.',
  },
  'dns/timeout': {
    cause: 'No DNS answer arrived: the resolver is down, overloaded, or DNS traffic is blocked.',
    action: 'Check that the configured resolvers answer and that UDP/TCP 53 to them is allowed.',
  },
  'dns/unreachable': {
    cause: 'No DNS server could be contacted at all — this machine has no working resolver or no network.',
    action: 'Check the network connection and the resolver configuration (resolv.conf / DHCP options).',
  },
  'dns/error': {
    cause: 'Name resolution failed.',
    action: 'Check the resolver configuration of this machine.',
  },
  'tcp/refused': {
    cause: 'Connections are actively refused: a firewall rejects them, or nothing listens at the address.',
    action: 'Allow outbound TCP 443 to these destinations (see the endpoint catalog), or use the proxy.',
  },
  'tcp/timeout': {
    cause: 'Connection attempts get no answer: a firewall silently drops them, or there is no route out.',
    action: 'Allow outbound TCP 443 to these destinations, or configure the proxy clients must use.',
  },
  'tcp/reset': {
    cause: 'Connections are reset: a firewall or IPS is cutting them.',
    action: 'Check firewall / IPS rules for these destinations.',
  },
  'tcp/unreachable': {
    cause: 'There is no route to these destinations.',
    action: 'Check routing and the default gateway.',
  },
  'tcp/error': { cause: 'Connections fail.', action: 'Check the firewall and routing for TCP 443.' },
  'proxy/forbidden': {
    cause:
      'The proxy refuses tunnels to these domains — typically an allow-list that predates these domains.',
    action:
      'Add the domains (e.g. *.cloud.microsoft, *.static.microsoft, *.usercontent.microsoft) to the proxy allow-list, or send them direct with the PAC file.',
  },
  'proxy/auth-required': {
    cause:
      'The proxy demands authentication for these tunnels (the schemes it offers are named above); many Microsoft 365 clients and services cannot answer it.',
    action:
      'Exempt these domains from proxy authentication, or send them direct. To test through it, give Basic credentials with --proxy http://user:password@host:port.',
  },
  'proxy/auth-rejected': {
    cause: 'The proxy refused the credentials the probe sent.',
    action: 'Check the user name and password given with --proxy (or the agent setting) against the proxy.',
  },
  'proxy/unreachable': {
    cause: 'The configured proxy cannot be reached.',
    action: 'Check the proxy address (--proxy, HTTPS_PROXY or the PAC file) and that the proxy is up.',
  },
  'proxy/bad-gateway': {
    cause:
      'The proxy allowed the tunnel but could not reach the destination itself: its own DNS, its outbound path or its parent proxy fails (squid reports an unresolvable name this way too). This is not a deny rule.',
    action:
      'Check the proxy’s own DNS, its outbound access (the firewall in front of it, its parent proxy) to these destinations, and its log for the error.',
  },
  'proxy/upstream-dns': {
    cause:
      'The proxy allowed the tunnel but its own DNS could not resolve these names. This is not a deny rule.',
    action: 'Check the DNS servers the proxy itself uses (e.g. squid’s dns_nameservers) for these domains.',
  },
  'proxy/bad-response': {
    cause: 'Something that is not an HTTP proxy answered on the proxy address.',
    action: 'Check the proxy address and port.',
  },
  'proxy/refused': {
    cause:
      'The proxy answered the tunnel request with an error status that names neither a policy nor an upstream failure.',
    action: 'Look up the status shown above in the proxy’s log for these domains.',
  },
  'proxy/timeout': {
    cause: 'The proxy accepted the connection but never answered CONNECT.',
    action: 'Check the proxy’s health and its rules for these domains.',
  },
  'tls/intercepted': {
    cause:
      'A TLS-inspecting device re-signs these connections with its own CA. Microsoft 365 traffic breaks or slows under inspection.',
    action: 'Exempt these domains from TLS inspection (see the bypass list for the interceptor named above).',
  },
  'tls/untrusted': {
    cause:
      'The certificate chain is neither the service’s nor trusted by this machine — a middlebox with an undeployed CA, or a spoofed endpoint.',
    action:
      'Find the device that issues this certificate (issuer shown above) and exempt these domains from it.',
  },
  'tls/hostname-mismatch': {
    cause: 'The certificate does not cover the requested name.',
    action: 'Check for DNS rewriting or a captive portal in the path.',
  },
  'tls/handshake-failed': {
    cause: 'The TLS handshake failed — a device in the path speaks something else, or blocks the handshake.',
    action: 'Check firewalls and proxies that inspect TLS for these domains.',
  },
  'tls/bad-certificate': {
    cause: 'The peer sent a certificate that cannot be parsed — a broken middlebox or a non-TLS service.',
    action: 'Find what answers on this path (address shown above).',
  },
  'tls/reset': {
    cause: 'The connection was cut during the TLS handshake — typical of SNI-based filtering.',
    action: 'Check SNI / URL filtering rules for these domains.',
  },
  'tls/timeout': {
    cause: 'The TLS handshake stalled.',
    action: 'Check devices that inspect TLS for these domains.',
  },
  'http/status': {
    cause: 'The requests were answered with an error status.',
    action: 'See the status and the answering party above.',
  },
  'http/block-page': {
    cause: 'A proxy or web filter answered with a block page instead of the service.',
    action: 'Allow these domains in the web filter’s policy.',
  },
  'http/downgraded': {
    cause: 'The service offers HTTP/2, but a TLS-terminating middlebox forces HTTP/1.1.',
    action: 'Exempt these domains from TLS inspection, or enable HTTP/2 on the middlebox.',
  },
  'http/bad-response': {
    cause: 'The answer was not valid HTTP — something in the path mangles the traffic.',
    action: 'Find the device in the path (proxy, IPS) that rewrites these connections.',
  },
  'http/reset': {
    cause: 'The connection was dropped before a complete answer.',
    action: 'Check firewalls / IPS that cut these connections.',
  },
  'http/timeout': {
    cause: 'No HTTP answer arrived in time.',
    action: 'Check proxies and filters for these domains.',
  },
  'ws/upgrade-refused': {
    cause: 'The WebSocket upgrade is refused in the path (a proxy or filter that does not allow WebSocket).',
    action:
      'Allow WebSocket (HTTP Upgrade) to these domains on the proxy / filter; Copilot and Teams need it.',
  },
  'ws/reset-after-open': {
    cause: 'Open WebSockets are cut after a while — an idle or session timeout on a proxy or firewall.',
    action:
      'Raise the idle timeout for these domains or exempt them from inspection; Copilot chat holds connections open.',
  },
  'ws/closed-with-code': {
    cause: 'The other side closed the WebSocket.',
    action: 'See the close code above.',
  },
  'ws/echo-failed': {
    cause: 'The WebSocket opened but messages do not get through.',
    action: 'Check inspection devices that buffer or rewrite WebSocket frames.',
  },
  'ws/timeout': {
    cause: 'The WebSocket upgrade got no answer.',
    action: 'Check proxies that hold upgrade requests.',
  },
  'quic/no-reply': {
    cause: 'UDP 443 gets no answer: QUIC is blocked, so clients fall back to slower TCP.',
    action: 'Allow outbound UDP 443 to Microsoft 365 (Optimize/Allow endpoints).',
  },
  'quic/bad-reply': {
    cause: 'Something answers on UDP 443 that is not a QUIC server.',
    action: 'Check what intercepts UDP 443.',
  },
  'quic/send-failed': { cause: 'This machine could not send UDP.', action: 'Check the local firewall.' },
  'media/udp-blocked': {
    cause:
      'Nothing answers on UDP 3478–3481 to the Teams relay while TCP 443 works: a firewall drops Teams media, so calls relay over TCP (more delay and loss recovery stalls).',
    action:
      "Allow outbound UDP 3478–3481 to the Teams media ranges of Microsoft's Optimize set (such as 52.112.0.0/14 and 52.122.0.0/15; the collector's firewall list has them all) and keep them off VPN and proxy.",
  },
  'media/no-reply': {
    cause: 'Neither UDP 3478–3481 nor TCP 443 reaches the Teams relay: calls cannot connect from here.',
    action: 'Check the route and firewall to the Teams media ranges (UDP 3478–3481 and TCP 443).',
  },
  'media/degraded': {
    cause:
      'Teams media gets through on UDP but with more loss, delay or jitter than calls tolerate — a congested or backhauled link, or media sent through a VPN.',
    action:
      'Send Teams media (the Optimize ranges) out locally, off VPN and proxy, and check the link for congestion; Microsoft documents loss < 1 %, RTT < 100 ms, jitter < 30 ms.',
  },
  'media/send-failed': { cause: 'This machine could not send UDP.', action: 'Check the local firewall.' },
  'perf/slow-latency': {
    cause: 'Round trips to the service are slow — a distant or backhauled egress, or a congested link.',
    action: 'Check where internet egress happens for this office; send Microsoft 365 out locally.',
  },
  'perf/slow-throughput': {
    cause: 'Downloads from the service are slow — a congested or shaped link, or a backhauled egress.',
    action: 'Check bandwidth shaping and egress for this office.',
  },
  'probe/deadline': {
    cause: 'Checks did not finish within the run deadline (the path is very slow or silent).',
    action: 'Re-run with a longer --deadline to see where they stop.',
  },
  'probe/internal': {
    cause: 'The probe itself failed on a check.',
    action: 'Report this with the --json output.',
  },
};

export function adviceFor(code: string): Advice {
  return (
    ADVICE[code as FailureCode] ?? {
      cause: 'See the messages above.',
      action: 'Check the path for these hosts.',
    }
  );
}
