/**
 * The engine folds an ingest batch into its hour buckets once per
 * transaction (Store `beforeCommit`): every report of the batch counts, a
 * report whose savepoint rolls back does not, each bucket is written once
 * per transaction, and the office is due from its earliest report. Reports
 * stored through separate transactions (the way tests and other callers use
 * `onReportStored`) are persisted just the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ok } from '@netinsights/protocol';
import { parseRollup } from '../../src/insights/rollup.ts';
import type { ReportStoredEvent } from '../../src/insights-hook.ts';
import type { Store } from '../../src/store/contract.ts';
import { failure, https, report } from './helpers/reports.ts';
import { openTestStore, type TestStore } from './helpers/store.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const event = (officeKey: string, at: number, bad = false): ReportStoredEvent => ({
  tenantId: 't1',
  officeKey,
  office: null,
  discoveredId: null,
  report: report('dev-1', [
    https('teams.cloud.microsoft', 'cloud.microsoft', bad ? failure('proxy', 'forbidden') : ok()),
  ]),
  receivedAt: iso(at),
  egressIp: '192.0.2.10',
  egressGeo: null,
});

/** The transaction store with `putRollup` counted (same transaction, same repositories otherwise). */
function countingPuts(tx: Store, puts: string[]): Store {
  const out = Object.create(tx) as Store;
  Object.defineProperty(out, 'insights', {
    value: {
      ...tx.insights,
      putRollup: (tenantId: string, officeKey: string, bucket: string, data: string, version: string) => {
        puts.push(`${officeKey}@${bucket}`);
        return tx.insights.putRollup(tenantId, officeKey, bucket, data, version);
      },
    },
  });
  return out;
}

describe('insight engine: one rollup write per bucket per transaction', () => {
  let ts: TestStore;
  before(async () => {
    ts = await openTestStore();
  });
  after(() => ts.close());

  it('counts every report of a batch, skips a rolled-back savepoint, writes each bucket once', async () => {
    const puts: string[] = [];
    await ts.store.transaction(async (raw) => {
      const tx = countingPuts(raw, puts);
      for (let i = 0; i < 5; i++)
        await ts.hook.onReportStored(tx, event('lisbon', T0 + (10 + i) * MIN, i < 2));
      // One item of the batch fails after its report reached the engine: its savepoint rolls back.
      await assert.rejects(
        tx.transaction(async (sp) => {
          await ts.hook.onReportStored(sp, event('lisbon', T0 + 20 * MIN, true));
          throw new Error('item failed (simulated)');
        }),
      );
      await ts.hook.onReportStored(tx, event('lisbon', T0 + HOUR + 5 * MIN));
      await ts.hook.onReportStored(tx, event('porto', T0 + 30 * MIN));
      // Nothing is written before the commit.
      assert.deepEqual(puts, []);
    });
    assert.deepEqual(puts.sort(), [`lisbon@${iso(T0)}`, `lisbon@${iso(T0 + HOUR)}`, `porto@${iso(T0)}`]);

    const hour0 = parseRollup((await ts.store.insights.getRollup('t1', 'lisbon', iso(T0)))!.data);
    assert.equal(hour0.reports, 5, 'the five committed reports, not the rolled-back one');
    assert.equal(hour0.firstAt, T0 + 10 * MIN);
    assert.equal(hour0.lastAt, T0 + 14 * MIN);
    const hour1 = parseRollup((await ts.store.insights.getRollup('t1', 'lisbon', iso(T0 + HOUR)))!.data);
    assert.equal(hour1.reports, 1);
    assert.equal(parseRollup((await ts.store.insights.getRollup('t1', 'porto', iso(T0)))!.data).reports, 1);
    // Due from the office's earliest report of the batch.
    assert.equal((await ts.store.insights.getSchedule('t1', 'lisbon'))?.dueAt, iso(T0 + 10 * MIN));
    assert.equal((await ts.store.insights.getSchedule('t1', 'porto'))?.dueAt, iso(T0 + 30 * MIN));
  });

  it('a later batch adds to the bucket an earlier one wrote, and single-report transactions persist too', async () => {
    await ts.store.transaction(async (tx) => {
      await ts.hook.onReportStored(tx, event('lisbon', T0 + 40 * MIN));
      await ts.hook.onReportStored(tx, event('lisbon', T0 + 41 * MIN));
    });
    await ts.ingest('t1', 'lisbon', event('lisbon', 0).report!, T0 + 42 * MIN);
    const hour0 = parseRollup((await ts.store.insights.getRollup('t1', 'lisbon', iso(T0)))!.data);
    assert.equal(hour0.reports, 8);
    assert.equal(hour0.lastAt, T0 + 42 * MIN);
  });

  it('a batch whose transaction rolls back leaves the buckets as they were', async () => {
    const before = (await ts.store.insights.getRollup('t1', 'lisbon', iso(T0)))!.data;
    await assert.rejects(
      ts.store.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await ts.hook.onReportStored(tx, event('lisbon', T0 + 50 * MIN));
        throw new Error('commit refused (simulated)');
      }),
    );
    assert.equal((await ts.store.insights.getRollup('t1', 'lisbon', iso(T0)))!.data, before);
    // And the engine's cached copy was not advanced by it either.
    await ts.ingest('t1', 'lisbon', event('lisbon', 0).report!, T0 + 51 * MIN);
    const hour0 = parseRollup((await ts.store.insights.getRollup('t1', 'lisbon', iso(T0)))!.data);
    assert.equal(hour0.reports, 9);
  });
});
