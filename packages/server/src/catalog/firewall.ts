/**
 * @module catalog/firewall
 * The firewall allow list: for every selected endpoint set, its host names
 * (for FQDN-capable firewalls) and IP ranges, each with the TCP and UDP ports
 * the set needs. Sets 184 and 193 (`*.cloud.microsoft`, `*.static.microsoft`,
 * `*.usercontent.microsoft`) need UDP 443 as well as TCP 443: QUIC.
 */
import { isIPv4 } from 'node:net';
import { formatPorts } from '@netinsights/protocol/catalog/endpoint-set.ts';
import type { CatalogVersion } from './catalog-version.ts';
import { type Selection, select } from './select.ts';

/** One allow rule. */
export interface FirewallRule {
  setId: number;
  serviceArea: string;
  category: string;
  required: boolean;
  destinationType: 'fqdn' | 'ipv4' | 'ipv6';
  destination: string;
  protocol: 'tcp' | 'udp';
  /** Ports in web-service form: `80,443` or `3478-3481`. */
  ports: string;
}

/** Builds the allow rules for a selection (whole catalog by default). */
export function buildFirewallRules(catalog: CatalogVersion, sel: Selection = {}): FirewallRule[] {
  const picked = select(catalog.sets, sel);
  const wanted = new Set(picked.patterns.map((p) => p.pattern));
  const rules: FirewallRule[] = [];
  for (const set of picked.sets) {
    const destinations: [FirewallRule['destinationType'], string][] = [
      ...set.urls.filter((u) => wanted.has(u)).map((u): ['fqdn', string] => ['fqdn', u]),
      ...set.ips.map((ip): [FirewallRule['destinationType'], string] => [
        isIPv4(ip.split('/')[0] ?? '') ? 'ipv4' : 'ipv6',
        ip,
      ]),
    ];
    for (const [protocol, ports] of [
      ['tcp', set.tcpPorts],
      ['udp', set.udpPorts],
    ] as const) {
      if (ports.length === 0) continue;
      for (const [destinationType, destination] of destinations) {
        rules.push({
          setId: set.id,
          serviceArea: set.serviceArea,
          category: set.category,
          required: set.required,
          destinationType,
          destination,
          protocol,
          ports: formatPorts(ports),
        });
      }
    }
  }
  return rules;
}

const CSV_COLUMNS = [
  'setId',
  'serviceArea',
  'category',
  'required',
  'destinationType',
  'destination',
  'protocol',
  'ports',
] as const;

/**
 * A text cell that a spreadsheet would read as a formula (OWASP "CSV
 * Injection": a leading `=`, `+`, `-`, `@`, tab or carriage return) gets a
 * leading `'`, which spreadsheets show as text. Catalogs can be fetched from
 * elsewhere, so their strings are not trusted.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean): string {
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row; ports lists are quoted because they contain commas. */
export function formatFirewallCsv(rules: readonly FirewallRule[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rules) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Aligned text for reading in a terminal. */
export function formatFirewallText(rules: readonly FirewallRule[]): string {
  const width = Math.max(11, ...rules.map((r) => r.destination.length));
  const lines = rules.map(
    (r) =>
      `allow ${r.protocol} ${r.ports.padEnd(17)} to ${r.destination.padEnd(width)}  # set ${r.setId} ${r.category}${r.required ? '' : ' (optional)'}`,
  );
  return `${lines.join('\n')}\n`;
}
