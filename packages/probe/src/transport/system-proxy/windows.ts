/**
 * @module system-proxy/windows
 * Windows proxy settings, read from the text of two commands:
 *
 * - the user's WinINET settings, which Office, Teams and the browsers use:
 *   `reg query "HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"`
 *   (`ProxyEnable`, `ProxyServer` with optional per-scheme entries,
 *   `ProxyOverride` with `<local>`, `AutoConfigURL`);
 * - the machine's WinHTTP proxy, which services use: `netsh winhttp show proxy`.
 *
 * WinINET is read first because it is what the user's applications follow.
 */
import { bypassEntries, httpsProxyOf, type SystemProxySetting } from './setting.ts';

/** `    Name    REG_TYPE    value` lines of `reg query` output. */
function registryValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s+(\S+)\s+(REG_[A-Z_]+)\s*(.*)$/.exec(line);
    if (m?.[1]) values.set(m[1].toLowerCase(), (m[3] ?? '').trim());
  }
  return values;
}

/** The WinINET setting in `reg query` output; undefined when neither a proxy nor a PAC is set. */
export function parseWininetRegistry(text: string): SystemProxySetting | undefined {
  const values = registryValues(text);
  const from = 'WinINET (HKCU …\\Internet Settings)';
  const pacUrl = values.get('autoconfigurl') || undefined;
  const enabled = /^(0x0*1|1)$/i.test(values.get('proxyenable') ?? '');
  const server = enabled ? values.get('proxyserver') : undefined;
  const proxy = server ? httpsProxyOf(server) : undefined;
  if (!pacUrl && !proxy) return undefined;
  const { bypass, simple } = bypassEntries((values.get('proxyoverride') ?? '').split(';'));
  return {
    from: pacUrl ? `${from} AutoConfigURL` : `${from} ProxyServer`,
    ...(pacUrl ? { pacUrl } : {}),
    ...(proxy ? { proxy } : {}),
    bypass,
    ...(simple ? { bypassSimpleNames: true } : {}),
  };
}

/** `netsh winhttp show proxy` output; undefined for "Direct access (no proxy server)". */
export function parseNetshWinhttp(text: string): SystemProxySetting | undefined {
  const server = /Proxy Server\(s\)\s*:\s*(.+)/i.exec(text)?.[1]?.trim();
  if (!server) return undefined;
  const proxy = httpsProxyOf(server);
  if (!proxy) return undefined;
  const list = /Bypass List\s*:\s*(.+)/i.exec(text)?.[1]?.trim() ?? '';
  const { bypass, simple } = bypassEntries(/^\(none\)$/i.test(list) ? [] : list.split(';'));
  return {
    from: 'WinHTTP (netsh winhttp show proxy)',
    proxy,
    bypass,
    ...(simple ? { bypassSimpleNames: true } : {}),
  };
}
