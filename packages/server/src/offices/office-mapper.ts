/**
 * @module offices/office-mapper
 * Decides which office a report belongs to, in the product's order: the
 * office its agent token is bound to; the office the probe names
 * (`environment.officeId`, by id); an office whose LAN subnets contain one of
 * the probe's local addresses; the one office whose egress ranges contain
 * the egress IP the collector saw (several offices may list the same egress
 * — a shared cloud proxy such as Zscaler — and then the egress tells them
 * apart no more: such reports are placed by the earlier rules or not by
 * egress at all); a discovered location already adopted as an office.
 * Otherwise the report goes to the discovered location of its egress city
 * when the geo database knows it (remote workers, offices/remote-group.ts),
 * else of its egress /24 (IPv4) or /48 (IPv6).
 *
 * Offices are cached per tenant (parsed CIDRs) and refreshed after any change
 * made through this process, or after a few seconds (other collectors).
 */
import type ipaddr from 'ipaddr.js';
import { type Cidr, contains, egressPrefix, parseCidr, parseIp } from '../net/cidr.ts';
import type { GeoInfo, OfficeRow, Store } from '../store/contract.ts';
import { cityGroupKey } from './remote-group.ts';

const TTL_MS = 10_000;

interface TenantOffices {
  until: number;
  byId: Map<string, OfficeRow>;
  lan: Array<{ range: Cidr; office: OfficeRow }>;
  egress: Array<{ range: Cidr; office: OfficeRow }>;
  /** Adopted discovered prefixes → office. */
  adopted: Map<string, string>;
}

export type Mapping =
  | { kind: 'office'; office: OfficeRow; via: 'token' | 'probe' | 'lan' | 'egress' | 'adopted' }
  | { kind: 'discovered'; egressPrefix: string };

export interface MapInput {
  tenantId: string;
  tokenOfficeId: string | null;
  probeOfficeId: string | undefined;
  localAddresses: string[];
  egressIp: string;
  /** Where the geo database places the egress IP, if it does. */
  egressGeo?: GeoInfo | null;
}

export class OfficeMapper {
  readonly #cache = new Map<string, TenantOffices>();

  invalidate(tenantId: string): void {
    this.#cache.delete(tenantId);
  }

  async offices(store: Store, tenantId: string): Promise<TenantOffices> {
    const hit = this.#cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit;
    const rows = await store.offices.list(tenantId);
    const adopted = await store.discovered.listAdopted(tenantId);
    const t: TenantOffices = {
      until: Date.now() + TTL_MS,
      byId: new Map(),
      lan: [],
      egress: [],
      adopted: new Map(adopted.map((a) => [a.egressPrefix, a.officeId])),
    };
    for (const o of rows) {
      t.byId.set(o.id, o);
      for (const s of o.lanSubnets) t.lan.push({ range: parseCidr(s) as Cidr, office: o });
      for (const s of o.egressRanges) t.egress.push({ range: parseCidr(s) as Cidr, office: o });
    }
    // Most specific range first.
    t.lan.sort((a, b) => b.range.bits - a.range.bits);
    t.egress.sort((a, b) => b.range.bits - a.range.bits);
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(tenantId, t);
    return t;
  }

  /** Maps without touching discovered rows (the caller records those in its transaction). */
  async map(store: Store, input: MapInput): Promise<Mapping> {
    const t = await this.offices(store, input.tenantId);
    const byToken = input.tokenOfficeId ? t.byId.get(input.tokenOfficeId) : undefined;
    if (byToken) return { kind: 'office', office: byToken, via: 'token' };
    const byProbe = input.probeOfficeId ? t.byId.get(input.probeOfficeId) : undefined;
    if (byProbe) return { kind: 'office', office: byProbe, via: 'probe' };
    // Most tenants declare no LAN subnets: then no local address can match, so none is parsed.
    if (t.lan.length > 0)
      for (const text of input.localAddresses) {
        const ip = parseIp(text);
        if (!ip) continue;
        const hit = t.lan.find((l) => contains(l.range, ip));
        if (hit) return { kind: 'office', office: hit.office, via: 'lan' };
      }
    const egress = parseIp(input.egressIp) as ipaddr.IPv4 | ipaddr.IPv6 | undefined;
    if (!egress) return { kind: 'discovered', egressPrefix: input.egressIp };
    const byEgress = soleEgressOffice(t.egress, egress);
    if (byEgress) return { kind: 'office', office: byEgress, via: 'egress' };
    const prefix = egressPrefix(egress);
    const group = cityGroupKey(input.egressGeo) ?? prefix;
    // A prefix adopted before city grouping existed keeps its office.
    for (const key of group === prefix ? [prefix] : [prefix, group]) {
      const adoptedBy = t.adopted.get(key);
      const adopted = adoptedBy ? t.byId.get(adoptedBy) : undefined;
      if (adopted) return { kind: 'office', office: adopted, via: 'adopted' };
    }
    return { kind: 'discovered', egressPrefix: group };
  }
}

/**
 * The office whose most specific egress range contains `ip`, when only one
 * office has a range that specific; undefined when none does or several do
 * (a shared cloud-proxy egress names no single office).
 */
function soleEgressOffice(
  ranges: ReadonlyArray<{ range: Cidr; office: OfficeRow }>,
  ip: ipaddr.IPv4 | ipaddr.IPv6,
): OfficeRow | undefined {
  // Sorted most specific first: the first hit fixes the prefix length that decides.
  const first = ranges.findIndex((l) => contains(l.range, ip));
  if (first < 0) return undefined;
  const bits = ranges[first]!.range.bits;
  const office = ranges[first]!.office;
  for (let i = first + 1; i < ranges.length && ranges[i]!.range.bits === bits; i++)
    if (ranges[i]!.office.id !== office.id && contains(ranges[i]!.range, ip)) return undefined;
  return office;
}
