/**
 * @module agents/profile-hosts
 * Every host a service profile makes agents connect to, with the JSON path
 * that names it. The walk is generic on purpose: a host-bearing field that a
 * later profile version adds (a `host`, a list of `hosts`, a `domain`, or any
 * URL) is covered without this file knowing it, so the hosts policy
 * (agent-hosts.ts) cannot be stepped around through a field nobody listed.
 */

/** One host named by a profile. */
export interface NamedHost {
  /** JSON Pointer (RFC 6901) of the value, e.g. `/criticalDomains/0/hosts/2`. */
  path: string;
  /** Lower-case, without a trailing dot or a port; IPv6 without brackets. */
  host: string;
  /** A `domain` suffix (every host under it may be tested), not a single host. */
  suffix: boolean;
}

/** Keys whose string values (or string arrays) are host names. */
const HOST_KEY = /(^|[a-z])(host|hosts|Host|Hosts)$/;
/** Names and texts in these parts are CA and vendor names, never connected to. */
const NOT_TARGETS = new Set(['expectedCas', 'interceptorVendors']);

const pointer = (parts: readonly (string | number)[]) =>
  parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function bare(host: string): string {
  let h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  else if (/^[^:]+:\d+$/.test(h)) h = h.slice(0, h.lastIndexOf(':'));
  return h;
}

/** The host of an absolute URL, or undefined when `text` is not one. */
function urlHost(text: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  try {
    return bare(new URL(text).hostname);
  } catch {
    return undefined;
  }
}

export function profileHosts(profile: unknown): NamedHost[] {
  const found: NamedHost[] = [];
  const walk = (value: unknown, parts: (string | number)[], key: string | undefined) => {
    if (typeof value === 'string') {
      const fromUrl = urlHost(value);
      if (fromUrl !== undefined) found.push({ path: pointer(parts), host: fromUrl, suffix: false });
      else if (key === 'domain') found.push({ path: pointer(parts), host: bare(value), suffix: true });
      else if (key && HOST_KEY.test(key))
        found.push({ path: pointer(parts), host: bare(value), suffix: false });
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...parts, i], key);
      return;
    }
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (parts.length === 0 && NOT_TARGETS.has(k)) continue;
        walk(v, [...parts, k], k);
      }
  };
  walk(profile, [], undefined);
  return found;
}
