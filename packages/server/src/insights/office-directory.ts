/**
 * @module insights/office-directory
 * What the engine needs to know about the place an insight belongs to:
 * name, city and coordinates. An office key is an office id, or
 * `discovered:<id>` for a location an admin has not adopted yet (its city and
 * coordinates then come from GeoIP, when configured).
 */
import type { Store } from '../store/contract.ts';
import type { OfficeInfo } from './rules/contract.ts';

const DISCOVERED = 'discovered:';

/** Looks the office (or discovered location) up in the tenant; undefined when it no longer exists. */
export async function resolveOffice(
  store: Store,
  tenantId: string,
  officeKey: string,
): Promise<OfficeInfo | undefined> {
  if (officeKey.startsWith(DISCOVERED)) {
    const d = await store.discovered.get(tenantId, officeKey.slice(DISCOVERED.length));
    if (!d) return undefined;
    return {
      name: d.city ? `${d.city} (discovered, ${d.egressPrefix})` : `Discovered location ${d.egressPrefix}`,
      city: d.city,
      country: d.country,
      latitude: d.latitude,
      longitude: d.longitude,
    };
  }
  const o = await store.offices.get(tenantId, officeKey);
  if (!o) return undefined;
  return { name: o.name, city: o.city, country: o.country, latitude: o.latitude, longitude: o.longitude };
}

/** Stand-in for a deleted office: attempt-based rules still work, location-based ones cannot. */
export function unknownOffice(officeKey: string): OfficeInfo {
  return { name: officeKey, city: null, country: null, latitude: null, longitude: null };
}

/** `city|country`, normalised, so "Lisbon"/"lisbon " of two tenants compare equal. */
export function cityKeyOf(office: OfficeInfo): string | null {
  const city = office.city?.trim().toLowerCase();
  if (!city) return null;
  return `${city}|${(office.country ?? '').trim().toLowerCase()}`;
}

/** Caches names for one API call (a list names the same office many times). */
export function officeNamer(store: Store, tenantId: string): (officeKey: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (key) => {
    let p = cache.get(key);
    if (!p) {
      p = resolveOffice(store, tenantId, key).then((o) => o?.name ?? '(deleted office)');
      cache.set(key, p);
    }
    return p;
  };
}
