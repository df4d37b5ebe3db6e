/**
 * The text report's presentation rules: colour only when asked (a TTY and
 * NO_COLOR unset), findings grouped so that many hosts failing the same way
 * read as one finding. Uses a real run against a closed local port.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { before, describe, test } from 'node:test';
import type { ProbeReport } from '@netinsights/protocol';
import { diagnose, renderReport, wantsColor } from '../src/index.ts';
import { HOSTS, loopbackPins, probe, testPki, testProfile } from './helpers/fixture.ts';
import { startTestStun } from './helpers/stun-responder.ts';
import { LENIENT, runAgainst } from './helpers/teams-media-run.ts';

let report: ProbeReport;
before(async () => {
  const pki = await testPki();
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  report = await probe({
    profile: testProfile({ port, genuineRoot: pki.genuineRoot }),
    resolve: loopbackPins(port),
  });
});

describe('text report', () => {
  test('colour only on a TTY, and never with NO_COLOR', () => {
    assert.equal(wantsColor({ isTTY: true }, {}), true);
    assert.equal(wantsColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(wantsColor({ isTTY: false }, {}), false);
    assert.equal(wantsColor({}, {}), false);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    assert.match(renderReport(report, { color: true }), /\x1b\[31m/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    assert.doesNotMatch(renderReport(report, { color: false }), /\x1b\[/);
  });

  test('every host refusing TCP is one finding listing the hosts, with cause and action', () => {
    const d = diagnose(report);
    const refused = d.findings.find((f) => f.code === 'tcp/refused');
    assert.ok(refused);
    for (const host of HOSTS) assert.ok(refused.hosts.includes(host));
    assert.match(refused.title, /^TCP connections fail for all \d+ hosts$/);
    const text = renderReport(report, { color: false });
    assert.equal(text.split('\n').filter((l) => l.includes('[tcp/refused]')).length, 1);
    assert.match(text, /cause: {2}Connections are actively refused/);
    assert.match(text, /do: {5}Allow outbound TCP 443/);
  });
});

describe('findings name whole critical domains', () => {
  test('a proxy denying every host of one domain reads as "*.static.test (2 hosts)"', async () => {
    const { startConnectProxy } = await import('./helpers/connect-proxy.ts');
    const { startOrigin } = await import('./helpers/origin-server.ts');
    const { ALL_NAMES } = await import('./helpers/fixture.ts');
    const pki = await testPki();
    const statics = ['x.static.test', 'y.static.test'];
    const leaf = await pki.genuineIssuing.issueServer([...ALL_NAMES, ...statics]);
    const origin = await startOrigin({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: leaf.chainPem });
    const proxy = await startConnectProxy({ deny: ['static.test'] });
    try {
      const profile = testProfile({ port: origin.port, genuineRoot: pki.genuineRoot });
      profile.criticalDomains.push({ domain: 'static.test', hosts: statics, port: origin.port, path: '/' });
      const report = await probe({
        profile,
        proxy: proxy.url,
        resolve: loopbackPins(origin.port),
        extraTrustedCas: [pki.genuineRoot.certPem],
      });
      const forbidden = diagnose(report).findings.find((f) => f.code === 'proxy/forbidden');
      assert.equal(forbidden?.title, 'The proxy refuses tunnels to *.static.test (2 hosts)');
    } finally {
      await proxy.close();
      await origin.close();
    }
  });
});

describe('checks that were not run are never counted as failed', () => {
  test('regression: skipped and not-applicable checks stay out of "N of M checks passed"', () => {
    // The closed-port run: TCP refused, later phases skipped.
    const d = diagnose(report);
    assert.ok(d.skipped > 0);
    const ran = report.results.length - d.skipped - d.notApplicable;
    assert.equal(
      d.findings.some((f) => f.code.startsWith('probe/')),
      false,
    );
    const text = renderReport(report, { color: false });
    assert.match(text, new RegExp(`${d.passed}/${ran} checks passed · ${d.skipped} not run`));
  });

  test('a not-applicable check is no finding, no failure, and says why', () => {
    const quic = report.results.find((r) => r.kind === 'quic');
    assert.ok(quic);
    const why =
      'routed via proxy http://p:8080: browsers and Microsoft 365 apps do not use QUIC through an HTTP proxy';
    const proxied: ProbeReport = {
      ...report,
      results: report.results.map((r) =>
        r === quic
          ? { ...r, outcome: { status: 'fail', layer: 'probe', class: 'not-applicable', message: why } }
          : r,
      ),
    };
    const d = diagnose(proxied);
    assert.equal(d.notApplicable, 1);
    assert.equal(
      d.findings.some((f) => f.code.startsWith('quic/') || f.code.startsWith('probe/')),
      false,
    );
    const text = renderReport(proxied, { color: false });
    assert.match(text, /not applicable — routed via proxy http:\/\/p:8080/);
    const ran = proxied.results.length - d.skipped - 1;
    assert.match(
      text,
      new RegExp(`${d.passed}/${ran} checks passed · ${d.skipped} not run · 1 not applicable`),
    );
  });
});

describe('text report: Teams media', () => {
  test('one line with the ports answered, loss, RTT, jitter, MOS, reflexive address and the TCP fallback via the proxy', async () => {
    const stun = await startTestStun(2, 'xor');
    const tcp = createServer((s) => s.destroy());
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    try {
      const tcpPort = (tcp.address() as { port: number }).port;
      const proxy = {
        type: 'proxy' as const,
        proxy: new URL(`http://127.0.0.1:${tcpPort}`),
        source: 'flag' as const,
      };
      const r = await runAgainst(stun.ports, tcpPort, {
        genuineRoot: (await testPki()).genuineRoot,
        thresholds: LENIENT,
        route: proxy,
      });
      const text = renderReport({ ...report, results: [r] }, { color: false });
      const line = text.split('\n').find((l) => l.includes('teams-media '));
      assert.ok(line, text);
      assert.match(line, new RegExp(`UDP ${stun.ports.join(', ')} answered: loss 0 %`));
      assert.match(line, /MOS ≈ \d\.\d+, seen as 127\.0\.0\.1:\d+/);
      assert.match(line, /via the proxy \(UDP goes direct: HTTP proxies carry TCP only\)/);
    } finally {
      await stun.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  });
});
