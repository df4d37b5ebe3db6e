/**
 * @module proxy-selection
 * Decides, per host, whether a connection goes direct or through an HTTP
 * proxy — the way a real client would: `--proxy` first, then a PAC file, then
 * HTTPS_PROXY / https_proxy from the environment; NO_PROXY exempts hosts
 * from `--proxy` and the environment proxy (as curl does).
 */
import { isIP } from 'node:net';
import type { NetworkPath } from '@netinsights/protocol';
import { NetinsightsError } from '@netinsights/protocol';
import type { PacEvaluator } from './pac.ts';

export type Route =
  | { type: 'direct'; source: NetworkPath['source'] }
  | { type: 'proxy'; proxy: URL; source: NetworkPath['source'] };

/** Basic credentials for a proxy, kept apart from any URL that could be printed. */
export interface ProxyCredentials {
  user: string;
  password: string;
}

export interface ProxySettings {
  mode: 'direct' | 'proxy' | 'pac';
  proxy?: URL;
  pac?: PacEvaluator;
  noProxy: string[];
  source: 'flag' | 'env' | 'none' | 'system';
  /** For `--proxy auto`: which system setting answered, in words. */
  origin?: string;
  /**
   * Basic credentials for whichever proxy a host is routed to (flag, PAC,
   * environment or system), unless that proxy's URL carries its own.
   */
  credentials?: ProxyCredentials;
}

/** Parses a proxy URL (`http://[user:pass@]host:port`; a bare `host:port` means http). */
export function parseProxyUrl(text: string, where: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `${where} "${text}" is not a valid proxy URL (expected http://host:port)`,
    );
  }
  if (url.protocol !== 'http:')
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `${where} "${text}": only http:// proxies are supported (the probe tunnels with CONNECT)`,
    );
  if (!url.port) url.port = '8080';
  return url;
}

/** The proxy URL as the report shows it: never with credentials. */
export function redactProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

export function parseNoProxy(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

/** curl's NO_PROXY rules: `*` matches all; an entry matches the host or any subdomain; `:port` narrows. */
export function bypassesProxy(noProxy: readonly string[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return noProxy.some((raw) => {
    if (raw === '*') return true;
    let entry = raw;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch && isIP(entry) !== 6) {
      if (Number(portMatch[2]) !== port) return false;
      entry = portMatch[1] ?? entry;
    }
    entry = entry.replace(/^\[(.*)\]$/, '$1').replace(/^\*?\./, '');
    return h === entry || h.endsWith(`.${entry}`);
  });
}

export function proxySettings(opts: {
  proxy?: string;
  pac?: PacEvaluator;
  env: Record<string, string | undefined>;
}): ProxySettings {
  const noProxy = parseNoProxy(opts.env.NO_PROXY ?? opts.env.no_proxy);
  if (opts.proxy === 'auto')
    throw new NetinsightsError('NI_ERR_USAGE', '--proxy auto is resolved before proxy selection');
  if (opts.proxy)
    return { mode: 'proxy', proxy: parseProxyUrl(opts.proxy, '--proxy'), noProxy, source: 'flag' };
  if (opts.pac) return { mode: 'pac', pac: opts.pac, noProxy: [], source: 'flag' };
  const fromEnv = opts.env.HTTPS_PROXY ?? opts.env.https_proxy;
  if (fromEnv) {
    const name = opts.env.HTTPS_PROXY ? 'HTTPS_PROXY' : 'https_proxy';
    return { mode: 'proxy', proxy: parseProxyUrl(fromEnv, name), noProxy, source: 'env' };
  }
  return { mode: 'direct', noProxy, source: 'none' };
}

/** The route for one host; PAC evaluation errors propagate (they are configuration errors). */
export async function routeFor(settings: ProxySettings, host: string, port: number): Promise<Route> {
  if (settings.mode === 'proxy' && settings.proxy) {
    if (bypassesProxy(settings.noProxy, host, port)) return { type: 'direct', source: settings.source };
    return {
      type: 'proxy',
      proxy: withCredentials(settings.proxy, settings.credentials),
      source: settings.source,
    };
  }
  if (settings.mode === 'pac' && settings.pac) {
    const { entry } = await settings.pac.find(host, port);
    return entry.type === 'proxy'
      ? { type: 'proxy', proxy: withCredentials(entry.proxy, settings.credentials), source: 'pac' }
      : { type: 'direct', source: 'pac' };
  }
  return { type: 'direct', source: 'none' };
}

/** `proxy` with `credentials` as its user info, unless it has its own (a copy: the original is shared). */
export function withCredentials(proxy: URL, credentials: ProxyCredentials | undefined): URL {
  if (!credentials || proxy.username) return proxy;
  const url = new URL(proxy.href);
  url.username = encodeURIComponent(credentials.user);
  url.password = encodeURIComponent(credentials.password);
  return url;
}

export function networkPath(route: Route): NetworkPath {
  return route.type === 'proxy'
    ? { type: 'proxy', proxy: redactProxy(route.proxy), ...(route.source ? { source: route.source } : {}) }
    : { type: 'direct', ...(route.source ? { source: route.source } : {}) };
}
