/**
 * Tests for insights/observation: what one ProbeReport contributes to each
 * insight kind, built from schema-valid reports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ok } from '@netinsights/protocol';
import { hashDevice } from '../../src/insights/device-sketch.ts';
import { deviceIdentity, observe } from '../../src/insights/observation.ts';
import {
  criticalRound,
  failure,
  http2,
  https,
  interceptedTls,
  latency,
  probeArtefact,
  quic,
  report,
  throughput,
  tlsCheck,
  websocket,
} from './helpers/reports.ts';

const at = Date.parse('2026-11-23T10:15:00Z');

describe('observe(): HTTPS to critical domains', () => {
  it('counts an attempt per critical host and a failure with its layer/class code', () => {
    const r = criticalRound('dev-a', (h) =>
      h.endsWith('.cloud.microsoft') ? failure('proxy', 'forbidden') : ok(),
    );
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.https.attempts, 6);
    assert.equal(o.https.failures, 3);
    assert.deepEqual(o.https.codes, { 'proxy/forbidden': 3 });
    assert.deepEqual(o.https.hosts['teams.cloud.microsoft'], { a: 1, f: 1, d: 'cloud.microsoft' });
    assert.deepEqual(o.https.hosts['tscdn.m365.static.microsoft'], { a: 1, f: 0, d: 'static.microsoft' });
    assert.equal(o.https.lastFailureAt, at);
    assert.deepEqual(o.https.examples, [r.reportId]);
  });

  it('ignores hosts outside the critical domains, even when the report claims the domain', () => {
    const r = report('dev-a', [
      https('www.example.com', 'cloud.microsoft', failure('tcp', 'refused')),
      {
        ...https('login.microsoftonline.com', 'x', ok()),
        target: { host: 'login.microsoftonline.com', port: 443 },
      },
      https('outlook.cloud.microsoft', 'cloud.microsoft', failure('dns', 'nxdomain')),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.https.attempts, 1);
    assert.deepEqual(Object.keys(o.https.hosts), ['outlook.cloud.microsoft']);
    assert.deepEqual(o.https.codes, { 'dns/nxdomain': 1 });
  });

  it("does not count the genuine origin's own 4xx as a network failure, but does count a proxy's block page", () => {
    const r = report('dev-a', [
      https('m365.cloud.microsoft', 'cloud.microsoft', failure('http', 'status'), {
        servedBy: 'origin',
        status: 401,
      }),
      https('teams.cloud.microsoft', 'cloud.microsoft', failure('http', 'status'), {
        servedBy: 'proxy',
        status: 403,
      }),
      https('outlook.cloud.microsoft', 'cloud.microsoft', failure('http', 'block-page'), {
        servedBy: 'proxy',
      }),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.https.attempts, 3);
    assert.equal(o.https.failures, 2);
    assert.deepEqual(o.https.codes, { 'http/status': 1, 'http/block-page': 1 });
  });

  it('an interceptor the machine trusts is interception, not an HTTPS failure; one it does not trust is both', () => {
    const trusted = interceptedTls('Zscaler', 'CN=Zscaler Intermediate Root CA, O=Zscaler Inc.');
    const untrusted = { ...trusted, trustedBySystem: false };
    const r = report('dev-a', [
      https('m365.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: trusted }),
      https('teams.cloud.microsoft', 'cloud.microsoft', failure('tls', 'intercepted'), { tls: untrusted }),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.https.failures, 1);
    assert.deepEqual(o.https.codes, { 'tls/intercepted': 1 });
    assert.equal(o.tls.tally.attempts, 2);
    assert.equal(o.tls.tally.failures, 2);
    assert.deepEqual(o.tls.vendors, { Zscaler: 2 });
    assert.deepEqual(o.tls.issuers, { 'CN=Zscaler Intermediate Root CA, O=Zscaler Inc.': 2 });
  });
});

describe('observe(): chains the machine does not trust', () => {
  it('counts a request the probe completed through an untrusted interceptor as failed for users', () => {
    const untrusted = { ...interceptedTls('unknown interceptor', 'CN=Corp CA'), trustedBySystem: false };
    const r = report('dev-a', [
      https('m365.cloud.microsoft', 'cloud.microsoft', ok(), { tls: untrusted }),
      { ...websocket('substrate.office.com', ok(), { upgradeStatus: 101, heldMs: 5000 }), tls: untrusted },
      { ...websocket('substrate.office.com', ok(), { upgradeStatus: 101, heldMs: 5000 }) },
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.deepEqual(o.https.codes, { 'tls/intercepted': 1 });
    assert.deepEqual([o.websocket.attempts, o.websocket.failures], [2, 1]);
    assert.deepEqual(o.websocket.codes, { 'tls/intercepted': 1 });
  });
});

describe('observe(): certificate chains', () => {
  it('keeps one verdict per host per report, the worst one', () => {
    const fg = interceptedTls('Fortinet FortiGate', 'CN=FortiGate CA, O=Fortinet');
    const r = report('dev-a', [
      https('m365.cloud.microsoft', 'cloud.microsoft'),
      tlsCheck('m365.cloud.microsoft', fg),
      https('teams.cloud.microsoft', 'cloud.microsoft'),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.tls.tally.attempts, 2);
    assert.equal(o.tls.tally.failures, 1);
    assert.deepEqual(o.tls.tally.hosts['m365.cloud.microsoft'], { a: 1, f: 1 });
    assert.deepEqual(o.tls.vendors, { 'Fortinet FortiGate': 1 });
  });

  it('names an interceptor without a vendor match "unknown interceptor"', () => {
    const tls = { ...interceptedTls('x', 'CN=Corp Inspection CA'), vendor: undefined };
    delete tls.vendor;
    const o = observe({ report: report('d', [tlsCheck('m365.cloud.microsoft', tls)]), receivedAt: at });
    assert.deepEqual(o.tls.vendors, { 'unknown interceptor': 1 });
  });
});

describe('observe(): WebSocket', () => {
  it('passes an upgrade a genuine origin answered with 401, fails a refused or cut connection', () => {
    const r = report('dev-a', [
      websocket('substrate.office.com', failure('ws', 'upgrade-refused'), {
        originAnswered: true,
        upgradeStatus: 401,
      }),
      websocket('substrate.office.com', failure('ws', 'upgrade-refused'), { upgradeStatus: 403 }),
      websocket('substrate.office.com', failure('ws', 'reset-after-open'), { heldMs: 1200 }),
      websocket('substrate.office.com', failure('proxy', 'forbidden')),
      websocket('substrate.office.com', ok(), { upgradeStatus: 101, heldMs: 5000 }),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.websocket.attempts, 5);
    assert.equal(o.websocket.failures, 3);
    assert.deepEqual(o.websocket.codes, {
      'ws/upgrade-refused': 1,
      'ws/reset-after-open': 1,
      'proxy/forbidden': 1,
    });
  });
});

describe('observe(): QUIC and HTTP/2', () => {
  it('counts QUIC silence only when TCP/443 worked in the same run', () => {
    const r = report('dev-a', [
      quic('m365.cloud.microsoft', 0, true),
      quic('teams.cloud.microsoft', 0, false),
      quic('outlook.cloud.microsoft', 0, 'unknown'),
      quic('res.public.onecdn.static.microsoft', 2, true),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.quic.attempts, 2);
    assert.equal(o.quic.failures, 1);
    assert.deepEqual(o.quic.codes, { 'quic/no-reply': 1 });
  });

  it('counts a downgrade only where the origin offers h2', () => {
    const r = report('dev-a', [
      http2('m365.cloud.microsoft', true, 'http/1.1'),
      http2('res.public.onecdn.static.microsoft', true, 'h2'),
      http2('teams.cloud.microsoft', null, 'http/1.1'),
      http2('outlook.cloud.microsoft', false, 'http/1.1'),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.http2.attempts, 2);
    assert.equal(o.http2.failures, 1);
    assert.deepEqual(o.http2.hosts['m365.cloud.microsoft'], { a: 1, f: 1 });
  });
});

describe('observe(): performance, devices, egress', () => {
  it('takes the latency median and throughput, and skips checks the probe cut itself', () => {
    const r = report('dev-a', [
      latency(80),
      throughput(42.5),
      probeArtefact('https', 'm365.cloud.microsoft'),
      probeArtefact('websocket', 'substrate.office.com'),
    ]);
    const o = observe({ report: r, receivedAt: at });
    assert.equal(o.latencyMs, 80);
    assert.equal(o.throughputMbps, 42.5);
    assert.equal(o.https.attempts, 0);
    assert.equal(o.websocket.attempts, 0);
  });

  it('identifies the device by id, else hostname, else LAN address, and stores only a hash', () => {
    assert.equal(deviceIdentity(report('abc', [])), 'id:abc');
    assert.equal(deviceIdentity(report(undefined, [], { hostname: 'LAPTOP-7' })), 'host:laptop-7');
    assert.equal(deviceIdentity(report(undefined, [], { localAddress: '10.1.2.3' })), 'addr:10.1.2.3');
    assert.equal(deviceIdentity(report(undefined, [])), 'unknown');
    const o = observe({ report: report('abc', []), receivedAt: at });
    assert.equal(o.device, hashDevice('id:abc'));
    assert.ok(!JSON.stringify(o).includes('abc'));
  });

  it('copies the egress location and rejects an invalid receive time', () => {
    const r = report('dev-a', []);
    const o = observe({
      report: r,
      receivedAt: new Date(at),
      egressGeo: { latitude: 52.37, longitude: 4.9, city: 'Amsterdam', country: 'NL' },
    });
    assert.deepEqual(o.egress, { latitude: 52.37, longitude: 4.9, city: 'Amsterdam', country: 'NL' });
    assert.equal(o.at, at);
    assert.throws(() => observe({ report: r, receivedAt: 'yesterday' }), /receivedAt is not a valid time/);
  });
});
