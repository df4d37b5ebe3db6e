/** @module store/statements/front-doors — each office's front doors at its last evaluation (insights/front-door-store-contract.ts); both dialects. */
import type { FrontDoorFigure, FrontDoorRow } from '../../insights/front-door-store-contract.ts';
import { num, numOrNull, type Row, str, strOrNull } from '../row-decoders.ts';
import { exec, many } from '../shared/statement.ts';

const toRow = (r: Row): FrontDoorRow => ({
  workload: str(r.workload),
  address: str(r.address),
  latencyMedianMs: num(r.latency_median_ms),
  samples: num(r.samples),
  city: strOrNull(r.city),
  country: strOrNull(r.country),
  latitude: numOrNull(r.latitude),
  longitude: numOrNull(r.longitude),
});

export const FRONT_DOORS = {
  clearOffice: exec(
    'DELETE FROM front_doors WHERE tenant_id = $tenantId AND office_key = $officeKey',
    (tenantId: string, officeKey: string) => ({ tenantId, officeKey }),
  ),
  put: exec(
    `INSERT INTO front_doors (tenant_id, office_key, workload, address, city_key, latency_median_ms, samples,
       city, country, latitude, longitude, evaluated_at)
     VALUES ($tenantId, $officeKey, $workload, $address, $cityKey, $latencyMedianMs, $samples,
       $city, $country, $latitude, $longitude, $evaluatedAt)`,
    (
      tenantId: string,
      officeKey: string,
      cityKey: string | null,
      evaluatedAt: string,
      row: FrontDoorRow,
    ) => ({
      ...row,
      tenantId,
      officeKey,
      cityKey,
      evaluatedAt,
    }),
  ),
  forOffice: many(
    `SELECT * FROM front_doors WHERE tenant_id = $tenantId AND office_key = $officeKey
     ORDER BY workload, samples DESC, address`,
    (tenantId: string, officeKey: string) => ({ tenantId, officeKey }),
    toRow,
  ),
  // "The best front door in your area": other tenants' offices only, and only offices that still exist
  // (as the peer comparison). The tenant id is returned for grouping; only aggregates leave
  // insights/front-door-area.ts.
  areaFigures: many(
    `SELECT f.tenant_id, f.workload, f.address, f.latency_median_ms, f.samples, f.city, f.country,
       f.latitude, f.longitude FROM front_doors f
     JOIN offices o ON o.tenant_id = f.tenant_id AND o.id = f.office_key
     WHERE f.city_key = $cityKey AND f.evaluated_at >= $since AND f.tenant_id <> $tenantId`,
    (cityKey: string, since: string, tenantId: string) => ({ cityKey, since, tenantId }),
    (r): FrontDoorFigure => ({ ...toRow(r), tenantId: str(r.tenant_id) }),
  ),
};
