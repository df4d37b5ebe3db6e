/**
 * @module system-proxy/linux
 * Linux has no one proxy setting: the environment (`https_proxy`, and
 * `no_proxy`), else GNOME's `org.gnome.system.proxy` schema as `gsettings get`
 * prints it (GVariant text: `'manual'`, `8080`, `['localhost', '*.corp']`).
 */
import { bypassEntries, type SystemProxySetting } from './setting.ts';

/** The environment's HTTPS proxy, as curl and most Linux tools read it. */
export function envProxy(env: Record<string, string | undefined>): SystemProxySetting | undefined {
  const name = ['HTTPS_PROXY', 'https_proxy'].find((n) => env[n]);
  if (!name) return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  return {
    from: `environment (${name})`,
    proxy: (env[name] ?? '').replace(/^https?:\/\//i, '').replace(/\/$/, ''),
    bypass: noProxy
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** One GVariant value as `gsettings get` prints it: a quoted string, a number, or a string array. */
export function parseGVariant(text: string): string | number | string[] | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(t);
  if (quoted) return (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  if (t === '@as []') return [];
  if (t.startsWith('[') && t.endsWith(']'))
    return [...t.slice(1, -1).matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) =>
      (m[1] ?? '').replace(/\\(.)/g, '$1'),
    );
  return undefined;
}

/** The keys read, by `schema key`; `get` returns what `gsettings get schema key` printed. */
export const GSETTINGS_KEYS = [
  ['org.gnome.system.proxy', 'mode'],
  ['org.gnome.system.proxy', 'autoconfig-url'],
  ['org.gnome.system.proxy', 'ignore-hosts'],
  ['org.gnome.system.proxy.https', 'host'],
  ['org.gnome.system.proxy.https', 'port'],
] as const;

export function parseGsettings(
  get: (schema: string, key: string) => string | undefined,
): SystemProxySetting | undefined {
  const value = (schema: string, key: string) => {
    const text = get(schema, key);
    return text === undefined ? undefined : parseGVariant(text);
  };
  const mode = value('org.gnome.system.proxy', 'mode');
  const ignore = value('org.gnome.system.proxy', 'ignore-hosts');
  const { bypass } = bypassEntries(Array.isArray(ignore) ? ignore : []);
  if (mode === 'auto') {
    const url = value('org.gnome.system.proxy', 'autoconfig-url');
    // An empty autoconfig URL in "auto" mode means WPAD, which the caller tries next.
    if (typeof url !== 'string' || !url) return undefined;
    return { from: 'GNOME (gsettings org.gnome.system.proxy autoconfig-url)', pacUrl: url, bypass };
  }
  if (mode === 'manual') {
    const host = value('org.gnome.system.proxy.https', 'host');
    const port = value('org.gnome.system.proxy.https', 'port');
    if (typeof host !== 'string' || !host) return undefined;
    return {
      from: 'GNOME (gsettings org.gnome.system.proxy.https)',
      proxy: `${host}:${typeof port === 'number' && port > 0 ? port : 8080}`,
      bypass,
    };
  }
  return undefined;
}
