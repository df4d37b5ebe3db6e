/**
 * @module catalog/diff
 * What changed between two catalog versions: endpoint sets added or removed,
 * and per kept set the URLs, IP ranges, ports, category and flags that moved.
 * Sets are matched by their Microsoft id, as the web service's own change
 * records do.
 */

import { type EndpointSet, formatPorts } from '@netinsights/protocol/catalog/endpoint-set.ts';
import type { CatalogVersion } from './catalog-version.ts';

/** A value that changed from one version to the next. */
export interface Change<T> {
  from: T;
  to: T;
}

/** Added and removed members of a list (URLs or IP ranges). */
export interface ListChange {
  added: string[];
  removed: string[];
}

/** How one endpoint set present in both versions changed. */
export interface SetChange {
  id: number;
  serviceArea: string;
  urls?: ListChange;
  ips?: ListChange;
  tcpPorts?: Change<string>;
  udpPorts?: Change<string>;
  category?: Change<string>;
  required?: Change<boolean>;
  expressRoute?: Change<boolean>;
  serviceAreaChange?: Change<string>;
  notes?: Change<string | null>;
}

/** The difference between two catalogs. */
export interface CatalogDiff {
  from: string;
  to: string;
  addedSets: EndpointSet[];
  removedSets: EndpointSet[];
  changedSets: SetChange[];
}

function listChange(a: readonly string[], b: readonly string[]): ListChange | undefined {
  const before = new Set(a);
  const after = new Set(b);
  const added = [...after].filter((x) => !before.has(x));
  const removed = [...before].filter((x) => !after.has(x));
  return added.length + removed.length > 0 ? { added, removed } : undefined;
}

function valueChange<T>(a: T, b: T): Change<T> | undefined {
  return a === b ? undefined : { from: a, to: b };
}

/** Compares the sets of two endpoint sets with the same id; undefined when equal. */
export function diffSet(a: EndpointSet, b: EndpointSet): SetChange | undefined {
  const change: SetChange = { id: b.id, serviceArea: b.serviceArea };
  const parts: Partial<SetChange> = {
    urls: listChange(a.urls, b.urls),
    ips: listChange(a.ips, b.ips),
    tcpPorts: valueChange(formatPorts(a.tcpPorts), formatPorts(b.tcpPorts)),
    udpPorts: valueChange(formatPorts(a.udpPorts), formatPorts(b.udpPorts)),
    category: valueChange<string>(a.category, b.category),
    required: valueChange(a.required, b.required),
    expressRoute: valueChange(a.expressRoute, b.expressRoute),
    serviceAreaChange: valueChange(a.serviceArea, b.serviceArea),
    notes: valueChange(a.notes ?? null, b.notes ?? null),
  };
  let changed = false;
  for (const [key, value] of Object.entries(parts)) {
    if (value === undefined) continue;
    (change as unknown as Record<string, unknown>)[key] = value;
    changed = true;
  }
  return changed ? change : undefined;
}

/** Compares two catalog versions. */
export function diffCatalogs(a: CatalogVersion, b: CatalogVersion): CatalogDiff {
  const before = new Map(a.sets.map((s) => [s.id, s]));
  const after = new Map(b.sets.map((s) => [s.id, s]));
  const changedSets: SetChange[] = [];
  for (const [id, set] of after) {
    const old = before.get(id);
    const change = old && diffSet(old, set);
    if (change) changedSets.push(change);
  }
  return {
    from: a.id,
    to: b.id,
    addedSets: b.sets.filter((s) => !before.has(s.id)),
    removedSets: a.sets.filter((s) => !after.has(s.id)),
    changedSets: changedSets.sort((x, y) => x.id - y.id),
  };
}

/** True when the two versions describe the same endpoints. */
export function isEmptyDiff(d: CatalogDiff): boolean {
  return d.addedSets.length + d.removedSets.length + d.changedSets.length === 0;
}

function describeSet(s: EndpointSet): string {
  const ports = [
    s.tcpPorts.length ? `TCP ${formatPorts(s.tcpPorts)}` : '',
    s.udpPorts.length ? `UDP ${formatPorts(s.udpPorts)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const hosts = s.urls.length ? s.urls.join(' ') : `${s.ips.length} IP ranges`;
  return `set ${s.id} (${s.serviceArea}, ${s.category}${s.required ? '' : ', optional'}; ${ports}): ${hosts}`;
}

/** Human-readable rendering for the CLI and change notifications. */
export function formatDiff(d: CatalogDiff): string {
  const lines = [`Catalog ${d.from} → ${d.to}`];
  if (isEmptyDiff(d)) return `${lines[0]}: no changes`;
  for (const s of d.addedSets) lines.push(`+ ${describeSet(s)}`);
  for (const s of d.removedSets) lines.push(`- ${describeSet(s)}`);
  for (const c of d.changedSets) {
    lines.push(`~ set ${c.id} (${c.serviceArea})`);
    if (c.category) lines.push(`    category: ${c.category.from} → ${c.category.to}`);
    if (c.required) lines.push(`    required: ${c.required.from} → ${c.required.to}`);
    if (c.expressRoute) lines.push(`    expressRoute: ${c.expressRoute.from} → ${c.expressRoute.to}`);
    if (c.serviceAreaChange)
      lines.push(`    serviceArea: ${c.serviceAreaChange.from} → ${c.serviceAreaChange.to}`);
    if (c.tcpPorts)
      lines.push(`    TCP ports: ${c.tcpPorts.from || '(none)'} → ${c.tcpPorts.to || '(none)'}`);
    if (c.udpPorts)
      lines.push(`    UDP ports: ${c.udpPorts.from || '(none)'} → ${c.udpPorts.to || '(none)'}`);
    for (const u of c.urls?.added ?? []) lines.push(`    + url ${u}`);
    for (const u of c.urls?.removed ?? []) lines.push(`    - url ${u}`);
    for (const ip of c.ips?.added ?? []) lines.push(`    + ip ${ip}`);
    for (const ip of c.ips?.removed ?? []) lines.push(`    - ip ${ip}`);
    if (c.notes) lines.push('    notes changed');
  }
  return lines.join('\n');
}
