/**
 * @module system-proxy/macos
 * macOS proxy settings from `scutil --proxy`, the dictionary the system
 * configuration framework hands to every application: the HTTPS proxy, the
 * PAC URL (`ProxyAutoConfigURLString`), the exceptions and
 * `ExcludeSimpleHostnames`.
 */
import { bypassEntries, type SystemProxySetting } from './setting.ts';

/** The setting in `scutil --proxy` output; undefined when neither a proxy nor a PAC is enabled. */
export function parseScutilProxy(text: string): SystemProxySetting | undefined {
  const scalar = new Map<string, string>();
  const exceptions: string[] = [];
  let inExceptions = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*ExceptionsList\s*:\s*<array>\s*\{/.test(line)) {
      inExceptions = true;
      continue;
    }
    if (inExceptions) {
      if (/^\s*\}/.test(line)) inExceptions = false;
      else {
        const item = /^\s*\d+\s*:\s*(.+)$/.exec(line)?.[1];
        if (item) exceptions.push(item.trim());
      }
      continue;
    }
    const m = /^\s*([A-Za-z]+)\s*:\s*(.+)$/.exec(line);
    if (m?.[1] && m[2]) scalar.set(m[1], m[2].trim());
  }
  const on = (key: string) => scalar.get(key) === '1';
  const pacUrl = on('ProxyAutoConfigEnable') ? scalar.get('ProxyAutoConfigURLString') : undefined;
  const host = on('HTTPSEnable') ? scalar.get('HTTPSProxy') : undefined;
  const proxy = host ? `${host}:${scalar.get('HTTPSPort') ?? '443'}` : undefined;
  if (!pacUrl && !proxy) return undefined;
  const { bypass } = bypassEntries(exceptions);
  return {
    from: pacUrl
      ? 'macOS (scutil --proxy) automatic proxy configuration'
      : 'macOS (scutil --proxy) HTTPS proxy',
    ...(pacUrl ? { pacUrl } : {}),
    ...(proxy ? { proxy } : {}),
    bypass,
    ...(on('ExcludeSimpleHostnames') ? { bypassSimpleNames: true } : {}),
  };
}
