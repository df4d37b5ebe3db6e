/**
 * @module util/lookup
 * A middlebox's name lookup through one lab resolver (A records), as a
 * proxy resolves through its own resolver.
 */
import { Resolver } from 'node:dns/promises';

export function lookupThrough(server: string): (host: string) => Promise<string> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers([server]);
  return async (host) => {
    const [address] = await resolver.resolve4(host);
    if (!address) throw new Error(`${host} has no address`);
    return address;
  };
}
