/**
 * @module insights/identify-resolver
 * Turns what a report's resolver check found into the resolver the rollup
 * counts (insights/resolver-facts.ts), inside the report's transaction.
 */
import { resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import type {} from '../dns/sighting-store-contract.ts';
import type { ReportStoredEvent } from '../insights-hook.ts';
import type { Store } from '../store/contract.ts';
import type { Observation } from './observation.ts';

/**
 * The report's recursive resolver, geolocated: for the `zone` method the
 * sighting the collector's DNS listener recorded under this report's label
 * (claimed here, in the report's transaction, so it rolls back with it);
 * for `whoami` the address the probe was answered. A resolver the geo
 * source cannot place (private, loopback, unknown) is not counted.
 */
export async function identifyResolver(
  tx: Store,
  e: ReportStoredEvent,
  obs: Observation,
): Promise<Observation> {
  const claimed = obs.resolver!;
  let address: string | undefined;
  if (claimed.method === 'zone') {
    if (!e.resolverKey) return obs;
    const seen = await tx.resolverSightings.claim(
      resolverLabel(obs.reportId, e.resolverKey),
      e.tenantId,
      obs.reportId,
    );
    address = seen?.resolver;
  } else address = claimed.address;
  const geo = address ? e.locate?.(address) : null;
  if (!address || !geo || geo.latitude === null || geo.longitude === null) return obs;
  return {
    ...obs,
    resolverSeen: {
      address,
      method: claimed.method,
      latitude: geo.latitude,
      longitude: geo.longitude,
      city: geo.city,
      country: geo.country,
    },
  };
}
