/**
 * @module upload/collector-route
 * Whether the upload to the collector goes through a proxy: the same rules
 * as the probe's own traffic (`--proxy`, the PAC file, HTTPS_PROXY with
 * NO_PROXY, or `--proxy auto`'s system setting), so that a probe behind a
 * corporate proxy can still deliver.
 * A loopback collector is always reached directly.
 */
import { loadPac } from '../transport/pac.ts';
import { proxySettings, routeFor } from '../transport/proxy-selection.ts';
import { machine, systemProxySettings } from '../transport/system-proxy/discover.ts';
import { collectorEndpoint } from './collector-client.ts';

export async function collectorProxy(
  collector: string,
  opts: { proxy?: string; pac?: string; env?: Record<string, string | undefined> },
): Promise<URL | undefined> {
  const endpoint = collectorEndpoint(collector);
  const host = endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return undefined;
  const env = opts.env ?? process.env;
  const pac = opts.pac ? await loadPac(opts.pac) : undefined;
  const settings =
    opts.proxy === 'auto'
      ? await systemProxySettings(machine(env))
      : proxySettings({ ...(opts.proxy ? { proxy: opts.proxy } : {}), ...(pac ? { pac } : {}), env });
  const route = await routeFor(settings, host, Number(endpoint.port || 443));
  return route.type === 'proxy' ? route.proxy : undefined;
}
