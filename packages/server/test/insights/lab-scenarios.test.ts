/**
 * From the real probe to insights: every lab scenario is probed over real
 * sockets, TLS and proxies (the lab, on loopback), the report goes through
 * the engine on a real SQLite store, and the insights raised for that office
 * must be exactly the ones the scenario's network deserves — nothing for the
 * healthy ones. The slow path is compared with five healthy offices of three
 * other tenants in the same city (peer-performance). Settings ask for 1 sample from
 * 1 device, since each office sends one report here. Every PAC file a
 * raised insight links is evaluated with the probe's own PAC engine, per
 * affected and unaffected host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runProbe } from '@netinsights/probe';
import {
  compileValidator,
  type FrontDoorEvidence,
  type LatencyUnderLoadEvidence,
  ProbeReport,
  type TeamsMediaEvidence,
} from '@netinsights/protocol';
import { type Lab, startLab } from '../../../lab/src/index.ts';
import { DISTANT_FRONT_DOOR } from '../../../lab/src/scenarios/catalog.ts';
import { insightHosts } from '../../src/catalog/insight-hosts.ts';
import { generatePac } from '../../src/catalog/pac.ts';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';
import type { GeoLookup } from '../../src/geo/geo-lookup.ts';
import { SETTINGS_KEY } from '../../src/insights/engine.ts';
import type { InsightKind } from '../../src/insights/kinds.ts';
import { compilePac } from '../catalog/pac-engine.ts';
import { openTestStore, type TestStore } from './helpers/store.ts';

const validator = compileValidator<ProbeReport>(ProbeReport, 'probe report');

const EXPECTED: Record<string, InsightKind[]> = {
  'healthy-direct': [],
  'healthy-proxy': [],
  intercepted: ['tls-interception'],
  'static-blocked': ['critical-domain-https-failure'],
  'dns-failure': ['critical-domain-https-failure'],
  'ws-refused': ['websocket-failure'],
  'ws-reset': ['websocket-failure'],
  'quic-blocked': ['quic-blocked'],
  'h2-downgraded': ['protocol-downgrade', 'tls-interception'],
  'slow-path': ['peer-performance'],
  // Behind a proxy no client resolves or uses QUIC: neither a DNS nor a QUIC insight.
  'proxied-no-local-dns': [],
  'proxy-upstream-dns': ['critical-domain-https-failure'],
  'proxy-auth': ['critical-domain-https-failure', 'websocket-failure'],
  'proxy-auth-basic': [],
  // The applications reach every host through the OS resolver; the servers' NXDOMAIN is a DNS detail.
  'os-only-name': [],
  // The proxy found through WPAD tunnels everything.
  wpad: [],
  'impersonated-intermediate': ['tls-interception'],
  'teams-blocked': ['teams-media'],
  'teams-degraded': ['teams-media'],
  // The critical hosts pass: only the endpoint sweep sees the sets the proxy still inspects.
  'sets-intercepted': ['required-endpoints'],
  'distant-front-door': ['distant-front-door'],
  bufferbloat: ['latency-under-load'],
};

/** Offices compared with the five Lisbon offices of other tenants. */
const IN_LISBON = new Set(['slow-path', 'distant-front-door']);

/**
 * The geo source: the lab front door's own address is in Lisbon, its second,
 * distant address in Amsterdam (as a GeoIP database places a front door).
 */
const FRONT_DOOR_GEO: GeoLookup = {
  lookup: (ip) =>
    ip === DISTANT_FRONT_DOOR.address
      ? { city: 'Amsterdam', country: 'NL', latitude: 52.37, longitude: 4.9 }
      : ip === '127.0.0.1'
        ? { city: 'Lisbon', country: 'PT', latitude: 38.72, longitude: -9.14 }
        : null,
};

