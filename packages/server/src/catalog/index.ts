/**
 * @module catalog
 * The Microsoft 365 endpoint catalog: parsing and validation, versions and
 * diffs, the shipped snapshot, and the remediation artifacts built from it
 * (PAC file, TLS-inspection bypass list, firewall allow list).
 */

export * from '@netinsights/protocol/catalog/endpoint-set.ts';
export * from '@netinsights/protocol/catalog/host-pattern.ts';
export * from '@netinsights/protocol/catalog/parse-catalog.ts';
export * from '@netinsights/protocol/catalog/ports.ts';
export * from './bypass-list.ts';
export * from './catalog-version.ts';
export * from './diff.ts';
export * from './firewall.ts';
export * from './insight-hosts.ts';
export * from './pac.ts';
export * from './read-source.ts';
export * from './select.ts';
export * from './snapshot.ts';
export * from './version-dir.ts';
