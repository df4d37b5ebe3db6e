/**
 * @module lib/failure-codes
 * Plain-language meaning of a failure code such as `proxy/forbidden`, taken
 * from the protocol's failure-class table so that the probe, the server and
 * the dashboard describe a failure with the same words.
 */
import { describeFailure } from '@netinsights/protocol/outcome.ts';

const LAYER_LABEL: Record<string, string> = {
  dns: 'DNS',
  tcp: 'TCP',
  proxy: 'Proxy',
  tls: 'TLS',
  http: 'HTTP',
  ws: 'WebSocket',
  quic: 'QUIC',
  perf: 'Performance',
  probe: 'Probe',
};

export function layerLabel(layer: string): string {
  return LAYER_LABEL[layer] ?? layer;
}

/** "the proxy refused to open the tunnel (HTTP 403 to CONNECT)" for `proxy/forbidden`. */
export function describeCode(code: string): string {
  const slash = code.indexOf('/');
  return slash > 0 ? describeFailure(code.slice(0, slash), code.slice(slash + 1)) : code;
}
