/**
 * @module scenarios.test
 * The acceptance test of issue 2: every lab scenario, run through the real
 * probe (`runProbe`) over real sockets, TLS and proxies, is classified as the
 * scenario expects — and the middlebox that defines the scenario was really
 * on the path. Each report also validates against the ProbeReport schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runProbe } from '@netinsights/probe';
import { compileValidator, ProbeReport } from '@netinsights/protocol';
import { compareVerdicts, type Lab, startLab } from '../src/index.ts';
import { LAB_WPAD_URL } from '../src/lab-machine.ts';
import { BLOCKED_DOMAIN, type LabParts } from '../src/scenarios/catalog.ts';

const reportSchema = compileValidator<ProbeReport>(ProbeReport, 'probe report');

/** Evidence, read from the middleboxes' own counters, that the scenario's box did its job. */
const BOX_EVIDENCE: Record<string, (p: LabParts) => [string, number]> = {
  'healthy-direct': (p) => ['front door TLS connections', p.frontDoor.stats.tlsConnections],
  'healthy-proxy': (p) => ['tunnels opened by the CONNECT proxy', p.proxy.stats.tunnels],
  intercepted: (p) => ['connections inspected by the Zscaler-named proxy', p.zscaler.stats.intercepted],
  'static-blocked': (p) => ['CONNECTs refused by the allow-list proxy', p.blocking.stats.refused],
  'dns-failure': (p) => ['queries failed by the broken resolver', p.brokenDns.stats.failed],
  'resolver-far': (p) => ['queries answered by the far resolver', p.farDns.stats.queries],
  'ws-refused': (p) => ['upgrades refused by the gateway', p.wsRefusing.broken()],
  'ws-reset': (p) => ['WebSocket tunnels killed by the proxy', p.wsResetting.broken()],
  'quic-blocked': (p) => ['datagrams dropped by the firewall', p.firewall.stats.dropped],
  'h2-downgraded': (p) => [
    'connections inspected by the FortiGate-named proxy',
    p.fortigate.stats.intercepted,
  ],
  'slow-path': (p) => ['tunnels opened by the proxy behind the slow link', p.proxy.stats.tunnels],
  'proxied-no-local-dns': (p) => ['tunnels opened by the CONNECT proxy', p.proxy.stats.tunnels],
  'impersonated-intermediate': (p) => [
    'connections inspected by the impostor proxy',
    p.impostor.stats.intercepted,
  ],
  'proxy-upstream-dns': (p) => ['queries failed by the broken resolver', p.brokenDns.stats.failed],
  'proxy-auth': (p) => ['CONNECTs answered 407 by the authenticating proxy', p.authProxy.stats.refused],
  'proxy-auth-basic': (p) => ['tunnels opened after Basic authentication', p.authProxy.stats.tunnels],
  'os-only-name': (p) => [
    'queries failed by the resolver the machine is configured with',
    p.brokenDns.stats.failed,
  ],
  wpad: (p) => ['PAC files served by the lab WPAD server', p.wpad.stats.served],
  'teams-blocked': (p) => ['datagrams dropped by the firewall', p.firewall.stats.dropped],
  'teams-degraded': (p) => ['datagrams dropped by the lossy link', p.teamsShaper.stats.dropped],
  'sets-intercepted': (p) => [
    'connections inspected by the proxy that inspects sets 46 and 64',
    p.zscalerSets.stats.intercepted,
  ],
  // The verdict itself checks that the workloads' connections landed on the distant address.
  'distant-front-door': (p) => [
    'queries answered by the resolver of the distant front door',
    p.distantDns.stats.queries,
  ],
  bufferbloat: (p) => [
    'bytes queued at most on the bloated uplink',
    p.bloatedUplink.stats.maxQueuedDownBytes,
  ],
};

