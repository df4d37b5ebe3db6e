/**
 * What each check costs the network, and the measurement plan honoured: the
 * report's `traffic` counts each registered check's bytes on its real
 * sockets (a local TLS origin and STUN relay on loopback), and a heavy check
 * the plan left out opens no socket and ends `probe/not-planned` with the
 * reason — not run, never a failure.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CheckTraffic, HEAVY_CHECKS, heavyCheck, type ProbeReport } from '@netinsights/protocol';
import { diagnose } from '../src/report/findings.ts';
import { renderReport } from '../src/report/text-report.ts';
import {
  DL_HOST,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { startGenuineOrigin } from './helpers/origin-server.ts';
import { startTestStun, type TestStun } from './helpers/stun-responder.ts';

let pki: Pki;
let origin: Awaited<ReturnType<typeof startGenuineOrigin>>;
let stun: TestStun;
before(async () => {
  pki = await testPki();
  origin = await startGenuineOrigin(pki, {});
  stun = await startTestStun(2, 'xor');
});
after(async () => {
  await origin.close();
  await stun.close();
});

const MAX_BYTES = 1_048_576;
const run = (notPlanned?: Map<string, string>) =>
  probe({
    profile: testProfile({
      port: origin.port,
      genuineRoot: pki.genuineRoot,
      maxBytes: MAX_BYTES,
      teamsPorts: stun.ports,
    }),
    resolve: [...loopbackPins(origin.port), ...stun.ports.map((p) => `${HOSTS[0]}:${p}:127.0.0.1`)],
    extraTrustedCas: [pki.genuineRoot.certPem],
    ...(notPlanned ? { notPlanned } : {}),
  });

const trafficOf = (report: ProbeReport, check: string): CheckTraffic | undefined =>
  report.traffic?.find((t) => t.check === check);

test('every check that ran has its bytes in the report; the download is counted at the socket', async () => {
  const report = await run();
  const checks = report.traffic?.map((t) => t.check);
  assert.deepEqual(checks, [
    'critical-hosts',
    'dns',
    'websocket',
    'throughput',
    'latency',
    'quic',
    'teams-media',
  ]);
  const dl = trafficOf(report, 'throughput');
  const body = result(report, `throughput:${DL_HOST}:${origin.port}`).throughput?.bytes ?? 0;
  assert.ok(body >= MAX_BYTES, `the download read ${body} bytes`);
  // Wire bytes: the body plus TLS records, handshake and headers — more than the body, within the plan's bound.
  assert.ok(dl && dl.receivedBytes > body, `received ${dl?.receivedBytes} for a ${body}-byte body`);
  const bound = HEAVY_CHECKS.find((c) => c.name === 'throughput')?.worstCaseBytes(
    testProfile({ port: origin.port, genuineRoot: pki.genuineRoot, maxBytes: MAX_BYTES }),
  );
  assert.ok(
    bound !== undefined && dl.sentBytes + dl.receivedBytes <= bound,
    `${dl.receivedBytes} > ${bound}`,
  );
  // The TLS checks sent their handshakes and requests: something, and far less than the download.
  const hosts = trafficOf(report, 'critical-hosts');
  assert.ok(hosts && hosts.sentBytes > 500 && hosts.receivedBytes > 1000, JSON.stringify(hosts));
  // UDP: each STUN request is 20 bytes (RFC 8489 §5), each answer at least that.
  const tm = trafficOf(report, 'teams-media');
  const media = report.results.find((r) => r.kind === 'teams-media')?.teamsMedia;
  assert.ok(media && media.sent > 0 && media.answered > 0);
  assert.equal(tm?.sentBytes, media.sent * 20);
  assert.ok((tm?.receivedBytes ?? 0) >= 20 * media.answered, JSON.stringify(tm));
  const mediaBound = heavyCheck('teams-media')?.worstCaseBytes(
    testProfile({ port: origin.port, genuineRoot: pki.genuineRoot, teamsPorts: stun.ports }),
  );
  assert.ok(mediaBound !== undefined && (tm?.sentBytes ?? 0) + (tm?.receivedBytes ?? 0) <= mediaBound);
});

test('a heavy check the plan did not grant is not run, costs nothing and is not a failure', async () => {
  const why = "the collector's plan has this office's throughput samples for this hour";
  const report = await run(new Map([['throughput', why]]));
  const dl = result(report, `throughput:${DL_HOST}:${origin.port}`);
  assert.equal(dl.outcome.status, 'fail');
  assert.equal(
    dl.outcome.status === 'fail' && `${dl.outcome.layer}/${dl.outcome.class}`,
    'probe/not-planned',
  );
  assert.match(dl.outcome.status === 'fail' ? dl.outcome.message : '', /this hour/);
  assert.equal(dl.throughput, undefined);
  assert.equal(trafficOf(report, 'throughput'), undefined, 'no traffic entry: it opened no socket');
  // Not a finding and not "skipped" (the run's other results are whatever the loopback path gives:
  // no QUIC responder here).
  const d = diagnose(report);
  assert.ok(!d.findings.some((f) => f.code.startsWith('probe/')), d.headline);
  assert.equal(d.skipped, 0);
  assert.equal(d.notPlanned, 1);
  assert.match(d.headline, /1 heavy not planned this run/);
  assert.match(
    renderReport(report, { color: false }),
    /throughput +dl\.cloud\.test +not run: the collector's plan/,
  );
});

test('a run given a traffic limit stops once its checks pass it, and says why', async () => {
  // 200 kB/s for up to 3 s: the download would take 600 kB; the limit cuts it near 250 kB.
  const slow = await startGenuineOrigin(pki, { trickleBytesPerSecond: 200_000 });
  try {
    const limit = 250_000;
    const report = await probe({
      profile: testProfile({ port: slow.port, genuineRoot: pki.genuineRoot, maxSeconds: 3 }),
      resolve: loopbackPins(slow.port),
      extraTrustedCas: [pki.genuineRoot.certPem],
      trafficLimitBytes: limit,
    });
    const dl = result(report, `throughput:${DL_HOST}:${slow.port}`);
    assert.equal(dl.outcome.status === 'fail' && `${dl.outcome.layer}/${dl.outcome.class}`, 'probe/deadline');
    assert.match(
      dl.outcome.status === 'fail' ? dl.outcome.message : '',
      /traffic limit \(250000 bytes, the daily cap\)/,
    );
    const total = (report.traffic ?? []).reduce((n, t) => n + t.sentBytes + t.receivedBytes, 0);
    // Read every 50 ms: at 200 kB/s at most ~10 kB more arrive before the stop (plus TLS records in flight).
    assert.ok(total >= limit && total <= limit + 64 * 1024, `${total} bytes`);
  } finally {
    await slow.close();
  }
});
