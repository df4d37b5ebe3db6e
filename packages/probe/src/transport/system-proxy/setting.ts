/**
 * @module system-proxy/setting
 * What one reader of the operating system's proxy configuration found: a
 * proxy for HTTPS, a PAC URL, the hosts that bypass the proxy — and where it
 * came from, which the report shows so an admin knows which setting to fix.
 */

/** A proxy setting read from the system. */
export interface SystemProxySetting {
  /** Where it came from, in words, e.g. `WinINET (HKCU Internet Settings)`. */
  from: string;
  /** `host:port` of the proxy used for HTTPS, when one is set. */
  proxy?: string;
  /** A PAC file URL, when one is set (it wins over `proxy`, as in the OS). */
  pacUrl?: string;
  /** Bypass entries in NO_PROXY form (`*.corp.example` → `.corp.example`). */
  bypass: string[];
  /** Names without a dot go direct (WinINET `<local>`, macOS ExcludeSimpleHostnames). */
  bypassSimpleNames?: boolean;
}

/**
 * A per-scheme list (`http=a:80;https=b:443;socks=c:1080`) or one
 * `host:port` for all: the proxy HTTPS uses, as WinINET and WinHTTP read it.
 */
export function httpsProxyOf(list: string): string | undefined {
  const entries = list
    .split(/[;\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const plain = entries.find((e) => !e.includes('='));
  const https = entries.find((e) => /^https=/i.test(e))?.slice(6);
  const proxy = https ?? plain;
  return proxy ? proxy.replace(/^https?:\/\//i, '') : undefined;
}

/** WinINET / WinHTTP / macOS bypass entries → NO_PROXY form; `<local>` becomes a flag. */
export function bypassEntries(items: readonly string[]): { bypass: string[]; simple: boolean } {
  let simple = false;
  const bypass: string[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (!item) continue;
    if (item.toLowerCase() === '<local>') {
      simple = true;
      continue;
    }
    // `*.corp.example` and `*corp.example` both mean "the domain and below".
    bypass.push(item.replace(/^\*\.?/, '.'));
  }
  return { bypass, simple };
}
