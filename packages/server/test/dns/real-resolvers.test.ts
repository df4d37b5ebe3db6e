/**
 * End to end on loopback with real recursive resolvers from Debian: unbound
 * (stub-zone) and dnsmasq (--server=/zone/…) on 127.0.0.2 forward the zone
 * delegated to the collector to its DNS listener, asking from 127.0.0.3 as
 * an office resolver asks from its public address. The real probe, pointed
 * at the resolver (`dnsServers`, like `--dns-server`), looks up its report's
 * own name; the collector records 127.0.0.3 against that report, the geo
 * table places 127.0.0.3 in Singapore, and the Berlin office gets the
 * distant-resolver insight naming the address and the distance.
 * Tenant isolation: another tenant that forges a sighting for the same
 * report id (from 127.0.0.9, with its own token's key) and uploads the same
 * report id gets only its own sighting, and the first tenant's is untouched.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { runProbe } from '@netinsights/probe';
import type { ProbeReport } from '@netinsights/protocol';
import { resolverKeyOfToken, resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import * as dnsPacket from 'dns-packet';
import { loadGeoTable } from '../../src/geo/geo-lookup.ts';
import { loadInsightsHook } from '../../src/insights-hook.ts';
import {
  RECURSIVE_RESOLVERS,
  RESOLVER_BINARY,
  type RecursiveResolver,
  startRecursiveResolver,
} from '../helpers/recursive-resolver.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';

const ZONE = 'probe.example.net';
const RESOLVER_OUT = '127.0.0.3';
const FORGER = '127.0.0.9';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab?.close());

for (const kind of RECURSIVE_RESOLVERS)
  describe(`the resolver behind ${kind} is recorded against the report`, {
    skip: RESOLVER_BINARY[kind] ? false : `${kind} is not installed (see .ci/run)`,
  }, () => {
    let f: Fixture;
    let T: SeededTenant;
    let U: SeededTenant;
    let recursive: RecursiveResolver;

    before(async () => {
      const geo = join(process.env.TMPDIR ?? '/tmp', `ni-resolver-geo-${process.pid}-${kind}.json`);
      writeFileSync(
        geo,
        JSON.stringify([
          {
            range: `${RESOLVER_OUT}/32`,
            city: 'Singapore',
            country: 'SG',
            latitude: 1.29,
            longitude: 103.85,
          },
        ]),
      );
      f = await startFixture(
        { dnsZone: ZONE, dnsHost: '127.0.0.1', dnsPort: 0, evaluateIntervalSeconds: 3600 },
        { insights: await loadInsightsHook(), geo: loadGeoTable(geo) },
      );
      T = await seedTenant(f, `Resolver ${kind} A`);
      U = await seedTenant(f, `Resolver ${kind} B`);
      const listener = f.app.netinsights.dns.listener!;
      recursive = await startRecursiveResolver({
        kind,
        listen: '127.0.0.2',
        outgoing: RESOLVER_OUT,
        zone: ZONE,
        upstream: { host: listener.host, port: listener.port },
      });
      const put = await f.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/insights',
        headers: { cookie: T.ownerCookie },
        payload: { windowHours: 1, minSamples: 1, minDevices: 1 },
      });
      assert.equal(put.statusCode, 200, put.body);
    });
    after(async () => {
      await recursive?.stop();
      await f?.close();
    });

    const upload = (report: ProbeReport, token: string) =>
      f.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(report),
      });

    it('records the resolver, keeps tenants apart, and raises distant-resolver with its address and distance', async () => {
      const report = await runProbe(
        lab.probeOptionsFor('healthy-direct', {
          resolve: lab.resolvePins(),
          dnsServers: [recursive.address],
          resolverZone: ZONE,
          resolverKey: resolverKeyOfToken(T.agentToken),
          officeId: T.officeId,
        }),
      );
      const check = report.results.find((r) => r.kind === 'resolver');
      assert.equal(check?.outcome.status, 'ok', JSON.stringify(check));
      // The listener answers with the address that asked: the resolver's, not the probe's.
      assert.deepEqual(check?.resolver, { method: 'zone', name: ZONE, address: RESOLVER_OUT });

      // Another tenant forges a sighting for this report id with its own token's key, from elsewhere.
      const forged = createSocket('udp4');
      await new Promise<void>((r) => forged.bind(0, FORGER, r));
      const label = resolverLabel(report.reportId, resolverKeyOfToken(U.agentToken));
      const listener = f.app.netinsights.dns.listener!;
      await new Promise<void>((r) =>
        forged.send(
          dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: `${label}.${ZONE}` }] }),
          listener.port,
          listener.host,
          () => r(),
        ),
      );
      forged.close();
      // The listener writes sightings in batches every 100 ms.
      await new Promise((r) => setTimeout(r, 400));

      assert.equal((await upload(report, T.agentToken)).statusCode, 202);
      assert.equal((await upload(report, U.agentToken)).statusCode, 202);
      const mine = await f.store.resolverSightings.forReport(T.tenantId, report.reportId);
      const theirs = await f.store.resolverSightings.forReport(U.tenantId, report.reportId);
      assert.equal(mine?.resolver, RESOLVER_OUT);
      assert.equal(theirs?.resolver, FORGER);
      assert.notEqual(mine?.label, theirs?.label);

      await f.app.netinsights.insights.evaluateAll(f.store, new Date());
      const insights = await f.app.netinsights.insights.listInsights(f.store, T.tenantId, {});
      const distant = insights.find((i) => i.kind === 'distant-resolver');
      assert.ok(distant, `insights: ${insights.map((i) => i.kind).join(', ')}`);
      const evidence = (distant as unknown as { evidence: { resolver?: Record<string, unknown> } }).evidence;
      assert.equal(evidence.resolver?.address, RESOLVER_OUT);
      assert.equal(evidence.resolver?.method, 'zone');
      assert.equal(evidence.resolver?.city, 'Singapore');
      // Berlin to Singapore is about 9,900 km.
      assert.ok(
        Math.abs(Number(evidence.resolver?.distanceKm) - 9_900) < 200,
        String(evidence.resolver?.distanceKm),
      );
    });
  });
