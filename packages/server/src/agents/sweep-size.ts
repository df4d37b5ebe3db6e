/**
 * @module agents/sweep-size
 * How many hosts an agent's endpoint sweep will dial: the required Optimize
 * and Allow hosts of the catalog `GET /api/v1/agent/catalog` serves (the
 * tenant's version in force, else the shipped snapshot), read as the probe
 * reads it (protocol sweep-catalog.ts, with the profile's representative
 * hosts). The planner prices a sweep by it (protocol measurement-plan.ts),
 * so it grants one to an agent whose cap has room for this catalog, not for
 * a guess. Memoised by catalog version and representatives: a config call
 * costs one id lookup, the catalog is read again only when it changed.
 */
import { planSweep } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import { currentCatalog } from '../catalog/catalog-service.ts';
import { toServiceJson } from '../catalog/catalog-version.ts';
import { snapshotCatalog } from '../catalog/snapshot.ts';
import type { Store } from '../store/contract.ts';

/** Distinct (catalog version, representatives) pairs kept; a tenant has one in force at a time. */
const MAX_REMEMBERED = 1024;

export class SweepSize {
  readonly #hosts = new Map<string, number>();

  async hosts(
    store: Store,
    tenantId: string,
    representatives: Readonly<Record<string, string>>,
  ): Promise<number> {
    const id = (await store.catalog.currentId(tenantId)) ?? snapshotCatalog().id;
    const reps = JSON.stringify(representatives);
    const known = this.#hosts.get(`${id}\n${reps}`);
    if (known !== undefined) return known;
    const catalog = await currentCatalog(store, tenantId);
    const hosts = planSweep(catalog.sets.map(toServiceJson), representatives).targets.length;
    if (this.#hosts.size >= MAX_REMEMBERED) this.#hosts.clear();
    // Keyed by the version actually read (an import between the two reads is priced right next time).
    this.#hosts.set(`${catalog.id}\n${reps}`, hosts);
    return hosts;
  }
}
