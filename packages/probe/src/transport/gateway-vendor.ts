/**
 * @module gateway-vendor
 * Which commercial secure web gateway wrote a refusal of CONNECT, and what
 * its own words say the refusal means. A vendor is named only from a mark it
 * puts on its answers — a header (`Server`, `Via`, its `X-…` headers) or
 * its product name on the error page — so that the message can send the
 * admin to that product's console; an answer with no mark names none.
 *
 * The marks, from the vendors' public documentation and public traces of
 * their answers (facts only; the tests' answers are written by us, no real
 * gateway runs here):
 * - Zscaler: `Server: Zscaler/<version>` on its 403 block pages; `X-Zscaler-…`
 *   headers; an explicit-proxy HTTPS block without inspection is a refused
 *   CONNECT, not a page.
 * - Cisco Secure Web Appliance (IronPort): `Via: … (Cisco-WSA/<version>)`;
 *   a blocked explicit HTTPS request is a 403 carrying the notification page;
 *   its access-log decision tags (`BLOCK_WEBCAT`, `BLOCK_ADMIN`, …) name
 *   policy blocks; it also has notification pages for failures it meets
 *   upstream (DNS failure, server unavailable).
 * - Cisco Umbrella (secure web gateway): block pages name Umbrella and a
 *   block type (aup, domainlist, security, phish).
 * - Symantec/Broadcom ProxySG (Blue Coat): exception pages by id —
 *   `policy_denied`, `content_filter_denied`, `authentication_failed`,
 *   `dns_unresolved_hostname`, `dns_server_failure`, `tcp_error`,
 *   `gateway_timeout`; `X-BlueCoat-Via`.
 * - Fortinet FortiGate / FortiProxy: replacement messages — FortiGuard web
 *   filter block (`ftgd-block`), the web proxy's `http-err` page.
 * - Palo Alto Networks (PAN-OS, Prisma Access): the URL Filtering and
 *   Category Match block page.
 * - Netskope: `X-Netskope-…` headers, its name on the block page.
 * - Forcepoint (Websense): its block page naming Forcepoint or Websense.
 * - Check Point: UserCheck pages.
 * - Sophos: its block page naming Sophos.
 */
import type { ProxyAnswer } from './proxy-answer.ts';

/** What a refusal means, as far as the gateway's own words tell. */
export type GatewayMeaning = 'policy' | 'auth' | 'upstream' | 'upstream-dns';

export interface GatewayVendor {
  /** The product, as the message names it. */
  name: string;
  /** Which mark named it, e.g. `Server: Zscaler/6.2`. */
  mark: string;
}

interface VendorRule {
  name: string;
  /** A header whose value (or, with `exists`, whose presence) names the vendor. */
  headers: { header: string; pattern: RegExp }[];
  /** Words of the page that name the vendor. */
  page?: RegExp;
}

// Order matters only where two marks could meet on one answer (a Umbrella page says "Cisco" too).
const VENDORS: VendorRule[] = [
  { name: 'Zscaler', headers: [{ header: 'server', pattern: /\bzscaler\b/i }], page: /\bzscaler\b/i },
  {
    name: 'Cisco Secure Web Appliance',
    headers: [{ header: 'via', pattern: /\(Cisco-WSA\/[^)]*\)/i }],
    page: /cisco (?:secure )?web (?:security )?appliance|ironport/i,
  },
  { name: 'Cisco Umbrella', headers: [], page: /cisco umbrella|umbrella (?:block|secure web gateway)/i },
  {
    name: 'Symantec ProxySG',
    headers: [{ header: 'x-bluecoat-via', pattern: /./ }],
    page: /proxysg|blue ?coat|symantec|broadcom/i,
  },
  { name: 'Fortinet', headers: [], page: /fortiguard|fortigate|fortiproxy|fortinet/i },
  { name: 'Palo Alto Networks', headers: [], page: /palo ?alto networks|pan-os|prisma access/i },
  { name: 'Netskope', headers: [], page: /\bnetskope\b/i },
  { name: 'Forcepoint', headers: [], page: /forcepoint|websense/i },
  { name: 'Check Point', headers: [], page: /check ?point|usercheck/i },
  { name: 'Sophos', headers: [], page: /\bsophos\b/i },
];

/** Header-name prefixes a vendor puts on every answer it writes. */
const HEADER_PREFIXES: [string, string][] = [
  ['x-zscaler-', 'Zscaler'],
  ['x-netskope-', 'Netskope'],
];

/** The gateway that wrote `answer`, from its headers first (harder to mistake), then its page. */
export function identifyGateway(answer: ProxyAnswer): GatewayVendor | undefined {
  for (const rule of VENDORS)
    for (const { header, pattern } of rule.headers) {
      const value = answer.headers[header];
      if (value !== undefined && pattern.test(value))
        return { name: rule.name, mark: `${header}: ${value.slice(0, 80)}` };
    }
  for (const [prefix, name] of HEADER_PREFIXES) {
    const header = Object.keys(answer.headers).find((h) => h.startsWith(prefix));
    if (header) return { name, mark: `${header} header` };
  }
  for (const rule of VENDORS) {
    const m = rule.page ? rule.page.exec(answer.body) : null;
    if (m) return { name: rule.name, mark: `its page names "${m[0]}"` };
  }
  return undefined;
}

/**
 * What a gateway's page says the refusal means, from the ids and words the
 * vendors document (ProxySG exception ids, Cisco WSA decision tags, the
 * FortiGuard block message); undefined when the page does not say.
 */
export function gatewayMeaning(body: string): { meaning: GatewayMeaning; id: string } | undefined {
  const id = (re: RegExp) => re.exec(body)?.[0];
  let found = id(/\b(?:dns_unresolved_hostname|dns_server_failure)\b/i);
  if (found) return { meaning: 'upstream-dns', id: found };
  found = id(/\b(?:tcp_error|gateway_timeout|server_unavailable)\b/i);
  if (found) return { meaning: 'upstream', id: found };
  found = id(/\b(?:authentication_failed|authorization_failed)\b/i);
  if (found) return { meaning: 'auth', id: found };
  found = id(
    /\b(?:policy_denied|content_filter_denied|ftgd-block|BLOCK_(?:WEBCAT|ADMIN|DEST|AVC|WBRS)\w*)\b/,
  );
  if (found) return { meaning: 'policy', id: found };
  return undefined;
}
