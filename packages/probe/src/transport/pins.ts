/**
 * @module pins
 * curl-style `--resolve HOST:PORT:ADDR[,ADDR…]` pins: connections to HOST on
 * PORT go to ADDR without asking DNS (the name still goes into SNI and Host).
 */
import { isIP } from 'node:net';

/** Pins by `host:port` (host lower-cased). */
export type Pins = ReadonlyMap<string, string[]>;

export class PinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PinError';
  }
}

/** Parses pins; throws PinError naming the entry and what is wrong with it. */
export function parsePins(entries: readonly string[] = []): Pins {
  const pins = new Map<string, string[]>();
  for (const entry of entries) {
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    if (first <= 0 || second < 0)
      throw new PinError(
        `--resolve "${entry}" must look like HOST:PORT:ADDRESS, e.g. example.com:443:127.0.0.1`,
      );
    const host = entry.slice(0, first).toLowerCase();
    const portText = entry.slice(first + 1, second);
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
      throw new PinError(`--resolve "${entry}": port "${portText}" is not a number from 1 to 65535`);
    const addresses = entry
      .slice(second + 1)
      .split(',')
      .map((a) => a.trim().replace(/^\[(.*)\]$/, '$1'));
    for (const address of addresses) {
      if (isIP(address) === 0)
        throw new PinError(`--resolve "${entry}": "${address}" is not an IPv4 or IPv6 address`);
    }
    pins.set(`${host}:${port}`, addresses);
  }
  return pins;
}

export function pinFor(pins: Pins, host: string, port: number): string[] | undefined {
  return pins.get(`${host.toLowerCase()}:${port}`);
}
