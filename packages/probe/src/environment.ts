/**
 * @module environment
 * Where the probe ran: OS, the proxy configuration in effect, DNS resolvers,
 * local addresses and subnets (the collector maps LAN subnets to offices),
 * and the office / device ids when given. No user names, no host name unless
 * the caller asks for it.
 */
import { arch, networkInterfaces, platform, release } from 'node:os';
import type { Environment } from '@netinsights/protocol';
import { type ProxySettings, redactProxy } from './transport/proxy-selection.ts';

export function collectEnvironment(opts: {
  proxy: ProxySettings;
  dnsResolvers: string[];
  officeId?: string;
  deviceId?: string;
}): Environment {
  const localAddresses: Environment['localAddresses'] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || localAddresses.length >= 64) continue;
      localAddresses.push({
        interface: name.slice(0, 64),
        address: a.address,
        cidr: a.cidr,
        family: a.family,
      });
    }
  }
  const p = opts.proxy;
  const proxy: Environment['proxy'] = {
    mode: p.mode,
    source: p.source,
    ...(p.origin ? { origin: p.origin.slice(0, 512) } : {}),
    ...(p.proxy ? { proxy: redactProxy(p.proxy) } : {}),
    ...(p.pac ? { pac: p.pac.source.slice(0, 2048) } : {}),
    ...(p.noProxy.length ? { noProxy: p.noProxy.slice(0, 200).map((s) => s.slice(0, 253)) } : {}),
  };
  return {
    os: { platform: platform(), release: release().slice(0, 128), arch: arch() },
    ...(opts.deviceId ? { deviceId: opts.deviceId } : {}),
    proxy,
    dnsResolvers: opts.dnsResolvers.slice(0, 16).map((s) => s.slice(0, 128)),
    localAddresses,
    ...(opts.officeId ? { officeId: opts.officeId.slice(0, 128) } : {}),
  };
}
