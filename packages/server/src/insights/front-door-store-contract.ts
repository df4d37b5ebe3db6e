/**
 * @module insights/front-door-store-contract
 * Each office's front doors at its last evaluation — per workload, the
 * address its devices landed on, the median connect time, the samples behind
 * it and where the address is (geolocated by the collector) — so other
 * tenants' offices in the same city can be compared with the area's best
 * front door (insights/front-door-area.ts). Tenant-owned rows keyed by
 * tenant first; one read is instance-wide on purpose (the per-city
 * aggregate, figures only). Added to `Store` by module augmentation
 * (store/README.md); migration 045.
 */

/** One office's front door for one workload. */
export interface FrontDoorRow {
  workload: string;
  address: string;
  latencyMedianMs: number;
  samples: number;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** The per-city aggregate input: one entry per other-tenant office and front door, no office identity. */
export interface FrontDoorFigure extends FrontDoorRow {
  /** Whose office it is: for grouping by tenant, never shown. */
  tenantId: string;
}

export interface FrontDoorsRepo {
  /** Forgets the office's front doors (before its new ones are written, in the same transaction). */
  clearOffice(tenantId: string, officeKey: string): Promise<void>;
  put(
    tenantId: string,
    officeKey: string,
    cityKey: string | null,
    evaluatedAt: string,
    row: FrontDoorRow,
  ): Promise<void>;
  forOffice(tenantId: string, officeKey: string): Promise<FrontDoorRow[]>;
  /**
   * Instance-wide, figures only: the front doors of offices of the city
   * evaluated since `since`, of tenants other than `excludeTenantId`, that
   * still exist.
   */
  areaFigures(cityKey: string, since: string, excludeTenantId: string): Promise<FrontDoorFigure[]>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    frontDoors: FrontDoorsRepo;
  }
}
