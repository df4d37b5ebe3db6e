/**
 * @module offices/office-view
 * Offices and discovered locations as the API shows them.
 */
import type { DiscoveredRow, OfficeRow } from '../store/contract.ts';
import { groupLabel, parseCityGroup } from './remote-group.ts';

export function officeView(o: OfficeRow) {
  return {
    id: o.id,
    name: o.name,
    address: o.address,
    city: o.city,
    country: o.country,
    latitude: o.latitude,
    longitude: o.longitude,
    lanSubnets: o.lanSubnets,
    egressRanges: o.egressRanges,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function discoveredView(d: DiscoveredRow, devices: number) {
  return {
    id: d.id,
    egressPrefix: d.egressPrefix,
    /** `city`: remote workers grouped by the city of their egress; `egress`: one egress /24 or /48. */
    grouping: parseCityGroup(d.egressPrefix) ? ('city' as const) : ('egress' as const),
    label: groupLabel(d.egressPrefix),
    city: d.city,
    country: d.country,
    latitude: d.latitude,
    longitude: d.longitude,
    reports: d.reports,
    devices,
    firstSeenAt: d.firstSeenAt,
    lastSeenAt: d.lastSeenAt,
  };
}
