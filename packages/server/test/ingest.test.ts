/**
 * POST /api/v1/reports: every error class gets its precise status and code,
 * nothing already stored is lost or altered by bad uploads, a report id is
 * stored once however often (and however concurrently) it is sent, and
 * reports map to offices in the documented order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { noopInsights } from '../src/insights-hook.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

let f: Fixture;
let T: SeededTenant;
const stored: string[] = [];

const upload = (payload: string | Buffer, headers: Record<string, string> = {}, token?: string) =>
  f.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: {
      authorization: `Bearer ${token ?? T.agentToken}`,
      'content-type': 'application/json',
      ...headers,
    },
    payload,
  });

/** Every report stored so far, with its exact body: must never change. */
async function storedState(): Promise<string> {
  const rows = await Promise.all(stored.map((id) => f.store.reports.get(T.tenantId, id)));
  return JSON.stringify(rows.map((r) => r && { id: r.id, body: r.body, officeId: r.officeId }));
}

before(async () => {
  f = await startFixture({ maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024, maxJsonDepth: 32 });
  T = await seedTenant(f, 'Ingest');
  for (let i = 0; i < 3; i++) {
    const r = sampleReport();
    const res = await upload(JSON.stringify(r));
    assert.equal(res.statusCode, 202, res.body);
    stored.push(r.reportId);
  }
});
after(() => f.close());

describe('ingest errors', () => {
  const cases: Array<[string, () => Promise<import('light-my-request').Response>, number, string, RegExp?]> =
    [
      ['garbage JSON', () => upload('{"schema": nope'), 400, 'NI_ERR_BODY_UNPARSEABLE', /not valid JSON/],
      ['empty body', () => upload(''), 400, 'NI_ERR_BODY_UNPARSEABLE'],
      [
        'deep nesting',
        () => upload(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
        413,
        'NI_ERR_BODY_TOO_LARGE',
        /nested deeper than 32/,
      ],
      [
        'huge body',
        () => upload(JSON.stringify({ pad: 'x'.repeat(300 * 1024) })),
        413,
        'NI_ERR_BODY_TOO_LARGE',
      ],
      [
        'text/plain',
        () => upload(JSON.stringify(sampleReport()), { 'content-type': 'text/plain' }),
        415,
        'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'form-encoded',
        () => upload('a=b', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'brotli encoding',
        () => upload(JSON.stringify(sampleReport()), { 'content-encoding': 'br' }),
        415,
        'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
        /br/,
      ],
      [
        'gzip bomb',
        // 64 MiB of zeros compress to ~64 KiB: under the 256 KiB upload cap, far over the 1 MiB decompressed cap.
        () => upload(gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }),
        413,
        'NI_ERR_BODY_TOO_LARGE',
        /decompresses to more than/,
      ],
      [
        'corrupt gzip',
        () => upload(Buffer.from('this is not gzip at all'), { 'content-encoding': 'gzip' }),
        400,
        'NI_ERR_BODY_UNPARSEABLE',
        /decompress/,
      ],
      [
        'schema violation',
        () => {
          const r = sampleReport() as unknown as { results: Array<{ kind: string }> };
          r.results[3]!.kind = 'carrier-pigeon';
          return upload(JSON.stringify(r));
        },
        422,
        'NI_ERR_SCHEMA',
        /\/results\/3\/kind/,
      ],
      ['not a report', () => upload('[1,2,3]'), 422, 'NI_ERR_SCHEMA'],
      [
        'no token',
        () => f.app.inject({ method: 'POST', url: '/api/v1/reports', payload: sampleReport() }),
        401,
        'NI_ERR_UNAUTHENTICATED',
      ],
      [
        'unknown token',
        () => upload(JSON.stringify(sampleReport()), {}, 'nia_not-a-real-token'),
        401,
        'NI_ERR_UNAUTHENTICATED',
      ],
      [
        'malformed Authorization',
        () => upload(JSON.stringify(sampleReport()), { authorization: 'Basic Zm9vOmJhcg==' }),
        401,
        'NI_ERR_UNAUTHENTICATED',
      ],
      ['API token', () => upload(JSON.stringify(sampleReport()), {}, T.writeToken), 403, 'NI_ERR_FORBIDDEN'],
      [
        'session cookie',
        () =>
          f.app.inject({
            method: 'POST',
            url: '/api/v1/reports',
            headers: { cookie: T.ownerCookie },
            payload: sampleReport(),
          }),
        403,
        'NI_ERR_FORBIDDEN',
      ],
    ];

  for (const [name, send, status, code, message] of cases) {
    test(`${name} → ${status} ${code}, and stored reports are untouched`, async () => {
      const before = await storedState();
      const res = await send();
      assert.equal(res.statusCode, status, res.body);
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, code);
      if (message) assert.match(body.error.message, message);
      assert.equal(await storedState(), before);
      assert.equal((await f.store.reports.list(T.tenantId, { limit: 200 })).items.length, stored.length);
    });
  }

  test('a chunked body without Content-Length is capped too (real socket)', async () => {
    const address = await f.app.listen({ host: '127.0.0.1', port: 0 });
    const url = new URL('/api/v1/reports', address);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${T.agentToken}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // 640 KiB in 16 KiB chunks, more than the 256 KiB cap; stop writing once answered.
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent++;
          if (!req.write(Buffer.alloc(16 * 1024, 0x20))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);
    assert.equal((await f.store.reports.list(T.tenantId, { limit: 200 })).items.length, stored.length);
  });
});

