/**
 * @module test/fixtures
 * A small origin for middlebox tests: a root and issuing CA, the front door
 * serving a few lab hosts, and a lookup that maps those hosts to loopback.
 */
import { type FrontDoor, startFrontDoor } from '../src/front-door.ts';
import { type CertificateAuthority, createRootCa } from '../src/pki.ts';

export const ORIGIN_HOSTS = [
  'm365.cloud.microsoft',
  'teams.cloud.microsoft',
  'res.public.onecdn.static.microsoft',
  'substrate.office.com',
];

export interface Origin {
  root: CertificateAuthority;
  door: FrontDoor;
  lookup: (host: string) => Promise<string>;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const root = await createRootCa({ commonName: 'Origin Test Root', organization: 'Netinsights Lab' });
  const issuing = await root.issueIntermediate('Origin Test Issuing CA', 'Netinsights Lab');
  const door = await startFrontDoor({ certificate: await issuing.issueServer(ORIGIN_HOSTS) });
  const lookup = async (host: string) => {
    if (ORIGIN_HOSTS.includes(host)) return '127.0.0.1';
    throw Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' });
  };
  return { root, door, lookup, close: () => door.close() };
}
