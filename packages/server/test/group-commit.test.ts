/**
 * Group commit's batch step (ingest/group-commit.ts `prepareBatch`, which
 * PostgreSQL ingest uses for its one multi-row report insert): in the fast
 * path it runs once with every item and each item's work gets its result;
 * when an item fails, the batch is redone item by item without it, so work
 * done by the rolled-back batch step is never taken for stored. On a real
 * SQLite store. And `maxInFlight`: on a real PostgreSQL store a second
 * batch commits while the first is still open.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GroupCommit } from '../src/ingest/group-commit.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { storeFactory, testDialects } from './store/dialects.ts';

const dir = mkdtempSync(join(tmpdir(), 'ni-gc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the batch step runs once per fast-path batch, and not in the per-item redo after a failure', async () => {
  const store = await openSqliteStore({ file: join(dir, 'gc.db') });
  await store.migrate();
  const batches: string[][] = [];
  const seen: Array<[string, string | undefined]> = [];
  const gc = new GroupCommit<string, string, string>(
    store,
    { maxWaitMs: 5, maxBatch: 10 },
    async (_tx, item, pre) => {
      seen.push([item, pre]);
      if (item === 'bad') throw new Error('bad item');
      return `${item}:${pre ?? 'alone'}`;
    },
    undefined,
    async (_tx, items) => {
      batches.push(items);
      return items.map((i) => `pre-${i}`);
    },
  );
  assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((i) => gc.submit(i))), [
    'a:pre-a',
    'b:pre-b',
    'c:pre-c',
  ]);
  assert.deepEqual(batches, [['a', 'b', 'c']]);

  seen.length = 0;
  const answers = await Promise.allSettled(['d', 'bad', 'e'].map((i) => gc.submit(i)));
  assert.deepEqual(
    answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message)),
    ['d:alone', 'bad item', 'e:alone'],
  );
  assert.deepEqual(batches.at(-1), ['d', 'bad', 'e'], 'the fast path ran the batch step');
  assert.deepEqual(
    seen.slice(-3),
    [
      ['d', undefined],
      ['bad', undefined],
      ['e', undefined],
    ],
    'the redo gives no batch result',
  );
  await gc.close();
  await store.close();
});

test('with two batches in flight the next batch commits while the first is still open (PostgreSQL)', {
  skip: !testDialects().includes('postgres') && 'PostgreSQL not selected',
}, async (t) => {
  const stores = storeFactory('postgres');
  t.after(() => stores.cleanup());
  const store = await stores.open();
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const gc = (maxInFlight: number) =>
    new GroupCommit<string, string>(store, { maxWaitMs: 1, maxBatch: 1, maxInFlight }, async (tx, item) => {
      // A real statement in each transaction, so both hold a connection of their own.
      await tx.tenants.list();
      if (item === 'hold') await held;
      return item;
    });
  const two = gc(2);
  const first = two.submit('hold');
  assert.equal(await two.submit('next'), 'next', 'the second batch committed while the first was open');
  release();
  assert.equal(await first, 'hold');
  await two.close();

  // One in flight (SQLite's way): the second batch waits for the first.
  let releaseOne!: () => void;
  const heldOne = new Promise<void>((r) => {
    releaseOne = r;
  });
  const one = new GroupCommit<string, string>(
    store,
    { maxWaitMs: 1, maxBatch: 1, maxInFlight: 1 },
    async (_tx, item) => {
      if (item === 'hold') await heldOne;
      return item;
    },
  );
  const order: string[] = [];
  const a = one.submit('hold').then((v) => order.push(v));
  const b = one.submit('next').then((v) => order.push(v));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(order, [], 'nothing answered while the first batch is open');
  releaseOne();
  await Promise.all([a, b]);
  assert.deepEqual(order, ['hold', 'next']);
  await one.close();
});
