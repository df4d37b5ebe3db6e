/**
 * @module test/helpers/os-resolver-child
 * Runs inside a network namespace made by os-resolver.test.ts, whose
 * /etc/hosts names the test hosts and whose /etc/resolv.conf points at
 * 127.0.0.1, where this script starts a DNS server that answers NXDOMAIN for
 * all of `cloud.test`. It starts the genuine test origin, runs the probe with
 * neither `--resolve` nor `--dns-server` (as an admin would), resolves one
 * name that neither source knows, and prints what the parent asserts on.
 */
import { startDnsResolver } from '@netinsights/lab/dns-resolver.ts';
import { runProbe } from '../../src/index.ts';
import { DnsClient } from '../../src/transport/resolve.ts';
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
  process.stdout.write(
    `${JSON.stringify({
      results: report.results.map((r) => ({ id: r.id, kind: r.kind, outcome: r.outcome, dns: r.dns })),
      missing: missing.ok ? { ok: true } : { ok: false, outcome: missing.outcome },
      queries: dns.stats.queries,
    })}\n`,
  );
} finally {
  await origin.close();
  await dns.close();
}
