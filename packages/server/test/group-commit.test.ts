/**
 * Group commit's batch step (ingest/group-commit.ts `prepareBatch`, which
 * PostgreSQL ingest uses for its one multi-row report insert): in the fast
 * path it runs once with every item and each item's work gets its result;
 * when an item fails, the batch is redone item by item without it, so work
 * done by the rolled-back batch step is never taken for stored. On a real
 * SQLite store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GroupCommit } from '../src/ingest/group-commit.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';

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