describe('ingest success', () => {
  test('gzip and deflate bodies are accepted and stored as sent', async () => {
    for (const [enc, pack] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ] as const) {
      const r = sampleReport();
      const text = JSON.stringify(r);
      const res = await upload(pack(Buffer.from(text)), { 'content-encoding': enc });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal((await f.store.reports.get(T.tenantId, r.reportId))?.body, text);
      stored.push(r.reportId);
    }
  });

  test('the same report id sent 10 times at once is stored once, and every answer acknowledges it', async () => {
    const r = sampleReport();
    const answers = await Promise.all(Array.from({ length: 10 }, () => upload(JSON.stringify(r))));
    assert.ok(answers.every((a) => a.statusCode === 202));
    const dup = answers.map((a) => a.json().duplicate as boolean);
    assert.equal(dup.filter((d) => !d).length, 1);
    assert.equal(dup.filter((d) => d).length, 9);
    const page = await f.store.reports.list(T.tenantId, { limit: 200 });
    assert.equal(page.items.filter((i) => i.id === r.reportId).length, 1);
    stored.push(r.reportId);
  });

  test('a resent id with a different body keeps the first body', async () => {
    const r = sampleReport();
    await upload(JSON.stringify(r));
    const changed = { ...r, probe: { ...r.probe, version: '9.9.9' } };
    const res = await upload(JSON.stringify(changed));
    assert.equal(res.json().duplicate, true);
    assert.equal(
      JSON.parse((await f.store.reports.get(T.tenantId, r.reportId))!.body).probe.version,
      '0.1.0',
    );
    stored.push(r.reportId);
  });

  test('the answer carries the egress IP and the report counts its failures', async () => {
    const r = sampleReport({ failShare: 0.2 });
    const res = await upload(JSON.stringify(r));
    assert.equal(res.json().egressIp, '127.0.0.1');
    const meta = await f.store.reports.getMeta(T.tenantId, r.reportId);
    assert.equal(meta?.checks, 25);
    assert.equal(meta?.failures, 5);
    assert.deepEqual(meta?.failureCodes, ['proxy/forbidden']);
  });
});

