/**
 * Store `beforeCommit` on every selected dialect: callbacks run once, in
 * order, inside the transaction just before COMMIT (what they write commits
 * with it, or not at all); those registered in a savepoint that rolls back
 * are dropped; one that throws rolls the whole transaction back; callbacks
 * of one commit share its scratch map and the next commit starts empty.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Store } from '../../src/store/contract.ts';
import { storeFactory, testDialects } from './dialects.ts';

const AT = '2026-11-23T08:00:00.000Z';

for (const dialect of testDialects()) {
  describe(`store beforeCommit: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());

    const tenant = (store: Store, id: string) => store.tenants.create({ id, name: id, createdAt: AT });

    test('runs once before COMMIT, in registration order, inside the transaction', async () => {
      const store = await stores.open();
      const order: string[] = [];
      await store.transaction(async (tx) => {
        tx.beforeCommit(async () => {
          order.push('first');
          // Written by the callback: part of the same transaction.
          await tenant(tx, 't-late');
        });
        tx.beforeCommit(() => {
          order.push('second');
          // Registered while the callbacks run: runs after the ones already queued.
          tx.beforeCommit(() => {
            order.push('added while running');
          });
        });
        order.push('body');
      });
      assert.deepEqual(order, ['body', 'first', 'second', 'added while running']);
      assert.equal((await store.tenants.get('t-late'))?.name, 't-late');
    });

    test('a callback that throws rolls the whole transaction back', async () => {
      const store = await stores.open();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tenant(tx, 't-body');
          tx.beforeCommit(async () => {
            await tenant(tx, 't-callback');
            throw new Error('flush failed (simulated)');
          });
        }),
        /flush failed/,
      );
      assert.equal(await store.tenants.get('t-body'), undefined);
      assert.equal(await store.tenants.get('t-callback'), undefined);
    });

    test('callbacks of a rolled-back savepoint are dropped; the others run', async () => {
      const store = await stores.open();
      const ran: string[] = [];
      await store.transaction(async (tx) => {
        tx.beforeCommit(() => {
          ran.push('outer');
        });
        await assert.rejects(
          tx.transaction(async (sp) => {
            sp.beforeCommit(() => {
              ran.push('rolled back');
            });
            throw new Error('item failed (simulated)');
          }),
        );
        await tx.transaction(async (sp) => {
          sp.beforeCommit(() => {
            ran.push('kept');
          });
        });
      });
      assert.deepEqual(ran, ['outer', 'kept']);
    });

    test('a rolled-back transaction runs none, and the next transaction starts with an empty queue', async () => {
      const store = await stores.open();
      const ran: string[] = [];
      await assert.rejects(
        store.transaction(async (tx) => {
          tx.beforeCommit(() => {
            ran.push('lost');
          });
          throw new Error('rolled back (simulated)');
        }),
      );
      await store.transaction(async (tx) => {
        tx.beforeCommit(() => {
          ran.push('next');
        });
      });
      assert.deepEqual(ran, ['next']);
    });

    test('callbacks of one commit share its scratch map; the next commit gets a fresh one', async () => {
      const store = await stores.open();
      const seen: number[] = [];
      const key = Symbol('counter');
      for (let round = 0; round < 2; round++) {
        await store.transaction(async (tx) => {
          for (let i = 0; i < 3; i++)
            tx.beforeCommit((scratch) => {
              const n = ((scratch.get(key) as number | undefined) ?? 0) + 1;
              scratch.set(key, n);
              seen.push(n);
            });
        });
      }
      assert.deepEqual(seen, [1, 2, 3, 1, 2, 3]);
    });

    test('outside a transaction it refuses', async () => {
      const store = await stores.open();
      assert.throws(() => store.beforeCommit(() => {}), /only available inside a transaction/);
    });
  });
}
