/**
 * The store contract on SQLite, the first suite written for it (test/store/ runs the full suites over both dialects):
 * tenant-keyed repositories, idempotent report insert, transactions that
 * roll back as a whole, savepoints that roll back alone, and migrations
 * recorded once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ReportRow, Store } from '../src/store/contract.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { storedReport } from './helpers/stored-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'ni-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const dialects: Array<[string, () => Promise<Store>]> = [
  [
    'sqlite',
    async () => {
      const s = await openSqliteStore({ file: join(dir, `${Math.random()}.db`) });
      await s.migrate();
      return s;
    },
  ],
];

const report = (tenantId: string, id: string, at: string): ReportRow =>
  storedReport({ tenantId, id, receivedAt: at });

for (const [name, open] of dialects) {
  describe(`store contract: ${name}`, () => {
    test('a report id is stored once per tenant, and tenants do not see each other', async () => {
      const s = await open();
      const now = new Date().toISOString();
      await s.tenants.create({ id: 't1', name: 'One', createdAt: now });
      await s.tenants.create({ id: 't2', name: 'Two', createdAt: now });
      assert.deepEqual(await s.reports.insert(report('t1', 'r1', now)), { inserted: true });
      assert.deepEqual(await s.reports.insert(report('t1', 'r1', now)), { inserted: false });
      assert.deepEqual(await s.reports.insert(report('t2', 'r1', now)), { inserted: true });
      assert.equal((await s.reports.list('t1', { limit: 10 })).items.length, 1);
      assert.equal(await s.reports.get('t2', 'r2'), undefined);
      await s.close();
    });

    test('a failing transaction leaves nothing; a failing savepoint rolls back alone', async () => {
      const s = await open();
      const now = new Date().toISOString();
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.reports.insert(report('t1', 'a', now));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await s.reports.get('t1', 'a'), undefined);
      await s.transaction(async (tx) => {
        await tx.reports.insert(report('t1', 'b', now));
        await tx
          .transaction(async (inner) => {
            await inner.reports.insert(report('t1', 'c', now));
            throw new Error('inner');
          })
          .catch(() => {});
      });
      assert.ok(await s.reports.get('t1', 'b'));
      assert.equal(await s.reports.get('t1', 'c'), undefined);
      await s.close();
    });

    test('calls from outside wait while a transaction is open', async () => {
      const s = await open();
      const now = new Date().toISOString();
      let outsideSaw: unknown = 'not run';
      await s.transaction(async (tx) => {
        await tx.reports.insert(report('t1', 'x', now));
        const outside = s.reports.get('t1', 'x').then((r) => {
          outsideSaw = r?.id;
        });
        await new Promise((r) => setTimeout(r, 20));
        assert.equal(outsideSaw, 'not run');
        void outside;
      });
      await new Promise((r) => setTimeout(r, 0));
      assert.equal(outsideSaw, 'x');
      await s.close();
    });

    test('cursor pagination walks every report exactly once, newest first', async () => {
      const s = await open();
      for (let i = 0; i < 25; i++)
        await s.reports.insert(
          report('t1', `r${String(i).padStart(2, '0')}`, new Date(1e12 + (i % 5) * 1000).toISOString()),
        );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.reports.list('t1', { limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
      await s.close();
    });

    test('migrate() a second time applies nothing', async () => {
      const s = await open();
      assert.deepEqual(await s.migrate(), []);
      await s.close();
    });
  });
}