describe('lab scenarios → probe → engine → insights', { timeout: 240_000 }, () => {
  let lab: Lab;
  let ts: TestStore;
  const T = Date.parse('2026-11-23T09:00:00Z');
  const reports = new Map<string, ProbeReport>();

  before(async () => {
    lab = await startLab();
    ts = await openTestStore({ geo: FRONT_DOOR_GEO });
    for (const t of ['t1', 't2', 't3'])
      await ts.store.settings.put(
        t,
        SETTINGS_KEY,
        { minSamples: 1, minDevices: 1 },
        new Date(T).toISOString(),
      );
    // Probes run one after the other: the two cores are shared, and the verdicts do not depend on speed.
    for (const name of Object.keys(EXPECTED)) {
      const r = await runProbe(lab.probeOptionsFor(name, { deviceId: `lab-${name}` }));
      reports.set(name, validator.parse(r));
    }
    let minute = 0;
    for (const [name, r] of reports) {
      await ts.addOffice('t1', name, {
        name: `Office ${name}`,
        city: IN_LISBON.has(name) ? 'Lisbon' : name,
      });
      await ts.ingest('t1', name, r, T + ++minute * 60_000);
    }
    // Five offices of three other tenants in Lisbon, on healthy networks, are the slow office's peers.
    const healthy = reports.get('healthy-direct')!;
    for (const [tenant, key] of [
      ['t2', 'other-office-a'],
      ['t2', 'other-office-d'],
      ['t3', 'other-office-b'],
      ['t3', 'other-office-c'],
      ['t4', 'other-office-e'],
    ] as const) {
      await ts.addOffice(tenant, key, { city: 'Lisbon' });
      await ts.ingest(tenant, key, { ...healthy, reportId: crypto.randomUUID() }, T);
    }
    // First run publishes every office's medians; the slow office is compared on the run after. Both
    // run after the last report's minute (one minute per scenario: a report after the evaluation is
    // not in its window).
    const evaluateAt = T + (minute + 5) * 60_000;
    await ts.hook.evaluateAll(ts.store, new Date(evaluateAt));
    for (const office of IN_LISBON) await ts.store.insights.markDue('t1', office, new Date(T).toISOString());
    await ts.hook.evaluateAll(ts.store, new Date(evaluateAt + 60_000));
  });
  after(async () => {
    await ts?.close();
    await lab?.close();
  });

  for (const [name, kinds] of Object.entries(EXPECTED)) {
    it(`${name}: ${kinds.length ? kinds.join(' + ') : 'no insight'}`, async () => {
      const raised = await ts.hook.listInsights(ts.store, 't1', { officeId: name, status: 'active' });
      assert.deepEqual(
        raised.map((i) => i.kind).sort(),
        [...kinds].sort(),
        JSON.stringify(
          raised.map((i) => [i.kind, i.evidence]),
          null,
          1,
        ),
      );
    });
  }

  it('names the blocked domain and the failure class, and the interceptor vendors', async () => {
    const [blocked] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'static-blocked' });
    const e = blocked!.evidence as { affectedDomains: string[]; failureClasses: { code: string }[] };
    assert.deepEqual(e.affectedDomains, ['*.static.microsoft']);
    assert.equal(e.failureClasses[0]?.code, 'proxy/forbidden');
    const [dns] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'dns-failure' });
    assert.equal(
      (dns!.evidence as { failureClasses: { code: string }[] }).failureClasses[0]?.code,
      'dns/nxdomain',
    );

    const [zs] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'intercepted' });
    assert.equal((zs!.evidence as { vendor: string }).vendor, 'Zscaler');
    const fg = await ts.hook.listInsights(ts.store, 't1', {
      officeId: 'h2-downgraded',
      kind: 'tls-interception',
    });
    assert.equal((fg[0]!.evidence as { vendor: string }).vendor, 'Fortinet FortiGate');
    const ws = await ts.hook.listInsights(ts.store, 't1', { officeId: 'ws-reset' });
    assert.equal(
      (ws[0]!.evidence as { failureClasses: { code: string }[] }).failureClasses[0]?.code,
      'ws/reset-after-open',
    );
  });

  it('Teams media: the blocked office names UDP blocked with TCP fallback, the degraded one its loss and RTT', async () => {
    const [blocked] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'teams-blocked' });
    const b = (blocked!.evidence as { teamsMedia: TeamsMediaEvidence }).teamsMedia;
    assert.deepEqual([b.runs, b.udpBlocked, b.degraded], [1, 1, 0]);
    assert.deepEqual(b.tcpFallback, { runs: 1, ok: 1 });
    assert.ok(b.ports.length === 4 && b.ports.every((p) => p.answered === 0));
    const [degraded] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'teams-degraded' });
    const d = (degraded!.evidence as { teamsMedia: TeamsMediaEvidence }).teamsMedia;
    assert.deepEqual([d.runs, d.udpBlocked, d.degraded], [1, 0, 1]);
    assert.ok((d.lossPercent.median ?? 0) > 1, `loss ${d.lossPercent.median}`);
    assert.ok((d.rttMs.median ?? 0) > 100, `RTT ${d.rttMs.median}`);
    const links = (degraded as unknown as { actionLinks: { href: string }[] }).actionLinks;
    assert.match(links[0]?.href ?? '', /remediation\/firewall\?insight=/);
  });

  it('required endpoints: the sweep names exactly the intercepted catalog sets, the vendor and the bypass entries', async () => {
    const [found] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'sets-intercepted' });
    const e = found!.evidence as {
      vendor?: string;
      requiredEndpoints: {
        intercepted: number;
        unreachable: number;
        sets: { id: number; serviceArea: string }[];
      };
      affectedHosts: { host: string }[];
    };
    assert.equal(e.vendor, 'Zscaler');
    assert.deepEqual(e.requiredEndpoints.sets.map((s) => `${s.id} ${s.serviceArea}`).sort(), [
      '46 Common',
      '64 Common',
    ]);
    assert.equal(e.requiredEndpoints.unreachable, 0);
    assert.equal(e.requiredEndpoints.intercepted, e.affectedHosts.length);
    const links = (found as unknown as { actionLinks: { href: string }[] }).actionLinks.map((l) => l.href);
    assert.ok(
      links.some((h) => /remediation\/bypass-list\?insight=/.test(h)),
      links.join(' '),
    );
    // The linked bypass list (required Optimize and Allow entries covering the affected hosts) is
    // exactly the entries of sets 46 and 64.
    const bypass = links.find((h) => h.includes('bypass-list'))!;
    assert.match(bypass, /category=Optimize,Allow&requiredOnly=true/);
    const { select } = await import('../../src/catalog/select.ts');
    const picked = select(snapshotCatalog().sets, {
      hosts: insightHosts(found!),
      categories: ['Optimize', 'Allow'],
      requiredOnly: true,
    });
    assert.deepEqual(picked.uncovered, []);
    assert.deepEqual(
      picked.sets.map((s) => s.id).sort((a, b) => a - b),
      [46, 64],
    );
    assert.ok(picked.patterns.some((p) => p.pattern === '*.officeapps.live.com'));
  });

  it('bufferbloat: the insight quotes idle and loaded medians at least 100 ms apart and links the Teams media set', async () => {
    const [bloat] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'bufferbloat' });
    const l = (bloat!.evidence as { latencyUnderLoad: LatencyUnderLoadEvidence }).latencyUnderLoad;
    assert.deepEqual([l.runs, l.bloated, l.limitMs], [1, 1, 100]);
    assert.ok((l.loadedMs.median ?? 0) - (l.idleMs.median ?? 0) >= 100, JSON.stringify(l));
    const links = (bloat as unknown as { actionLinks: { href: string }[] }).actionLinks;
    assert.match(links[0]?.href ?? '', /remediation\/firewall\?insight=/);
  });

  it('the healthy peers of other tenants raised nothing, and the slow office shows only their aggregate', async () => {
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't2', {}), []);
    assert.deepEqual(await ts.hook.listInsights(ts.store, 't3', {}), []);
    const [slow] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'slow-path' });
    const peers = (slow!.evidence as { peers: { sampleOffices: number } }).peers;
    assert.equal(peers.sampleOffices, 5);
    assert.ok(!JSON.stringify(slow).includes('other-office'));
  });

  it('the distant front door: per workload, the address in use and the best nearby, with the gain in ms and only aggregates', async () => {
    const [far] = await ts.hook.listInsights(ts.store, 't1', { officeId: 'distant-front-door' });
    const doors = (far!.evidence as { frontDoors: FrontDoorEvidence[] }).frontDoors;
    assert.deepEqual(doors.map((d) => d.workload).sort(), [
      'Entra ID sign-in',
      'Exchange Online',
      'SharePoint and OneDrive',
      'Teams',
    ]);
    for (const d of doors) {
      assert.equal(d.worse, true, d.workload);
      assert.equal(d.inUse.address, DISTANT_FRONT_DOOR.address);
      assert.equal(d.inUse.city, 'Amsterdam');
      assert.equal(d.best.address, '127.0.0.1');
      assert.equal(d.best.offices, 5);
      // The best figure is a rounded aggregate (5 ms steps), never one office's own value.
      assert.equal(d.best.medianMs % 5, 0);
      assert.ok((d.inUse.distanceKm ?? 0) > 1500 && (d.best.distanceKm ?? 1) === 0);
    }
    // The distant address adds two 75 ms legs to the handshake's round trip, but here each office has
    // one probe run, on a machine the rest of the test suite keeps busy: one handshake each way can
    // swap (seen in CI), so this test holds every workload to the distance and to a gain that is a
    // whole, non-negative number of ms; the end-to-end test, with four runs per office and medians,
    // holds each to ≥ 50 ms.
    for (const d of doors)
      assert.ok(
        Number.isInteger(d.potentialGainMs) && d.potentialGainMs >= 0,
        `${d.workload}: ${d.potentialGainMs}`,
      );
    assert.ok(!JSON.stringify(far).includes('other-office'));
    // The slow path goes through a proxy: its connections say nothing about front doors.
    assert.deepEqual(
      (await ts.hook.listInsights(ts.store, 't1', { officeId: 'slow-path', kind: 'distant-front-door' }))
        .length,
      0,
    );
  });

  it('every PAC file an insight links sends its affected hosts direct and everything else to the organisation’s proxy', async () => {
    const fallback = 'PROXY proxy.contoso.example:3128';
    const catalog = snapshotCatalog();
    let checked = 0;
    for (const name of Object.keys(EXPECTED)) {
      for (const insight of await ts.hook.listInsights(ts.store, 't1', {
        officeId: name,
        status: 'active',
      })) {
        if (!(insight.actionLinks as { href: string }[]).some((l) => l.href.includes('/remediation/pac')))
          continue;
        const hosts = insightHosts(insight);
        // The route's rule: an insight naming no hosts (the path as a whole) gets the type 1 file.
        const pac = await compilePac(
          generatePac(catalog, { proxy: fallback, ...(hosts.length ? { hosts } : { type: 1 }) }),
        );
        for (const host of hosts) assert.equal(await pac(host), 'DIRECT', `${name} ${insight.kind}: ${host}`);
        for (const other of ['example.org', 'intranet.contoso.example'])
          assert.equal(await pac(other), fallback, `${name} ${insight.kind}: ${other}`);
        checked++;
      }
    }
    assert.ok(checked >= 4, `PAC files checked: ${checked}`);
  });
});
