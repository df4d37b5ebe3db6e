/**
 * @module offices/office-input
 * Validation of an office as an admin sends it (API body, CSV row, adoption):
 * required fields, latitude/longitude ranges, the country an ISO 3166-1
 * alpha-2 code (the geo database and the peer comparison by city key on it;
 * "Germany" is refused with "did you mean DE?"), and every subnet and egress
 * range a valid IPv4/IPv6 CIDR. Problems are returned as JSON-pointer issues.
 */
import { countryCode, type SchemaIssue, suggestCountryCode } from '@netinsights/protocol';
import { type Cidr, parseCidr, parseNormalisedCidr } from '../net/cidr.ts';
import { RangeIndex } from '../net/range-index.ts';
import type { OfficeFields } from '../store/contract.ts';

const MAX_RANGES = 256;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The country as its upper-case code; an issue when it is given and not an assigned code. */
function countryField(value: string | undefined, given: boolean, issues: SchemaIssue[]): string | undefined {
  if (value === undefined || !given) return value;
  const code = countryCode(value);
  if (code) return code;
  const guess = suggestCountryCode(value);
  issues.push({
    path: '/country',
    message: `must be an ISO 3166-1 alpha-2 country code such as DE or US${guess ? ` (did you mean ${guess}?)` : ''}`,
  });
  return undefined;
}

const FIELDS = ['name', 'address', 'city', 'country', 'latitude', 'longitude', 'lanSubnets', 'egressRanges'];

/**
 * Checks a complete office document (`partial` for PATCH: only the fields
 * present are checked, then merged over `base`).
 */
export function checkOfficeInput(
  doc: unknown,
  base?: OfficeFields,
): { office?: OfficeFields; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  if (!isObject(doc)) return { issues: [{ path: '/', message: 'must be a JSON object' }] };
  for (const key of Object.keys(doc))
    if (!FIELDS.includes(key)) issues.push({ path: `/${key}`, message: 'is not an office field' });
  const has = (k: string) => doc[k] !== undefined;
  const need = (k: string) => !base || has(k);

  const text = (k: 'name' | 'city' | 'country', max: number): string | undefined => {
    if (!need(k)) return base?.[k];
    const v = doc[k];
    if (typeof v !== 'string' || v.trim() === '') {
      issues.push({ path: `/${k}`, message: 'is required (a non-empty string)' });
      return undefined;
    }
    if (v.length > max) issues.push({ path: `/${k}`, message: `must be at most ${max} characters` });
    return v.trim();
  };
  const coord = (k: 'latitude' | 'longitude', lim: number): number | undefined => {
    if (!need(k)) return base?.[k];
    const v = doc[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issues.push({ path: `/${k}`, message: 'is required (a number)' });
      return undefined;
    }
    if (v < -lim || v > lim) issues.push({ path: `/${k}`, message: `must be between -${lim} and ${lim}` });
    return v;
  };
  const ranges = (k: 'lanSubnets' | 'egressRanges'): string[] | undefined => {
    if (!has(k)) return base?.[k] ?? [];
    const v = doc[k];
    if (!Array.isArray(v)) {
      issues.push({ path: `/${k}`, message: 'must be an array of CIDR strings' });
      return undefined;
    }
    if (v.length > MAX_RANGES)
      issues.push({ path: `/${k}`, message: `must hold at most ${MAX_RANGES} ranges` });
    const out: Cidr[] = [];
    const index = new RangeIndex<number>();
    const at: number[] = [];
    v.forEach((item, i) => {
      const c = typeof item === 'string' ? parseCidr(item) : 'must be a string';
      if (typeof c === 'string') issues.push({ path: `/${k}/${i}`, message: c });
      else {
        index.add(c, out.length);
        out.push(c);
        at.push(i);
      }
    });
    // Sorted once, not all pairs: a range that overlaps an earlier one in the list is named.
    out.forEach((c, j) => {
      const earlier = index.overlapping(c).filter((h) => h.owner < j);
      if (earlier.length) {
        const first = Math.min(...earlier.map((h) => h.owner));
        issues.push({ path: `/${k}/${at[j]}`, message: `overlaps ${out[first]!.text} in the same list` });
      }
    });
    return out.map((c) => c.text);
  };

  const name = text('name', 200);
  const city = text('city', 200);
  const country = countryField(text('country', 100), need('country'), issues);
  const latitude = coord('latitude', 90);
  const longitude = coord('longitude', 180);
  let address: string | null = base?.address ?? null;
  if (has('address')) {
    const a = doc.address;
    if (a !== null && typeof a !== 'string') issues.push({ path: '/address', message: 'must be a string' });
    else if (typeof a === 'string' && a.length > 500)
      issues.push({ path: '/address', message: 'must be at most 500 characters' });
    else address = typeof a === 'string' && a.trim() !== '' ? a.trim() : null;
  }
  const lanSubnets = ranges('lanSubnets');
  const egressRanges = ranges('egressRanges');
  if (issues.length) return { issues };
  return {
    office: {
      name: name!,
      address,
      city: city!,
      country: country!,
      latitude: latitude!,
      longitude: longitude!,
      lanSubnets: lanSubnets!,
      egressRanges: egressRanges!,
    },
    issues,
  };
}

