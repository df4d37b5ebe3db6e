/**
 * @module catalog
 * The Microsoft 365 endpoint catalog: parsing and validation, versions and
 * diffs, the shipped snapshot, and the remediation artifacts built from it
 * (PAC file, TLS-inspection bypass list, firewall allow list).
 */
export * from './bypass-list.ts';
export * from './catalog-version.ts';
export * from './diff.ts';
export * from './endpoint-set.ts';
export * from './firewall.ts';
export * from './host-pattern.ts';
export * from './insight-hosts.ts';
export * from './pac.ts';
export * from './parse-catalog.ts';
export * from './ports.ts';
export * from './read-source.ts';
export * from './select.ts';
export * from './snapshot.ts';
export * from './version-dir.ts';
