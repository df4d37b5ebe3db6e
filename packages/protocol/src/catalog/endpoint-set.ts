/**
 * @module catalog/endpoint-set
 * The shape of one Microsoft 365 endpoint set, as the endpoint web service
 * publishes it, plus the parsed port ranges netinsights works with.
 */

/** Microsoft's three connectivity categories (Optimize ⊂ most sensitive). */
export const CATEGORIES = ['Optimize', 'Allow', 'Default'] as const;
export type Category = (typeof CATEGORIES)[number];

/** An inclusive port range; a single port has `from === to`. */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * One endpoint set after validation. Field names follow the web service so a
 * stored catalog can be written back out unchanged.
 */
export interface EndpointSet {
  /** Stable id assigned by Microsoft; unique within a catalog. */
  id: number;
  /** `Exchange`, `SharePoint`, `Skype` or `Common` today; kept as text for new areas. */
  serviceArea: string;
  serviceAreaDisplayName?: string;
  /** Host names and wildcard patterns (`*.cloud.microsoft`, `autodiscover.*.onmicrosoft.com`). */
  urls: string[];
  /** CIDR ranges, IPv4 and IPv6. */
  ips: string[];
  tcpPorts: PortRange[];
  udpPorts: PortRange[];
  category: Category;
  required: boolean;
  expressRoute: boolean;
  notes?: string;
}

/** Formats port ranges the way the web service writes them: `80,443,3478-3481`. */
export function formatPorts(ports: readonly PortRange[]): string {
  return ports.map((p) => (p.from === p.to ? String(p.from) : `${p.from}-${p.to}`)).join(',');
}
