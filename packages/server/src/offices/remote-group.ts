/**
 * @module offices/remote-group
 * Where reports from networks no office claims are grouped. Home workers
 * each have their own ISP address, so one discovered location per egress /24
 * made a list with a row per living room. With a geo database the collector
 * groups them by the city it places the egress in — one "remote workers in
 * Berlin, DE" location, keyed `city:DE/Berlin` in the discovered location's
 * `egressPrefix` — and falls back to the /24 (IPv4) or /48 (IPv6) only when
 * the database has no city for the address. Adopting a city group maps that
 * city's remote workers to the office from then on.
 */
import type { GeoInfo } from '../store/contract.ts';

const CITY_PREFIX = 'city:';

/** The group key of an egress the geo database places in a city; undefined without city and country. */
export function cityGroupKey(geo: GeoInfo | null | undefined): string | undefined {
  const city = geo?.city?.trim();
  const country = geo?.country?.trim().toUpperCase();
  if (!city || !country) return undefined;
  return `${CITY_PREFIX}${country}/${city}`;
}

/** The city and country of a city group key; undefined for an egress prefix. */
export function parseCityGroup(key: string): { country: string; city: string } | undefined {
  if (!key.startsWith(CITY_PREFIX)) return undefined;
  const rest = key.slice(CITY_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 1) return undefined;
  return { country: rest.slice(0, slash), city: rest.slice(slash + 1) };
}

/** How the dashboard names a discovered location: "Remote workers in Berlin, DE" or the egress prefix. */
export function groupLabel(key: string): string {
  const c = parseCityGroup(key);
  return c ? `Remote workers in ${c.city}, ${c.country}` : key;
}
