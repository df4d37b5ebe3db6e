/**
 * The store contract's core repositories, run against every selected dialect
 * (test/store/dialects.ts): tenant-keyed reads, idempotent report insert,
 * transactions that roll back whole, savepoints that roll back alone,
 * keyset pagination, retention, and migrations recorded once — plus the
 * check that both dialect folders carry the same repositories and the same
 * migration numbers and names.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';
import type { OfficeRow, ReportRow, Store } from '../../src/store/contract.ts';
import { dialectOf } from '../../src/store/open-store.ts';
import { storeFactory, testDialects } from './dialects.ts';

const storeDir = new URL('../../src/store/', import.meta.url);
const listing = (sub: string, suffix: string) =>
  readdirSync(new URL(sub, storeDir))
    .filter((f) => f.endsWith(suffix))
    .sort();

test('both dialects have the same repository files and the same migration numbers and names', () => {
  assert.deepEqual(listing('postgres/', '-repo.ts'), listing('sqlite/', '-repo.ts'));
  assert.deepEqual(listing('postgres/migrations/', '.sql'), listing('sqlite/migrations/', '.sql'));
});

test('neither dialect folder imports the other: what both need lives in store/shared/ or store/statements/', () => {
  const imports = (sub: string) =>
    readdirSync(new URL(sub, storeDir))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [
          ...readFileSync(new URL(`${sub}${f}`, storeDir), 'utf8').matchAll(
            /from\s+'([^']+)'|import\s+'([^']+)'/g,
          ),
        ].map((m) => `${sub}${f} -> ${m[1] ?? m[2]}`),
      );
  assert.deepEqual(
    imports('postgres/').filter((i) => /\/sqlite\//.test(i)),
    [],
  );
  assert.deepEqual(
    imports('sqlite/').filter((i) => /\/postgres\//.test(i)),
    [],
  );
  for (const below of ['shared/', 'statements/'])
    assert.deepEqual(
      imports(below).filter((i) => /\/(sqlite|postgres)\//.test(i)),
      [],
    );
});

test('the --db value picks the dialect', () => {
  assert.equal(dialectOf('postgres://u@127.0.0.1:5432/ni'), 'postgres');
  assert.equal(dialectOf('postgresql://u@db.example/ni?sslmode=require'), 'postgres');
  assert.equal(dialectOf('/var/lib/netinsights/ni.db'), 'sqlite');
  assert.equal(dialectOf('sqlite:ni.db'), 'sqlite');
});

const report = (tenantId: string, id: string, at: string, extra: Partial<ReportRow> = {}): ReportRow => ({
  tenantId,
  id,
  receivedAt: at,
  officeId: null,
  discoveredId: null,
  deviceId: 'd1',
  egressIp: '192.0.2.1',
  checks: 3,
  failures: 1,
  failureCodes: ['tls/intercepted'],
  body: '{"reportId":"x"}',
  ...extra,
});

const office = (tenantId: string, id: string, name: string): OfficeRow => ({
  tenantId,
  id,
  name,
  address: null,
  city: 'Lyon',
  country: 'FR',
  latitude: 45.76,
  longitude: 4.84,
  lanSubnets: ['10.1.0.0/16'],
  egressRanges: ['198.51.100.0/24'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function withTenants(s: Store, ...ids: string[]): Promise<void> {
  for (const id of ids) await s.tenants.create({ id, name: `Tenant ${id}`, createdAt: at(0) });
}

for (const dialect of testDialects()) {
  describe(`store core: ${dialect}`, () => {
    const stores = storeFactory(dialect);
    after(() => stores.cleanup());

    test('a report id is stored once per tenant, and tenants do not see each other', async () => {
      const s = await stores.open();
      await withTenants(s, 't1', 't2');
      assert.deepEqual(await s.reports.insert(report('t1', 'r1', at(1))), { inserted: true });
      assert.deepEqual(await s.reports.insert(report('t1', 'r1', at(2))), { inserted: false });
      assert.deepEqual(await s.reports.insert(report('t2', 'r1', at(3))), { inserted: true });
      assert.equal((await s.reports.list('t1', { limit: 10 })).items.length, 1);
      assert.equal((await s.reports.get('t1', 'r1'))?.receivedAt, at(1), 'the first copy is kept');
      assert.equal(await s.reports.get('t2', 'r2'), undefined);
      const meta = await s.reports.getMeta('t2', 'r1');
      assert.deepEqual(meta?.failureCodes, ['tls/intercepted']);
      assert.equal(meta?.checks, 3);
      assert.equal((await s.reports.get('t2', 'r1'))?.body, '{"reportId":"x"}');
    });

    test('a failing transaction leaves nothing; a failing savepoint rolls back alone', async () => {
      const s = await stores.open();
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.reports.insert(report('t1', 'a', at(0)));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await s.reports.get('t1', 'a'), undefined);
      const out = await s.transaction(async (tx) => {
        await tx.reports.insert(report('t1', 'b', at(0)));
        const failed = await tx
          .transaction(async (inner) => {
            await inner.reports.insert(report('t1', 'c', at(0)));
            throw new Error('inner');
          })
          .catch((e: Error) => e.message);
        // A statement error (duplicate primary key) in a savepoint also rolls back alone.
        const dup = await tx
          .transaction((inner) => inner.tenants.create({ id: 'same', name: 'x', createdAt: at(0) }))
          .then(() =>
            tx.transaction((inner) => inner.tenants.create({ id: 'same', name: 'y', createdAt: at(0) })),
          )
          .then(
            () => 'no error',
            () => 'rejected',
          );
        await tx.reports.insert(report('t1', 'd', at(0)));
        return { failed, dup };
      });
      assert.deepEqual(out, { failed: 'inner', dup: 'rejected' });
      assert.ok(await s.reports.get('t1', 'b'));
      assert.equal(await s.reports.get('t1', 'c'), undefined);
      assert.ok(await s.reports.get('t1', 'd'), 'the transaction goes on after a failed savepoint');
      assert.equal((await s.tenants.get('same'))?.name, 'x');
    });

    test('nothing written in a transaction is visible outside before it commits', async () => {
      const s = await stores.open();
      let outside: Promise<string | undefined> | undefined;
      await s.transaction(async (tx) => {
        await tx.reports.insert(report('t1', 'x', at(0)));
        assert.equal((await tx.reports.get('t1', 'x'))?.id, 'x', 'visible inside');
        // SQLite answers after COMMIT (one connection); PostgreSQL at once, from the last commit.
        outside = s.reports.get('t1', 'x').then((r) => r?.id);
        await new Promise((r) => setTimeout(r, 50));
      });
      const seen = await outside;
      assert.ok(dialect === 'sqlite' ? seen === 'x' : seen === undefined, `outside saw ${seen}`);
      assert.equal((await s.reports.get('t1', 'x'))?.id, 'x');
    });

    test('report pages walk every report once, newest first, per office when asked', async () => {
      const s = await stores.open();
      for (let i = 0; i < 25; i++)
        await s.reports.insert(
          report('t1', `r${String(i).padStart(2, '0')}`, at(i % 5), { officeId: i % 2 ? 'o1' : 'o2' }),
        );
      const walk = async (officeId?: string) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await s.reports.list('t1', {
            limit: 7,
            ...(cursor ? { cursor } : {}),
            ...(officeId ? { officeId } : {}),
          });
          seen.push(...page.items.map((r) => `${r.receivedAt}|${r.id}`));
          cursor = page.nextCursor;
        } while (cursor);
        return seen;
      };
      const all = await walk();
      assert.equal(new Set(all).size, 25);
      assert.deepEqual(all, [...all].sort().reverse());
      assert.equal((await walk('o1')).length, 12);
    });

    test('report lists filter by office, device, result and time, together and across pages', async () => {
      const s = await stores.open();
      await withTenants(s, 't1', 't2');
      for (let i = 0; i < 12; i++)
        await s.reports.insert(
          report('t1', `f${String(i).padStart(2, '0')}`, at(i), {
            officeId: i % 2 ? 'o1' : 'o2',
            deviceId: i % 3 ? 'laptop-a' : 'laptop-b',
            failures: i % 4 === 0 ? 0 : 2,
          }),
        );
      await s.reports.insert(report('t2', 'other', at(5), { officeId: 'o1', deviceId: 'laptop-a' }));
      const ids = async (f: Parameters<Store['reports']['list']>[1]) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await s.reports.list('t1', { ...f, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor);
        return seen;
      };
      assert.deepEqual(await ids({ limit: 2, deviceId: 'laptop-b' }), ['f09', 'f06', 'f03', 'f00']);
      assert.deepEqual(await ids({ limit: 2, result: 'passed' }), ['f08', 'f04', 'f00']);
      assert.equal((await ids({ limit: 5, result: 'failed' })).length, 9);
      assert.deepEqual(await ids({ limit: 2, since: at(3), until: at(6) }), ['f05', 'f04', 'f03']);
      assert.deepEqual(
        await ids({ limit: 2, officeId: 'o1', deviceId: 'laptop-a', result: 'failed', since: at(2) }),
        ['f11', 'f07', 'f05'],
      );
      assert.deepEqual(await ids({ limit: 2, officeId: 'o1', until: at(0) }), [], 'until is exclusive');
    });

    test('activity and counts are per tenant and per office; retention is bounded per call', async () => {
      const s = await stores.open();
      await s.reports.insert(report('t1', 'a', at(10), { officeId: 'o1', deviceId: 'd1' }));
      await s.reports.insert(report('t1', 'b', at(20), { officeId: 'o1', deviceId: 'd1' }));
      await s.reports.insert(report('t1', 'c', at(30), { officeId: 'o1', deviceId: 'd2' }));
      await s.reports.insert(report('t1', 'd', at(30), { discoveredId: 'x1', deviceId: 'd3' }));
      await s.reports.insert(report('t2', 'e', at(30), { officeId: 'o1', deviceId: 'd9' }));
      assert.deepEqual(await s.reports.activitySince('t1', at(15)), [
        { officeId: 'o1', reports: 2, devices: 2, lastReportAt: at(30) },
      ]);
      assert.deepEqual(await s.reports.countSince('t1', at(0)), { reports: 4, devices: 3 });
      assert.equal(await s.reports.reassignDiscovered('t1', 'x1', 'o2'), 1);
      assert.equal((await s.reports.getMeta('t1', 'd'))?.officeId, 'o2');
      assert.equal(await s.reports.purgeOlderThan(at(25), 1), 1);
      assert.equal(await s.reports.purgeOlderThan(at(25), 10), 1);
      assert.equal(await s.reports.purgeOlderThan(at(25), 10), 0);
      assert.equal((await s.reports.countSince('t1', at(0))).reports, 2);
    });

    test('users: e-mail is unique across tenants, reads are per tenant', async () => {
      const s = await stores.open();
      await withTenants(s, 't1', 't2');
      const u = {
        id: 'u1',
        email: 'a@example.com',
        passwordHash: 'h',
        role: 'owner' as const,
        createdAt: at(0),
      };
      await s.users.create({ tenantId: 't1', ...u });
      await assert.rejects(s.users.create({ tenantId: 't2', ...u, id: 'u2' }));
      assert.equal((await s.users.findByEmail('a@example.com'))?.tenantId, 't1');
      assert.equal(await s.users.get('t2', 'u1'), undefined);
      assert.equal((await s.users.list('t1')).length, 1);
      assert.equal(await s.users.count(), 1);
      assert.equal(await s.users.delete('t2', 'u1'), false);
      assert.equal(await s.users.delete('t1', 'u1'), true);
      assert.equal(await s.users.count(), 0);
    });

    test('users: the viewer role is stored (the role check once allowed owner and admin only)', async () => {
      const s = await stores.open();
      await withTenants(s, 't1');
      await s.users.create({
        tenantId: 't1',
        id: 'v1',
        email: 'v@example.com',
        passwordHash: 'h',
        role: 'viewer',
        createdAt: at(0),
      });
      assert.equal((await s.users.get('t1', 'v1'))?.role, 'viewer');
      await assert.rejects(
        s.users.create({
          tenantId: 't1',
          id: 'x1',
          email: 'x@example.com',
          passwordHash: 'h',
          role: 'root' as 'viewer',
          createdAt: at(0),
        }),
      );
    });

    test('sign-in: SSO settings round-trip, a domain routes to one tenant, a state is taken once', async () => {
      const s = await stores.open();
      await withTenants(s, 't1', 't2');
      const cfg = {
        tenantId: 't1',
        enabled: true,
        label: 'Contoso ID',
        slug: 'contoso',
        issuer: 'https://idp.example',
        clientId: 'c',
        clientSecret: 'secret',
        allowedDomains: ['contoso.example'],
        entraTenantId: null,
        roleClaim: 'roles',
        roleMap: { admins: 'admin' as const },
        defaultRole: 'viewer' as const,
        passwordsEnabled: false,
        updatedAt: at(0),
      };
      await s.signIn.putOidc(cfg);
      await s.signIn.putOidc({ ...cfg, label: 'Contoso SSO' });
      assert.deepEqual(await s.signIn.getOidc('t1'), { ...cfg, label: 'Contoso SSO' });
      assert.equal(await s.signIn.getOidc('t2'), undefined);
      assert.equal(await s.signIn.tenantOfSlug('contoso'), 't1');
      await s.signIn.addDomain('contoso.example', 't1');
      await assert.rejects(s.signIn.addDomain('contoso.example', 't2'));
      assert.equal(await s.signIn.tenantOfDomain('contoso.example'), 't1');
      await s.signIn.clearDomains('t1');
      assert.equal(await s.signIn.tenantOfDomain('contoso.example'), undefined);
      const st = {
        stateHash: 'h',
        tenantId: 't1',
        codeVerifier: 'v',
        nonce: 'n',
        redirectUri: 'https://ni.example/cb',
        createdAt: at(0),
        expiresAt: at(10),
      };
      await s.signIn.saveState(st);
      const [one, two] = await Promise.all([s.signIn.takeState('h'), s.signIn.takeState('h')]);
      assert.deepEqual([one, two].filter(Boolean), [st], 'taken exactly once');
      await s.signIn.saveState({ ...st, stateHash: 'old', expiresAt: at(1) });
      assert.equal(await s.signIn.purgeStates(at(5)), 1);
      await s.users.create({
        tenantId: 't1',
        id: 'u1',
        email: 'a@contoso.example',
        passwordHash: 'x',
        role: 'viewer',
        createdAt: at(0),
      });
      assert.equal(await s.signIn.setUserRole('t2', 'u1', 'owner'), false, 'tenant-first');
      assert.equal(await s.signIn.setUserRole('t1', 'u1', 'admin'), true);
      assert.equal((await s.users.get('t1', 'u1'))?.role, 'admin');
      assert.equal(await s.signIn.deleteOidc('t1'), true);
    });

    test('silences: in force on [start, end), by office, kind or tenant; ended early; tenant-first', async () => {
      const s = await stores.open();
      const base = {
        tenantId: 't1',
        officeId: null,
        kind: null,
        reason: 'r',
        createdBy: 'user:a',
        createdAt: at(0),
        suppressed: 0,
        lastSuppressedAt: null,
      };
      await s.silences.create({ ...base, id: 'o', officeId: 'o1', startsAt: at(10), endsAt: at(20) });
      await s.silences.create({ ...base, id: 'k', kind: 'quic-blocked', startsAt: at(30), endsAt: at(40) });
      assert.equal(await s.silences.covering('t1', 'o1', 'quic-blocked', at(10)), 'o');
      assert.equal(
        await s.silences.covering('t1', 'o1', 'quic-blocked', at(20)),
        undefined,
        'the end is exclusive',
      );
      assert.equal(await s.silences.covering('t1', 'o2', 'quic-blocked', at(15)), undefined);
      assert.equal(await s.silences.covering('t1', 'o2', 'quic-blocked', at(35)), 'k');
      assert.equal(await s.silences.covering('t1', 'o2', 'dns-failure', at(35)), undefined);
      assert.equal(await s.silences.covering('t2', 'o1', 'quic-blocked', at(15)), undefined);
      await s.silences.countSuppressed('t1', 'o', at(15));
      assert.equal((await s.silences.get('t1', 'o'))?.suppressed, 1);
      assert.equal(await s.silences.end('t2', 'k', at(35)), false, 'another tenant cannot end it');
      assert.equal(await s.silences.end('t1', 'k', at(35)), true);
      assert.equal((await s.silences.get('t1', 'k'))?.endsAt, at(35));
      assert.equal(await s.silences.end('t1', 'k', at(36)), false, 'already over');
      assert.deepEqual(
        (await s.silences.list('t1', at(25))).map((x) => x.id),
        ['k'],
      );
    });

    test('sessions and tokens: found by hash, revoked once, expired ones purged', async () => {
      const s = await stores.open();
      const base = { tenantId: 't1', userId: 'u1', createdAt: at(0) };
      await s.sessions.create({ ...base, id: 's1', tokenHash: 'h1', expiresAt: at(10) });
      await s.sessions.create({ ...base, id: 's2', tokenHash: 'h2', expiresAt: at(30) });
      assert.equal((await s.sessions.findByTokenHash('h2'))?.id, 's2');
      assert.equal(await s.sessions.purgeExpired(at(20)), 1);
      await s.sessions.deleteForUser('t1', 'u1');
      assert.equal(await s.sessions.findByTokenHash('h2'), undefined);

      const tok = { tenantId: 't1', name: 'n', createdAt: at(0), lastUsedAt: null, revokedAt: null };
      await s.agentTokens.create({ ...tok, id: 'a1', tokenHash: 'ah', officeId: 'o1' });
      await s.apiTokens.create({ ...tok, id: 'p1', tokenHash: 'ph', scope: 'read' });
      await s.agentTokens.touch('t1', 'a1', at(5));
      assert.equal((await s.agentTokens.findByTokenHash('ah'))?.lastUsedAt, at(5));
      assert.equal((await s.agentTokens.findByTokenHash('ah'))?.officeId, 'o1');
      assert.equal(await s.agentTokens.revoke('t2', 'a1', at(6)), false, 'another tenant cannot revoke it');
      assert.equal(await s.agentTokens.revoke('t1', 'a1', at(6)), true);
      assert.equal(await s.agentTokens.revoke('t1', 'a1', at(7)), false);
      assert.equal((await s.apiTokens.list('t1'))[0]?.scope, 'read');
      assert.equal(await s.apiTokens.revoke('t1', 'p1', at(6)), true);
      assert.equal((await s.apiTokens.findByTokenHash('ph'))?.revokedAt, at(6));
    });

    test('audit log pages newest first and keeps details as JSON', async () => {
      const s = await stores.open();
      for (let i = 0; i < 5; i++)
        await s.audit.append({
          tenantId: 't1',
          id: `a${i}`,
          at: at(i),
          actor: 'cli',
          action: 'office.create',
          target: `office:${i}`,
          details: { i, nested: [i] },
        });
      const p1 = await s.audit.list('t1', { limit: 3 });
      assert.deepEqual(
        p1.items.map((a) => a.id),
        ['a4', 'a3', 'a2'],
      );
      assert.deepEqual(p1.items[0]?.details, { i: 4, nested: [4] });
      const p2 = await s.audit.list('t1', { limit: 3, cursor: p1.nextCursor! });
      assert.deepEqual(
        p2.items.map((a) => a.id),
        ['a1', 'a0'],
      );
      assert.equal(p2.nextCursor, undefined);
      assert.equal((await s.audit.list('t2', { limit: 3 })).items.length, 0);
    });

    test('offices: create, list by name, update keeps createdAt, delete per tenant', async () => {
      const s = await stores.open();
      await s.offices.create(office('t1', 'o2', 'Zurich'));
      await s.offices.create(office('t1', 'o1', 'Amsterdam'));
      await s.offices.create(office('t2', 'o1', 'Other tenant'));
      assert.deepEqual(
        (await s.offices.list('t1')).map((o) => o.name),
        ['Amsterdam', 'Zurich'],
      );
      const changed = { ...office('t1', 'o1', 'Amsterdam HQ'), createdAt: at(99), updatedAt: at(5) };
      changed.lanSubnets = ['10.2.0.0/16', '10.3.0.0/16'];
      assert.equal(await s.offices.update(changed), true);
      const got = await s.offices.get('t1', 'o1');
      assert.equal(got?.name, 'Amsterdam HQ');
      assert.deepEqual(got?.lanSubnets, ['10.2.0.0/16', '10.3.0.0/16']);
      assert.equal(got?.createdAt, '2026-01-01T00:00:00.000Z');
      assert.equal(got?.latitude, 45.76);
      assert.equal((await s.offices.get('t2', 'o1'))?.name, 'Other tenant');
      assert.equal(await s.offices.delete('t1', 'o1'), true);
      assert.equal(await s.offices.delete('t1', 'o1'), false);
      assert.ok(await s.offices.get('t2', 'o1'));
    });

    test('discovered locations: one row per prefix, counted, adopted once', async () => {
      const s = await stores.open();
      const geo = { city: null, country: null, latitude: null, longitude: null };
      const first = await s.discovered.recordSeen('t1', '203.0.113.0/24', geo, at(1), 'd-new-1');
      const again = await s.discovered.recordSeen(
        't1',
        '203.0.113.0/24',
        { city: 'Oslo', country: 'NO', latitude: 59.9, longitude: 10.7 },
        at(5),
        'd-new-2',
      );
      const older = await s.discovered.recordSeen('t1', '203.0.113.0/24', geo, at(3), 'd-new-3');
      assert.equal(first.id, 'd-new-1');
      assert.equal(again.id, 'd-new-1');
      assert.equal(older.reports, 3);
      assert.equal(older.lastSeenAt, at(5), 'last seen never goes back');
      assert.equal(older.city, 'Oslo', 'a known city is not erased by an unknown one');
      // Ingest adds a commit's sightings of a prefix in one statement.
      const sightings = { reports: 4, firstAt: at(2), lastAt: at(7), geo };
      await s.discovered.countSeen('t1', '203.0.113.0/24', sightings, 'd-new-4');
      await s.discovered.countSeen('t3', '198.51.100.0/24', sightings, 'd-new-5');
      const counted = await s.discovered.findByPrefix('t1', '203.0.113.0/24');
      assert.equal(counted?.reports, 7);
      assert.equal(counted?.firstSeenAt, at(1));
      assert.equal(counted?.lastSeenAt, at(7));
      assert.equal(counted?.city, 'Oslo');
      const fresh = await s.discovered.findByPrefix('t3', '198.51.100.0/24');
      assert.deepEqual(
        [fresh?.id, fresh?.reports, fresh?.firstSeenAt, fresh?.lastSeenAt],
        ['d-new-5', 4, at(2), at(7)],
      );
      await s.reports.insert(report('t1', 'r1', at(1), { discoveredId: 'd-new-1', deviceId: 'a' }));
      await s.reports.insert(report('t1', 'r2', at(1), { discoveredId: 'd-new-1', deviceId: 'b' }));
      await s.reports.insert(report('t1', 'r3', at(1), { discoveredId: 'd-new-1', deviceId: 'a' }));
      assert.equal(await s.discovered.devices('t1', 'd-new-1'), 2);
      assert.equal((await s.discovered.findByPrefix('t2', '203.0.113.0/24')) ?? null, null);
      assert.equal((await s.discovered.listOpen('t1')).length, 1);
      assert.equal(await s.discovered.adopt('t1', 'd-new-1', 'o1'), true);
      assert.equal(await s.discovered.adopt('t1', 'd-new-1', 'o2'), false);
      assert.equal((await s.discovered.get('t1', 'd-new-1'))?.adoptedOfficeId, 'o1');
      assert.equal((await s.discovered.listOpen('t1')).length, 0);
    });

    test('settings and catalog versions are per tenant', async () => {
      const s = await stores.open();
      assert.equal(await s.settings.get('t1', 'insights'), undefined);
      await s.settings.put('t1', 'insights', { windowHours: 24 }, at(0));
      await s.settings.put('t1', 'insights', { windowHours: 12, kinds: {} }, at(1));
      assert.deepEqual(await s.settings.get('t1', 'insights'), { windowHours: 12, kinds: {} });
      assert.equal(await s.settings.get('t2', 'insights'), undefined);

      const v = snapshotCatalog();
      assert.equal(await s.catalog.putVersion('t1', v), true);
      assert.equal(await s.catalog.putVersion('t1', v), false);
      assert.equal(await s.catalog.currentId('t1'), undefined);
      await s.catalog.setCurrent('t1', v.id, at(2));
      assert.equal(await s.catalog.currentId('t1'), v.id);
      assert.equal(await s.catalog.currentId('t2'), undefined);
      const back = await s.catalog.getVersion('t1', v.id);
      assert.equal(back?.sets.length, v.sets.length);
      assert.deepEqual((await s.catalog.listVersions('t1'))[0]?.sets, v.sets.length);
      assert.equal(await s.catalog.getVersion('t2', v.id), undefined);
    });

    test('servers starting at once on an empty database apply each migration once', async () => {
      const a = await stores.openUnmigrated();
      const b = await stores.openSibling({ migrate: false });
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      const all = [...ra, ...rb].sort((x, y) => x - y);
      assert.ok(all.length > 0);
      assert.equal(new Set(all).size, all.length, 'no migration applied twice');
      assert.deepEqual(await a.migrate(), []);
      await b.tenants.create({ id: 'ok', name: 'schema complete', createdAt: at(0) });
      assert.equal((await a.tenants.get('ok'))?.name, 'schema complete');
    });

    test('migrate() again applies nothing; a second server on the same database migrates nothing', async () => {
      const s = await stores.open();
      assert.deepEqual(await s.migrate(), []);
      const sibling = await stores.openSibling();
      assert.deepEqual(await sibling.migrate(), []);
      await s.tenants.create({ id: 'seen', name: 'by both', createdAt: at(0) });
      assert.equal((await sibling.tenants.get('seen'))?.name, 'by both');
    });
  });
}
