/**
 * @module test/helpers/os-resolver-child
 * Runs inside a network namespace made by os-resolver.test.ts, whose
 * /etc/hosts names the test hosts and whose /etc/resolv.conf points at
 * 127.0.0.1, where this script starts a DNS server that answers NXDOMAIN for
 * all of `cloud.test`. It starts the genuine test origin, runs the probe with
 * neither `--resolve` nor `--dns-server` (as an admin would), resolves one
 * name that neither source knows, then runs it again with `--proxy auto`
 * while a WPAD PAC is served on wpad.corp.test:80 (the namespace's search
 * domain is corp.test) pointing cloud.test at a CONNECT proxy, and prints
 * what the parent asserts on.
 */
import { createServer } from 'node:http';
import { startDnsResolver } from '@netinsights/lab/dns-resolver.ts';
import { runProbe } from '../../src/index.ts';
import { DnsClient } from '../../src/transport/resolve.ts';
import { startConnectProxy } from './connect-proxy.ts';
import { testPki, testProfile } from './fixture.ts';
import { startGenuineOrigin } from './origin-server.ts';

const dns = await startDnsResolver({
  records: {},
  fail: { suffix: 'cloud.test', mode: 'nxdomain' },
  host: '127.0.0.1',
  port: 53,
});
const pki = await testPki();
const origin = await startGenuineOrigin(pki, { h2: true });
try {
  const report = await runProbe({
    profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
    extraTrustedCas: [pki.genuineRoot.certPem],
    env: {},
    deadlineMs: 15_000,
    checkTimeoutMs: 4_000,
  });
  const signal = AbortSignal.timeout(5_000);
  const client = new DnsClient({ pins: new Map(), timeoutMs: 3_000, runSignal: signal });
  const missing = await client.resolve('missing.cloud.test', 443, signal);

  const proxy = await startConnectProxy();
  const pacText = `function FindProxyForURL(url, host) { return dnsDomainIs(host, ".cloud.test") ? "PROXY 127.0.0.1:${proxy.port}" : "DIRECT"; }`;
  const wpad = createServer((req, res) => {
    res.writeHead(req.url === '/wpad.dat' ? 200 : 404, {
      'content-type': 'application/x-ns-proxy-autoconfig',
    });
    res.end(req.url === '/wpad.dat' ? pacText : '');
  });
  await new Promise<void>((r) => wpad.listen(80, '127.0.0.1', r));
  let auto: Awaited<ReturnType<typeof runProbe>>;
  try {
    auto = await runProbe({
      profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
      extraTrustedCas: [pki.genuineRoot.certPem],
      proxy: 'auto',
      env: {},
      deadlineMs: 15_000,
      checkTimeoutMs: 4_000,
    });
  } finally {
    await new Promise<void>((r) => wpad.close(() => r()));
    await proxy.close();
  }
  process.stdout.write(
    `${JSON.stringify({
      results: report.results.map((r) => ({ id: r.id, kind: r.kind, outcome: r.outcome, dns: r.dns })),
      missing: missing.ok ? { ok: true } : { ok: false, outcome: missing.outcome },
      queries: dns.stats.queries,
      auto: {
        proxy: auto.environment.proxy,
        results: auto.results.map((r) => ({ id: r.id, outcome: r.outcome, path: r.path })),
        tunnels: proxy.seen,
      },
    })}\n`,
  );
} finally {
  await origin.close();
  await dns.close();
}
