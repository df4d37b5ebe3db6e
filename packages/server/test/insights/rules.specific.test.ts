/**
 * Kind-specific behaviour the shared suite cannot express: per-domain and
 * per-class evidence, vendor naming, peer privacy, distances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ok } from '@netinsights/protocol';
import { haversineKm } from '../../src/insights/geo.ts';
import { type ObserveInput, observe } from '../../src/insights/observation.ts';
import { addObservation, emptyRollup, type Rollup } from '../../src/insights/rollup.ts';
import type { DescribeContext, OfficeInfo, PeerStats, RuleInput } from '../../src/insights/rules/contract.ts';
import { RULES } from '../../src/insights/rules/index.ts';
import { DEFAULT_INSIGHT_SETTINGS, parseInsightSettings } from '../../src/insights/settings.ts';
import {
  criticalRound,
  failure,
  https,
  interceptedTls,
  latency,
  report,
  throughput,
  websocket,
  workloadDoor,
} from './helpers/reports.ts';
import { LISBON } from './helpers/rule-fixtures.ts';

const AT = Date.parse('2026-11-23T09:00:00Z');

function windowOf(inputs: Omit<ObserveInput, 'receivedAt'>[]): Rollup {
  const w = emptyRollup();
  inputs.forEach((i, n) => {
    addObservation(w, observe({ ...i, receivedAt: AT + n }));
  });
  return w;
}

function input(window: Rollup, over: Partial<RuleInput> = {}): RuleInput {
  return {
    window,
    office: LISBON,
    peers: null,
    settings: DEFAULT_INSIGHT_SETTINGS,
    kind: DEFAULT_INSIGHT_SETTINGS.kinds['critical-domain-https-failure'],
    ...over,
  };
}

const ctx: DescribeContext = {
  insightId: 'i1',
  officeName: 'Lisbon HQ',
  windowHours: 24,
  openThreshold: 0.1,
  value: 0,
};

describe('critical-domain-https-failure', () => {
  it('breaks the evidence down per domain, per host and per failure class', () => {
    const reports = Array.from({ length: 10 }, (_, i) => ({
      report: criticalRound(`d${i % 3}`, (h) =>
        h.startsWith('teams')
          ? failure('proxy', 'forbidden')
          : h.startsWith('forms') && i < 4
            ? failure('dns', 'nxdomain')
            : ok(),
      ),
    }));
    const m = RULES['critical-domain-https-failure'].measure(input(windowOf(reports)))!;
    assert.equal(m.samples, 60);
    assert.equal(m.devices, 3);
    assert.equal(m.value, 14 / 60);
    assert.deepEqual(m.evidence.failureClasses, [
      { code: 'proxy/forbidden', count: 10 },
      { code: 'dns/nxdomain', count: 4 },
    ]);
    assert.deepEqual(m.evidence.affectedHosts[0], {
      host: 'teams.cloud.microsoft',
      attempts: 10,
      failures: 10,
    });
    assert.deepEqual(m.evidence.affectedDomains, ['*.cloud.microsoft', '*.usercontent.microsoft']);
    assert.deepEqual(
      m.evidence.domains?.find((d) => d.domain === 'static.microsoft'),
      { domain: 'static.microsoft', attempts: 20, failures: 0 },
    );
    const text = RULES['critical-domain-https-failure'].describe(m.evidence, { ...ctx, value: m.value });
    // The most frequent layer's step comes first: the proxy allow list, then DNS.
    assert.ok(text.action.indexOf('Proxy:') < text.action.indexOf('DNS:'), text.action);
    assert.match(text.action, /TCP 443/);
    assert.match(text.meaning, /14 of 60 HTTPS attempts \(23 %\)/);
  });
});

describe('websocket-failure', () => {
  it('tells connections that never opened from ones cut while held', () => {
    const w = windowOf([
      { report: report('a', [websocket('substrate.office.com', failure('ws', 'reset-after-open'))]) },
      { report: report('b', [websocket('substrate.office.com', failure('proxy', 'forbidden'))]) },
      { report: report('b', [websocket('substrate.office.com', ok())]) },
    ]);
    const m = RULES['websocket-failure'].measure(input(w))!;
    const text = RULES['websocket-failure'].describe(m.evidence, ctx);
    assert.match(text.meaning, /1 never opened and 1 opened but were cut while held/);
    assert.match(text.action, /idle timeout/);
  });
});

describe('tls-interception', () => {
  it('names the most frequent vendor and its issuer, or an unknown interceptor by issuer', () => {
    const zs = interceptedTls('Zscaler', 'CN=Zscaler Root CA, O=Zscaler Inc.');
    const fg = interceptedTls('Fortinet FortiGate', 'CN=FortiGate CA');
    const w = windowOf([
      {
        report: report('a', [
          https('m365.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: zs }),
        ]),
      },
      {
        report: report('b', [
          https('m365.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: zs }),
        ]),
      },
      {
        report: report('c', [
          https('m365.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: fg }),
        ]),
      },
    ]);
    const m = RULES['tls-interception'].measure(input(w))!;
    assert.equal(m.evidence.vendor, 'Zscaler');
    assert.equal(m.evidence.issuer, 'CN=Zscaler Root CA, O=Zscaler Inc.');
    assert.match(RULES['tls-interception'].describe(m.evidence, ctx).title, /^Zscaler is decrypting/);

    const unknown = RULES['tls-interception'].describe(
      { ...m.evidence, vendor: 'unknown interceptor', issuer: 'CN=Corp Inspect CA' },
      ctx,
    );
    assert.match(unknown.title, /^A device is decrypting/);
    assert.match(unknown.action, /"CN=Corp Inspect CA"/);
  });
});

describe('peer-performance', () => {
  const slow = windowOf(
    Array.from({ length: 30 }, (_, i) => ({ report: report(`d${i % 3}`, [latency(100), throughput(10)]) })),
  );
  const kind = DEFAULT_INSIGHT_SETTINGS.kinds['peer-performance'];
  const peers: PeerStats = { offices: 6, tenants: 3, latencyMedianMs: 100, throughputMbps: 40 };

  it('needs enough peer offices and a city; a tenant setting cannot lower the floor of 5', () => {
    const rule = RULES['peer-performance'];
    assert.equal(rule.measure(input(slow, { kind, peers: { ...peers, offices: 4 } })), null);
    const lax = parseInsightSettings({ kinds: { 'peer-performance': { minPeerOffices: 1 } } });
    assert.equal(
      rule.measure(input(slow, { kind: lax.kinds['peer-performance'], peers: { ...peers, offices: 1 } })),
      null,
    );
    assert.equal(rule.measure(input(slow, { kind, peers: null })), null);
    const noCity: OfficeInfo = { ...LISBON, city: null };
    assert.equal(rule.measure(input(slow, { kind, peers, office: noCity })), null);
    const strict = parseInsightSettings({ kinds: { 'peer-performance': { minPeerOffices: 8 } } });
    assert.equal(rule.measure(input(slow, { kind: strict.kinds['peer-performance'], peers })), null);
  });

  it('flags throughput below peers even when latency is equal, and shows only the aggregate', () => {
    const m = RULES['peer-performance'].measure(input(slow, { kind, peers }))!;
    assert.ok(Math.abs(m.value - 0.75) < 0.02, String(m.value));
    assert.deepEqual(Object.keys(m.evidence.peers!).sort(), [
      'latencyMedianMs',
      'officeLatencyMedianMs',
      'officeThroughputMbps',
      'sampleOffices',
      'throughputMbps',
    ]);
    const text = RULES['peer-performance'].describe(m.evidence, { ...ctx, value: m.value });
    assert.match(text.meaning, /downloads run at 10 Mbit\/s here against 40 Mbit\/s nearby/);
    assert.doesNotMatch(text.meaning, /round trip/);
  });
});

describe('peer-performance: what is not a difference', () => {
  const kind = DEFAULT_INSIGHT_SETTINGS.kinds['peer-performance'];
  const windowAt = (ms: number, mbps: number) =>
    windowOf(
      Array.from({ length: 30 }, (_, i) => ({
        report: report(`d${i % 3}`, [latency(ms), throughput(mbps)]),
      })),
    );

  it('ignores a few milliseconds, however large in percent', () => {
    const m = RULES['peer-performance'].measure(
      input(windowAt(18, 50), {
        kind,
        peers: { offices: 6, tenants: 3, latencyMedianMs: 13, throughputMbps: 50 },
      }),
    )!;
    assert.equal(m.value, 0);
  });

  it('does not compare throughput above what the probe can measure, and caps the peers at that level', () => {
    const fast = RULES['peer-performance'].measure(
      input(windowAt(20, 274), {
        kind,
        peers: { offices: 6, tenants: 3, latencyMedianMs: 20, throughputMbps: 506 },
      }),
    )!;
    assert.equal(fast.value, 0);
    const capped = RULES['peer-performance'].measure(
      input(windowAt(20, 60), {
        kind,
        peers: { offices: 6, tenants: 3, latencyMedianMs: 20, throughputMbps: 500 },
      }),
    )!;
    assert.ok(Math.abs(capped.value - 0.4) < 0.02, String(capped.value));
  });
});

describe('backhauled-egress', () => {
  it('measures the great-circle distance (Lisbon to Frankfurt is about 1 890 km)', () => {
    const km = haversineKm(38.72, -9.14, 50.11, 8.68);
    assert.ok(km > 1850 && km < 1930, String(km));
    assert.equal(Math.round(haversineKm(0, 0, 0, 0)), 0);
  });

  it('needs office coordinates and honours the configured distance', () => {
    const madrid = { latitude: 40.42, longitude: -3.7, city: 'Madrid', country: 'ES' }; // ≈ 500 km from Lisbon
    const w = windowOf(
      Array.from({ length: 30 }, (_, i) => ({ report: report(`d${i % 3}`, []), egressGeo: madrid })),
    );
    const rule = RULES['backhauled-egress'];
    const kind = DEFAULT_INSIGHT_SETTINGS.kinds['backhauled-egress'];
    assert.equal(
      rule.measure(input(w, { kind, office: { ...LISBON, latitude: null, longitude: null } })),
      null,
    );
    assert.equal(rule.measure(input(w, { kind }))!.value, 0);
    const near = parseInsightSettings({ kinds: { 'backhauled-egress': { distanceKm: 300 } } });
    const m = rule.measure(input(w, { kind: near.kinds['backhauled-egress'] }))!;
    assert.equal(m.value, 1);
    assert.equal(m.evidence.egress?.city, 'Madrid');
    assert.equal(m.evidence.egress?.thresholdKm, 300);
  });
});

describe('workload tags in evidence', () => {
  it('an intercepted workload host is named with its workload; a critical host without one', () => {
    const zscaler = interceptedTls('Zscaler', 'CN=Zscaler Intermediate Root CA, O=Zscaler Inc.');
    const w = windowOf(
      Array.from({ length: 4 }, (_, i) => ({
        report: report(`d${i % 2}`, [
          ...workloadDoor('outlook.office365.com', 'Exchange Online', '198.51.100.10', 12, { tls: zscaler }),
          https('m365.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: zscaler }),
        ]),
      })),
    );
    const m = RULES['tls-interception'].measure(
      input(w, { kind: DEFAULT_INSIGHT_SETTINGS.kinds['tls-interception'] }),
    )!;
    const byHost = new Map(m.evidence.affectedHosts.map((h) => [h.host, h]));
    assert.equal(byHost.get('outlook.office365.com')?.workload, 'Exchange Online');
    assert.equal(byHost.get('m365.cloud.microsoft')?.workload, undefined);
    // An interceptor's handshake is not a front door: nothing is recorded for it.
    assert.deepEqual(w.frontDoors, {});
  });
});

describe('latency-under-load', () => {
  // Idle 20 ms; under load 270 ms in 20 runs of 30 (250 ms added), 30 ms in the rest.
  const bloated = windowOf(
    Array.from({ length: 30 }, (_, i) => ({
      report: report(`d${i % 3}`, [latency(20), throughput(40, i % 3 === 0 ? 30 : 270)]),
    })),
  );
  const rule = RULES['latency-under-load'];
  const kind = DEFAULT_INSIGHT_SETTINGS.kinds['latency-under-load'];

  it('counts runs adding at least 100 ms by default and quotes idle, loaded and added distributions', () => {
    assert.equal(kind.addedLatencyMs, 100);
    const m = rule.measure(input(bloated, { kind }))!;
    assert.equal(m.samples, 30);
    assert.equal(m.devices, 3);
    assert.equal(m.value, 20 / 30);
    const l = m.evidence.latencyUnderLoad!;
    assert.deepEqual([l.runs, l.bloated, l.limitMs], [30, 20, 100]);
    assert.ok(Math.abs((l.idleMs.median ?? 0) - 20) < 1, `idle ${l.idleMs.median}`);
    assert.ok(Math.abs((l.loadedMs.median ?? 0) - 270) < 6, `loaded ${l.loadedMs.median}`);
    assert.ok(Math.abs((l.addedMs.median ?? 0) - 250) < 6, `added ${l.addedMs.median}`);
    assert.equal(m.evidence.exampleReportIds.length, 10);
  });

  it('honours a configured limit, and refuses one below 20 ms with its JSON path', () => {
    const lax = parseInsightSettings({ kinds: { 'latency-under-load': { addedLatencyMs: 300 } } });
    const m = rule.measure(input(bloated, { kind: lax.kinds['latency-under-load'] }))!;
    assert.equal(m.value, 0);
    assert.deepEqual(m.evidence.exampleReportIds, []);
    assert.throws(
      () => parseInsightSettings({ kinds: { 'latency-under-load': { addedLatencyMs: 5 } } }),
      (err: { issues?: { path: string; message: string }[] }) =>
        err.issues?.[0]?.path === '/kinds/latency-under-load/addedLatencyMs' &&
        /between 20 and 5000/.test(err.issues[0].message),
    );
    assert.throws(
      () => parseInsightSettings({ kinds: { 'peer-performance': { addedLatencyMs: 100 } } }),
      /not a setting of this insight kind/,
    );
  });

  it('a report without loaded samples is no run; a loaded median below the idle one adds nothing', () => {
    const w = windowOf([
      { report: report('a', [latency(20), throughput(40)]) },
      { report: report('b', [latency(40), throughput(40, 25)]) },
    ]);
    const l = rule.measure(input(w, { kind }))!.evidence.latencyUnderLoad!;
    assert.equal(l.runs, 1);
    assert.equal(l.addedMs.median, 0);
  });

  it('a single loaded sample says too little; two or more are a run', () => {
    const withSamples = (samplesMs: number[]) => {
      const t = throughput(40, 0);
      t.throughput!.loadedLatency = { method: 'tcp-connect', samplesMs };
      return { report: report('a', [latency(20), t]) };
    };
    const queue = rule.measure(input(windowOf([withSamples([240, 260, 300, 250])]), { kind }))!;
    assert.equal(queue.value, 1);
    const single = rule.measure(input(windowOf([withSamples([400])]), { kind }))!;
    assert.equal(single.evidence.latencyUnderLoad?.runs, 0);
  });

  it('peer comparison and the office latency use the idle latency only', () => {
    // Same idle latency as the peers, ten times more under load: not slower than peers.
    const peers: PeerStats = { offices: 6, tenants: 3, latencyMedianMs: 20, throughputMbps: 40 };
    const m = RULES['peer-performance'].measure(
      input(bloated, { kind: DEFAULT_INSIGHT_SETTINGS.kinds['peer-performance'], peers }),
    )!;
    assert.equal(m.value, 0);
    assert.ok(Math.abs((m.evidence.peers?.officeLatencyMedianMs ?? 0) - 20) < 1);
    const o = observe({ report: report('a', [latency(20), throughput(40, 270)]), receivedAt: AT });
    assert.equal(o.latencyMs, 20);
    assert.deepEqual(o.loadLatency, { idleMs: 20, loadedMs: 270 });
  });
});
