/**
 * The PostgreSQL store behind a real PgBouncer in transaction mode with few
 * server connections (test/store/pgbouncer.ts): with `pooler=transaction`
 * on the URL it migrates and serves concurrent reads and writes; without it,
 * the named prepared statements of one client reach server connections that
 * other clients prepared them on, and PgBouncer (Debian's 1.18, before
 * 1.21's prepared statement tracking) lets PostgreSQL refuse them — which
 * shows the test really shares server connections. The two-server SIGKILL
 * test also runs through PgBouncer (test/store/two-servers.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { type TestDatabase, testDatabase, testDialects } from './dialects.ts';
import { type Bouncer, havePgBouncer, startPgBouncer } from './pgbouncer.ts';

const skip = !testDialects().includes('postgres')
  ? 'PostgreSQL not selected'
  : !havePgBouncer()
    ? 'pgbouncer not installed (apt-get install pgbouncer)'
    : false;

describe('the PostgreSQL store through PgBouncer in transaction mode', { skip }, () => {
  let database: TestDatabase;
  let bouncer: Bouncer;
  before(async () => {
    database = await testDatabase('postgres');
    bouncer = await startPgBouncer(database.url);
  });
  after(async () => {
    await bouncer?.stop();
    await database?.drop();
  });

  /** Migrates, then 80 concurrent writes and 80 concurrent reads from an 8-connection pool. */
  const workload = async (url: string, tag: string) => {
    const s = await openStore({ url, poolSize: 8 });
    try {
      await s.migrate();
      const ids = Array.from({ length: 80 }, (_, i) => `${tag}-${i}`);
      await Promise.all(
        ids.map((id) => s.tenants.create({ id, name: id, createdAt: '2026-12-04T00:00:00.000Z' })),
      );
      const got = await Promise.all(ids.map((id) => s.tenants.get(id)));
      return got.map((t) => t?.id);
    } finally {
      await s.close();
    }
  };

  test('with pooler=transaction every statement works across shared server connections', async () => {
    const ids = await workload(bouncer.via(database.url), 'unnamed');
    assert.deepEqual(
      ids,
      Array.from({ length: 80 }, (_, i) => `unnamed-${i}`),
    );
  });

  test('without it, named prepared statements break: the route really shares server connections', async () => {
    const url = bouncer.via(database.url).replace(/[?&]pooler=transaction/, '');
    await assert.rejects(
      workload(url, 'named'),
      /prepared statement "ni_[0-9a-f]+" (already exists|does not exist)/,
    );
  });

  test('an unknown pooler value is refused with a clear error', async () => {
    await assert.rejects(
      openStore({ url: `${database.url}?pooler=session` }),
      /--db: pooler=session is not known/,
    );
  });
});
