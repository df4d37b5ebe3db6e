/**
 * @module interceptor-vendors
 * The default table that names a TLS interceptor from the issuer of the
 * certificate it serves. Shipped inside every profile so admins can extend it.
 */
import type { InterceptorVendor } from './service-profile.ts';

export const DEFAULT_INTERCEPTOR_VENDORS: InterceptorVendor[] = [
  { vendor: 'Zscaler', issuerContains: ['Zscaler'] },
  { vendor: 'Fortinet FortiGate', issuerContains: ['FortiGate', 'Fortinet'] },
  { vendor: 'Cisco Umbrella', issuerContains: ['Cisco Umbrella', 'OpenDNS'] },
  { vendor: 'Cisco', issuerContains: ['Cisco'] },
  { vendor: 'Forcepoint', issuerContains: ['Forcepoint', 'Websense'] },
  { vendor: 'McAfee Web Gateway', issuerContains: ['McAfee', 'Skyhigh'] },
  { vendor: 'Sophos', issuerContains: ['Sophos'] },
  { vendor: 'Blue Coat / Symantec ProxySG', issuerContains: ['Blue Coat', 'BlueCoat', 'ProxySG'] },
  { vendor: 'Palo Alto Networks', issuerContains: ['Palo Alto', 'PAN-OS'] },
  { vendor: 'Netskope', issuerContains: ['Netskope'] },
  { vendor: 'Check Point', issuerContains: ['Check Point', 'CheckPoint'] },
  { vendor: 'Barracuda', issuerContains: ['Barracuda'] },
  { vendor: 'WatchGuard', issuerContains: ['WatchGuard'] },
  { vendor: 'SonicWall', issuerContains: ['SonicWall', 'SonicWALL'] },
  { vendor: 'Squid (ssl-bump)', issuerContains: ['squid'] },
  { vendor: 'mitmproxy', issuerContains: ['mitmproxy'] },
];

/** Returns the vendor whose pattern matches any of the issuer strings, else undefined. */
export function recognizeVendor(table: InterceptorVendor[], issuerParts: string[]): string | undefined {
  const haystack = issuerParts.join('\n').toLowerCase();
  return table.find((v) => v.issuerContains.some((s) => haystack.includes(s.toLowerCase())))?.vendor;
}