describe('rate limiting', () => {
  test('beyond the burst, uploads get 429 with Retry-After and are not stored', async () => {
    const g = await startFixture({ ingestBurst: 2, ingestRatePerSecond: 0.01 });
    try {
      const t = await seedTenant(g, 'Limited');
      const send = (r = sampleReport()) =>
        g.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${t.agentToken}` },
          payload: r,
        });
      assert.equal((await send()).statusCode, 202);
      assert.equal((await send()).statusCode, 202);
      const r = sampleReport();
      const res = await send(r);
      assert.equal(res.statusCode, 429);
      assert.equal(res.json().error.code, 'NI_ERR_RATE_LIMITED');
      assert.ok(Number(res.headers['retry-after']) >= 1);
      assert.equal(await g.store.reports.get(t.tenantId, r.reportId), undefined);
    } finally {
      await g.close();
    }
  });
});

describe('office mapping', () => {
  test('token office, then probe office, then LAN subnet, then egress range, else a discovered location by GeoIP city', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ni-geo-'));
    const table = join(dir, 'geo.json');
    writeFileSync(
      table,
      JSON.stringify([
        { range: '198.51.100.0/24', city: 'Lyon', country: 'FR', latitude: 45.76, longitude: 4.84 },
      ]),
    );
    const g = await startFixture({ trustedProxies: ['127.0.0.1'], geoTable: table }, { geo: undefined });
    try {
      const t = await seedTenant(g, 'Mapping');
      const owner = { cookie: t.ownerCookie };
      const mk = async (name: string, lan: string[], egress: string[]) => {
        const res = await g.app.inject({
          method: 'POST',
          url: '/api/v1/offices',
          headers: owner,
          payload: {
            name,
            city: 'Paris',
            country: 'FR',
            latitude: 48.8,
            longitude: 2.3,
            lanSubnets: lan,
            egressRanges: egress,
          },
        });
        assert.equal(res.statusCode, 201, res.body);
        return res.json().id as string;
      };
      const lanOffice = await mk('LAN office', ['172.20.0.0/16'], []);
      const egressOffice = await mk('Egress office', [], ['203.0.113.0/24', '2001:db8:77::/48']);
      const tok = await g.app.inject({
        method: 'POST',
        url: '/api/v1/agent-tokens',
        headers: owner,
        payload: { name: 'bound', officeId: egressOffice },
      });
      const bound = tok.json().token as string;
      const send = (token: string, r: ReturnType<typeof sampleReport>, xff?: string) =>
        g.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${token}`, ...(xff ? { 'x-forwarded-for': xff } : {}) },
          payload: r,
        });
      // 1. token office wins over everything
      let res = await send(bound, sampleReport({ localAddress: '172.20.1.1', officeId: lanOffice }));
      assert.equal(res.json().officeId, egressOffice);
      // 2. probe-named office wins over LAN and egress
      res = await send(
        t.agentToken,
        sampleReport({ localAddress: '172.20.1.1', officeId: t.officeId }),
        '203.0.113.9',
      );
      assert.equal(res.json().officeId, t.officeId);
      // 3. LAN subnet wins over egress
      res = await send(t.agentToken, sampleReport({ localAddress: '172.20.1.1' }), '203.0.113.9');
      assert.equal(res.json().officeId, lanOffice);
      // 4. egress range (IPv4 and IPv6), egress seen through the trusted proxy
      res = await send(t.agentToken, sampleReport(), '203.0.113.9');
      assert.deepEqual([res.json().officeId, res.json().egressIp], [egressOffice, '203.0.113.9']);
      res = await send(t.agentToken, sampleReport(), '2001:db8:77:1::5');
      assert.equal(res.json().officeId, egressOffice);
      // 5. unmapped: discovered by the geo table's city (remote workers), not per /24
      res = await send(t.agentToken, sampleReport({ deviceId: 'a' }), '198.51.100.7');
      assert.equal(res.json().officeId, null);
      res = await send(t.agentToken, sampleReport({ deviceId: 'b' }), '198.51.100.200');
      const disc = (await g.app.inject({ method: 'GET', url: '/api/v1/discovered', headers: owner })).json()
        .items as Array<Record<string, unknown>>;
      const lyon = disc.find((d) => d.egressPrefix === 'city:FR/Lyon')!;
      assert.equal(lyon.label, 'Remote workers in Lyon, FR');
      assert.deepEqual([lyon.city, lyon.country, lyon.reports, lyon.devices], ['Lyon', 'FR', 2, 2]);
      // Adoption: earlier reports move to the new office, later ones map to it.
      const adopt = await g.app.inject({
        method: 'POST',
        url: `/api/v1/discovered/${lyon.id}/adopt`,
        headers: owner,
        payload: {
          name: 'Lyon',
          city: 'Lyon',
          country: 'FR',
          latitude: 45.76,
          longitude: 4.84,
          lanSubnets: [],
          egressRanges: [],
        },
      });
      assert.equal(adopt.statusCode, 201, adopt.body);
      const lyonOffice = adopt.json().id as string;
      res = await send(t.agentToken, sampleReport(), '198.51.100.50');
      assert.equal(res.json().officeId, lyonOffice);
      const list = (
        await g.app.inject({ method: 'GET', url: `/api/v1/reports?office=${lyonOffice}`, headers: owner })
      ).json();
      assert.equal(list.items.length, 3);
      const after = (await g.app.inject({ method: 'GET', url: '/api/v1/discovered', headers: owner })).json()
        .items as Array<{ id: string }>;
      assert.ok(!after.some((d) => d.id === lyon.id), 'an adopted location is no longer listed');
    } finally {
      await g.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('X-Forwarded-For is ignored unless the peer is a trusted proxy', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${T.agentToken}`, 'x-forwarded-for': '203.0.113.50' },
      payload: sampleReport(),
    });
    assert.equal(res.json().egressIp, '127.0.0.1');
  });
});

describe('group commit', () => {
  test('a report whose insight update fails is refused alone; the rest of its batch is stored and counted', async () => {
    const poison = sampleReport();
    const g = await startFixture(
      { groupCommitMs: 20 },
      {
        insights: {
          ...noopInsights,
          async onReportStored(_tx, e) {
            if (e.report?.reportId === poison.reportId) throw new Error('rollup write failed');
          },
        },
      },
    );
    try {
      const t = await seedTenant(g, 'Batch');
      const good = Array.from({ length: 6 }, () => sampleReport());
      const send = (r: ReturnType<typeof sampleReport>) =>
        g.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${t.agentToken}` },
          payload: r,
        });
      // Sent together, so they share one batch (20 ms window).
      const answers = await Promise.all([...good.slice(0, 3), poison, ...good.slice(3)].map(send));
      const byId = new Map(
        answers.map((a, i) => [[...good.slice(0, 3), poison, ...good.slice(3)][i]!.reportId, a]),
      );
      assert.equal(byId.get(poison.reportId)!.statusCode, 500);
      assert.equal(byId.get(poison.reportId)!.json().error.code, 'NI_ERR_INTERNAL');
      for (const r of good) {
        assert.equal(byId.get(r.reportId)!.statusCode, 202);
        assert.ok(await g.store.reports.get(t.tenantId, r.reportId), 'stored');
      }
      assert.equal(
        await g.store.reports.get(t.tenantId, poison.reportId),
        undefined,
        'the failed report left nothing',
      );
      // The batch's discovered location was counted once per stored report, the failed one not at all.
      const seen = await g.store.discovered.findByPrefix(t.tenantId, '127.0.0.0/24');
      assert.equal(seen?.reports, good.length);
      const times = await Promise.all(
        good.map(async (r) => (await g.store.reports.getMeta(t.tenantId, r.reportId))!.receivedAt),
      );
      assert.equal(seen?.firstSeenAt, times.sort()[0]);
      assert.equal(seen?.lastSeenAt, times.at(-1));
      await send(sampleReport());
      assert.equal(
        (await g.store.discovered.findByPrefix(t.tenantId, '127.0.0.0/24'))?.reports,
        good.length + 1,
      );
    } finally {
      await g.close();
    }
  });
});