export interface OverlapDetail {
  field: 'lanSubnets' | 'egressRanges';
  range: string;
  officeId: string;
  officeName: string;
  otherRange: string;
}

/** Who owns a range in an office range index. */
export interface RangeOwner {
  officeId: string;
  officeName: string;
}

const RANGE_FIELDS = ['lanSubnets', 'egressRanges'] as const;
/**
 * The ranges no two offices may share: LAN subnets, which tell an office's
 * devices apart. Egress ranges may overlap across offices: offices whose
 * users go out through one cloud proxy (Zscaler, Netskope…) all see its
 * egress addresses, and their reports are told apart by LAN subnet, agent
 * token or the probe's office id (offices/office-mapper.ts maps by an egress
 * range only when a single office claims it).
 */
const EXCLUSIVE_FIELDS = ['lanSubnets'] as const;

/** The LAN subnets and egress ranges of `offices`, each parsed once into its own index. */
export type OfficeRangeIndex = Record<(typeof RANGE_FIELDS)[number], RangeIndex<RangeOwner>>;

export function indexOfficeRanges(offices: Array<OfficeFields & { id: string }>): OfficeRangeIndex {
  const index: OfficeRangeIndex = { lanSubnets: new RangeIndex(), egressRanges: new RangeIndex() };
  for (const o of offices)
    for (const field of EXCLUSIVE_FIELDS)
      for (const text of o[field]) {
        const c = parseNormalisedCidr(text);
        if (typeof c !== 'string') index[field].add(c, { officeId: o.id, officeName: o.name });
      }
  return index;
}

/**
 * LAN subnets of `office` that overlap another office's in `index`, except
 * those owned by offices `counts` rejects (the office itself, say). Egress
 * ranges are not compared: several offices may share one (EXCLUSIVE_FIELDS).
 */
export function overlapsIn(
  office: OfficeFields,
  index: OfficeRangeIndex,
  counts: (owner: RangeOwner) => boolean = () => true,
): OverlapDetail[] {
  const out: OverlapDetail[] = [];
  for (const field of EXCLUSIVE_FIELDS)
    for (const text of office[field]) {
      const mine = parseNormalisedCidr(text);
      if (typeof mine === 'string') continue;
      for (const hit of index[field].overlapping(mine))
        if (counts(hit.owner)) out.push({ field, range: text, ...hit.owner, otherRange: hit.cidr.text });
    }
  return out;
}

/** LAN subnets of `office` that overlap another office's. */
export function findOverlaps(
  office: OfficeFields,
  others: Array<OfficeFields & { id: string }>,
): OverlapDetail[] {
  return overlapsIn(office, indexOfficeRanges(others));
}