describe('lab scenarios classified by the probe', () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(() => lab?.close());

  it('covers the scenarios of issues 2, 14, 15 and 16', () => {
    assert.deepEqual(lab.scenarios.map((s) => s.name).sort(), Object.keys(BOX_EVIDENCE).sort());
  });

  it('healthy-direct also passes with --resolve pins instead of the lab resolver', async () => {
    const queries = lab.parts.dns.stats.queries;
    const options = lab.probeOptionsFor('healthy-direct', { resolve: lab.resolvePins() });
    delete options.dnsServers;
    const report = await runProbe(options);
    const healthy = lab.scenarios.find((s) => s.name === 'healthy-direct')!;
    const { ok, lines } = compareVerdicts(healthy.expected, report);
    assert.ok(ok, JSON.stringify(lines, null, 2));
    assert.ok(report.results.filter((r) => r.kind === 'dns').every((r) => r.dns?.pinned === true));
    assert.equal(lab.parts.dns.stats.queries, queries, 'the lab resolver was not asked');
  });

  it('wpad: the report says the proxy came from the lab WPAD URL, and discovery stayed on the lab', async () => {
    const refused = lab.parts.wpad.stats.refusedOffLab;
    const report = await runProbe(lab.probeOptionsFor('wpad'));
    assert.equal(report.environment.proxy.mode, 'pac');
    assert.equal(report.environment.proxy.source, 'system');
    assert.equal(report.environment.proxy.origin, `WPAD (${LAB_WPAD_URL})`);
    assert.equal(lab.parts.wpad.stats.refusedOffLab, refused, 'no WPAD URL off the lab was asked for');
  });

  it('wpad on a network without the file: the next URL lies off the lab and is refused, never fetched; direct', async () => {
    const { served, refusedOffLab } = { ...lab.parts.wpad.stats };
    lab.parts.wpad.serving = false;
    try {
      const report = await runProbe(lab.probeOptionsFor('wpad'));
      assert.equal(report.environment.proxy.mode, 'direct');
      assert.match(
        report.environment.proxy.origin ?? '',
        /WPAD http:\/\/wpad\.lab\.netinsights\.test\/wpad\.dat: no PAC file/,
      );
      // Devolution's next candidate, wpad.netinsights.test, is not the lab's: refused by the seam.
      assert.equal(lab.parts.wpad.stats.refusedOffLab, refusedOffLab + 1);
      assert.equal(lab.parts.wpad.stats.served, served);
    } finally {
      lab.parts.wpad.serving = true;
    }
  });

  it('os-only-name: the DNS check says what the configured servers answer instead', async () => {
    const report = await runProbe(lab.probeOptionsFor('os-only-name'));
    const blocked = report.results.filter(
      (r) => r.kind === 'dns' && r.target.host.endsWith(`.${BLOCKED_DOMAIN}`),
    );
    assert.ok(blocked.length > 0, 'the run looked up *.static.microsoft hosts');
    for (const r of blocked) {
      assert.equal(r.dns?.osResolver, true, `${r.target.host} answered by the OS resolver`);
      assert.match(r.dns?.disagreement ?? '', /the OS resolves .* to 127\.0\.0\.1; .*NXDOMAIN/);
    }
  });

  for (const name of Object.keys(BOX_EVIDENCE)) {
    it(name, async () => {
      const scenario = lab.scenarios.find((s) => s.name === name);
      assert.ok(scenario, `scenario ${name} exists`);
      const evidence = BOX_EVIDENCE[name]!;
      const before = evidence(lab.parts)[1];
      const report = await runProbe(lab.probeOptionsFor(name));
      assert.deepEqual(reportSchema.issues(report), [], 'the report matches the ProbeReport v1 schema');
      const { ok, lines } = compareVerdicts(scenario.expected, report);
      const table = lines
        .map((l) => `${l.match ? '  ok ' : ' FAIL'} ${l.expected} → ${l.observed}`)
        .join('\n');
      assert.ok(ok, `${name}: expected vs observed\n${table}`);
      // Proxies on their own thread mirror their counters at most 20 ms late (threads/start-proxy-thread.ts).
      for (let i = 0; i < 25 && evidence(lab.parts)[1] <= before; i++)
        await new Promise((r) => setTimeout(r, 20));
      const [what, after] = evidence(lab.parts);
      assert.ok(
        after > before,
        `${name}: ${what} did not increase — the scenario's middlebox was not on the path`,
      );
    });
  }
});
