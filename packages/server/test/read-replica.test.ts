/**
 * `--db-read`: dashboard and API reads on a real streaming replica
 * (scripts/pg-cluster.sh: a primary and a `pg_basebackup -R` hot standby),
 * with read-your-writes for the caller who edited (http/read-your-writes.ts).
 * Replay on the standby is paused while an admin edits, so which server
 * answered each read is certain: the standby cannot show the edit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { defaultConfig, resolveConfig } from '../src/config/server-config.ts';
import { WRITTEN_COOKIE } from '../src/http/read-your-writes.ts';
import { noopInsights } from '../src/insights-hook.ts';
import { buildServer } from '../src/server.ts';
import { openStore } from '../src/store/index.ts';
import { type SeededTenant, seedTenant } from './helpers/server-fixture.ts';
import { type StreamingReplica, startStreamingReplica } from './store/streaming-replica.ts';

async function server(db: string, dbRead: string): Promise<FastifyInstance> {
  const app = await buildServer(defaultConfig({ db, dbRead, groupCommitMs: 1 }), {
    insights: noopInsights,
    logger: false,
  });
  await app.ready();
  return app;
}

async function officeNames(app: FastifyInstance, cookie: string): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/offices', headers: { cookie } });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: Array<{ name: string }> }).items.map((o) => o.name);
}

describe('read replica (--db-read)', () => {
  let cluster: StreamingReplica;
  let app: FastifyInstance;
  let other: FastifyInstance;
  let T: SeededTenant;

  before(async () => {
    cluster = startStreamingReplica();
    app = await server(cluster.primaryUrl, cluster.standbyUrl);
    other = await server(cluster.primaryUrl, cluster.standbyUrl);
    T = await seedTenant({ app, store: app.netinsights.store, dir: '', close: async () => {} }, 'Replica');
  });
  after(async () => {
    await app?.close();
    await other?.close();
    cluster?.stop();
  });

  test('an admin reads its own edit at once while everyone else reads the replica, which shows it once replayed', async () => {
    // The seeded office must be on the standby before replay stops.
    for (let i = 0; i < 100 && !(await officeNames(app, T.viewerCookie)).includes('Replica HQ'); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await officeNames(app, T.viewerCookie), ['Replica HQ']);
    await cluster.pauseReplay();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/offices',
      headers: { cookie: T.adminCookie },
      payload: {
        name: 'Replica Annex',
        city: 'Hamburg',
        country: 'DE',
        latitude: 53.55,
        longitude: 9.99,
        lanSubnets: ['10.250.0.0/16'],
        egressRanges: [],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const written = created.cookies.find((c) => c.name === WRITTEN_COOKIE);
    assert.match(written?.value ?? '', /^[0-9A-F]+\/[0-9A-F]+$/, 'the write answer carries its WAL position');
    const withPosition = `${T.adminCookie}; ${WRITTEN_COOKIE}=${written!.value}`;

    // The viewer did not write: the paused standby answers, without the new office.
    assert.deepEqual((await officeNames(app, T.viewerCookie)).sort(), ['Replica HQ']);
    // The admin's session is remembered by this server: the primary answers.
    assert.deepEqual((await officeNames(app, T.adminCookie)).sort(), ['Replica Annex', 'Replica HQ']);
    // Another server knows the admin's write only from the cookie.
    assert.deepEqual((await officeNames(other, T.adminCookie)).sort(), ['Replica HQ']);
    assert.deepEqual((await officeNames(other, withPosition)).sort(), ['Replica Annex', 'Replica HQ']);

    await cluster.resumeReplay();
    let seen: string[] = [];
    for (let i = 0; i < 200; i++) {
      seen = await officeNames(app, T.viewerCookie);
      if (seen.length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(
      seen.sort(),
      ['Replica Annex', 'Replica HQ'],
      'the standby replays the edit once resumed',
    );
    // Caught up: the cookie is cleared, and the admin is back on the replica.
    const res = await other.inject({
      method: 'GET',
      url: '/api/v1/offices',
      headers: { cookie: withPosition },
    });
    assert.equal(res.statusCode, 200);
    const cleared = res.cookies.find((c) => c.name === WRITTEN_COOKIE);
    assert.ok(cleared && cleared.value === '', 'the caught-up position cookie is cleared');
  });

  test('reads fall back to the primary when the replica is gone', async () => {
    cluster.stopStandby();
    assert.deepEqual((await officeNames(app, T.viewerCookie)).sort(), ['Replica Annex', 'Replica HQ']);
  });
});

const buildConfig = (flags: Record<string, string>) => resolveConfig({ flags });

describe('--db-read values that are refused', () => {
  test('the configuration names what is wrong', async () => {
    const pgUrl = 'postgres://postgres@127.0.0.1:5432/netinsights';
    assert.throws(
      () => buildConfig({ db: pgUrl, dbRead: 'mysql://db.example/x' }),
      /--db-read must be a postgres:\/\/… URL/,
    );
    assert.throws(() => buildConfig({ db: 'netinsights.db', dbRead: pgUrl }), /needs a PostgreSQL --db/);
    assert.throws(() => buildConfig({ db: pgUrl, dbRead: pgUrl }), /same URL as --db/);
    assert.throws(() => buildConfig({ db: pgUrl, dbRead: 'postgres://' }), /names no host|not a valid URL/);
  });

  test('a --db-read that is not a standby of --db stops the start', async (t) => {
    const cluster = startStreamingReplica();
    t.after(() => cluster.stop());
    // The primary itself under another URL: reachable, but not in recovery.
    const itself = `${cluster.primaryUrl}?application_name=not-a-replica`;
    await assert.rejects(openStore({ url: cluster.primaryUrl, readUrl: itself }), /is not a standby/);
    // A standby of another cluster: the system identifiers differ.
    const stranger = startStreamingReplica();
    t.after(() => stranger.stop());
    await assert.rejects(
      openStore({ url: cluster.primaryUrl, readUrl: stranger.standbyUrl }),
      /standby of another cluster/,
    );
    cluster.stopStandby();
    await assert.rejects(
      openStore({ url: cluster.primaryUrl, readUrl: cluster.standbyUrl }),
      /cannot reach the replica at 127\.0\.0\.1:\d+/,
    );
  });
});
