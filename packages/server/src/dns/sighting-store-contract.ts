/**
 * @module dns/sighting-store-contract
 * Resolver sightings: which address asked the collector's DNS listener for a
 * report label, and the EDNS Client Subnet it sent. A row is written before
 * the tenant is known (the listener only sees the label) and is claimed by
 * the one report whose label it is when that report is stored: the label is
 * an HMAC of the report id under the tenant's agent token
 * (protocol/resolver-label.ts), so only that tenant's report can claim it,
 * and a claimed row then belongs to (tenant, report) and is read only with
 * both. Unclaimed rows are purged after a day. Added to `Store` by module
 * augmentation (see store/README.md).
 */

export interface SightingRow {
  label: string;
  resolver: string;
  ecs: string | null;
  transport: 'udp' | 'tcp';
  seenAt: string;
}

export interface ClaimedSighting extends SightingRow {
  tenantId: string;
  reportId: string;
}

export interface ResolverSightingsRepo {
  /** Records a sighting; the first one of a label is kept (later asks of it change nothing). */
  record(row: SightingRow): Promise<void>;
  /** Binds the label's unclaimed sighting to (tenant, report) and returns it; undefined when there is none. */
  claim(label: string, tenantId: string, reportId: string): Promise<ClaimedSighting | undefined>;
  /** The sighting claimed by a report of this tenant. */
  forReport(tenantId: string, reportId: string): Promise<ClaimedSighting | undefined>;
  /** Deletes unclaimed sightings seen before `before` and claimed ones seen before `claimedBefore`; how many. */
  purge(before: string, claimedBefore: string): Promise<number>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    resolverSightings: ResolverSightingsRepo;
  }
}
