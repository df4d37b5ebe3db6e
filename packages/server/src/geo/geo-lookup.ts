/**
 * @module geo/geo-lookup
 * Where an egress IP is: from a MaxMind-format `.mmdb` city database
 * (`--geoip`, read with the `maxmind` package) or from a small range → city
 * table (`--geo-table`, JSON or CSV), handy for demos and tests.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import maxmind, { type CityResponse } from 'maxmind';
import { type Cidr, contains, parseCidr, parseIp } from '../net/cidr.ts';
import type { GeoInfo } from '../store/contract.ts';

export interface GeoLookup {
  lookup(ip: string): GeoInfo | null;
}

export const noGeo: GeoLookup = { lookup: () => null };

export async function openMmdb(file: string): Promise<GeoLookup> {
  const reader = await maxmind.open<CityResponse>(file);
  return {
    lookup(ip) {
      let r: CityResponse | null;
      try {
        r = reader.get(ip);
      } catch {
        return null;
      }
      if (!r) return null;
      return {
        city: r.city?.names?.en ?? null,
        country: r.country?.iso_code ?? null,
        latitude: r.location?.latitude ?? null,
        longitude: r.location?.longitude ?? null,
      };
    },
  };
}

interface TableRow extends GeoInfo {
  range: Cidr;
}

/**
 * Reads a table of `{range, city, country, latitude, longitude}`: a JSON array
 * of such objects, or CSV with those column names. The most specific range
 * that contains the address wins.
 */
export function loadGeoTable(file: string): GeoLookup {
  const text = readFileSync(file, 'utf8');
  let records: Array<Record<string, unknown>>;
  if (/^\s*\[/.test(text)) records = JSON.parse(text) as Array<Record<string, unknown>>;
  else
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Array<
      Record<string, unknown>
    >;
  const rows: TableRow[] = records.map((r, i) => {
    const range = parseCidr(String(r.range ?? ''));
    if (typeof range === 'string') throw new Error(`${file}: entry ${i + 1}: range ${range}`);
    const n = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v));
    const lat = n(r.latitude);
    const lon = n(r.longitude);
    if ((lat !== null && !(lat >= -90 && lat <= 90)) || (lon !== null && !(lon >= -180 && lon <= 180)))
      throw new Error(`${file}: entry ${i + 1}: latitude/longitude out of range`);
    return {
      range,
      city: r.city ? String(r.city) : null,
      country: r.country ? String(r.country) : null,
      latitude: lat,
      longitude: lon,
    };
  });
  rows.sort((a, b) => b.range.bits - a.range.bits);
  return {
    lookup(ip) {
      const addr = parseIp(ip);
      if (!addr) return null;
      const hit = rows.find((r) => contains(r.range, addr));
      return hit
        ? { city: hit.city, country: hit.country, latitude: hit.latitude, longitude: hit.longitude }
        : null;
    },
  };
}
