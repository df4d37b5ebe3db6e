/**
 * @module test/insights/helpers/store
 * A real SQLite store (node:sqlite, a temporary file, all migrations) with a
 * few tenants and offices, and `ingest()` that does what the collector does
 * for the engine: calls the hook inside the report's transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeReport } from '@netinsights/protocol';
import type { GeoLookup } from '../../../src/geo/geo-lookup.ts';
import { createInsightsHook } from '../../../src/insights/index.ts';
import type { GeoInfo, OfficeRow, Store } from '../../../src/store/contract.ts';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';

export interface TestStore {
  store: Store;
  hook: ReturnType<typeof createInsightsHook>;
  ingest(
    tenantId: string,
    officeKey: string,
    report: ProbeReport,
    receivedAt: number,
    egressGeo?: GeoInfo | null,
  ): Promise<void>;
  addOffice(tenantId: string, id: string, fields: Partial<OfficeRow>): Promise<void>;
  close(): Promise<void>;
}

/** `geo` places front door addresses for the engine (as the collector's geo source does). */
export async function openTestStore(opts: { geo?: GeoLookup } = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-insights-'));
  const store = await openSqliteStore({ file: join(dir, 'test.db') });
  await store.migrate();
  let ids = 0;
  const hook = createInsightsHook({ newId: () => `ins-${++ids}`, ...(opts.geo ? { geo: opts.geo } : {}) });
  const at = '2026-11-01T00:00:00.000Z';
  for (const id of ['t1', 't2', 't3', 't4'])
    await store.tenants.create({ id, name: `Tenant ${id}`, createdAt: at });
  return {
    store,
    hook,
    async ingest(tenantId, officeKey, report, receivedAt, egressGeo = null) {
      await store.transaction((tx) =>
        hook.onReportStored(tx, {
          tenantId,
          officeKey,
          office: null,
          discoveredId: null,
          report,
          receivedAt: new Date(receivedAt).toISOString(),
          egressIp: '192.0.2.10',
          egressGeo,
        }),
      );
    },
    async addOffice(tenantId, id, fields) {
      await store.offices.create({
        tenantId,
        id,
        name: `Office ${id}`,
        address: null,
        city: 'Lisbon',
        country: 'PT',
        latitude: 38.72,
        longitude: -9.14,
        lanSubnets: [],
        egressRanges: [],
        createdAt: at,
        updatedAt: at,
        ...fields,
      });
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
