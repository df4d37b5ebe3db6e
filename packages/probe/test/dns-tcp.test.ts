/**
 * DNS and TCP classification against real local servers: a UDP DNS server
 * that answers NXDOMAIN / SERVFAIL / REFUSED / nothing per name, a DNS port
 * where nothing listens, a closed TCP port, and a listener whose accept queue
 * is full (SYNs dropped, so the connect times out).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { before, describe, test } from 'node:test';
import { type DnsBehaviour, startDnsServer } from './helpers/dns-server.ts';
import {
  code,
  HOSTS,
  loopbackPins,
  type Pki,
  probe,
  result,
  testPki,
  testProfile,
} from './helpers/fixture.ts';
import { startGenuineOrigin } from './helpers/origin-server.ts';

const [A, B] = HOSTS as [string, string];
let pki: Pki;
before(async () => {
  pki = await testPki();
});

describe('DNS', () => {
  const cases: [string, DnsBehaviour, string][] = [
    ['NXDOMAIN', 'nxdomain', 'dns/nxdomain'],
    ['SERVFAIL', 'servfail', 'dns/servfail'],
    ['REFUSED', 'refused', 'dns/refused'],
    ['no answer', 'silent', 'dns/timeout'],
  ];
  for (const [name, behaviour, expected] of cases) {
    test(`${name} for one host is ${expected}; the other host resolves and works`, async () => {
      const origin = await startGenuineOrigin(pki);
      const dns = await startDnsServer((q) => (q === B ? behaviour : { a: '127.0.0.1' }));
      try {
        const report = await probe({
          profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
          dnsServers: [dns.address],
          extraTrustedCas: [pki.genuineRoot.certPem],
          checkTimeoutMs: 1500,
        });
        const bad = result(report, `dns:${B}:${origin.port}`);
        assert.equal(code(bad), expected);
        assert.deepEqual(bad.dns?.resolvers, [dns.address]);
        // The HTTPS check names the DNS failure as its cause; TCP and TLS were not attempted.
        assert.equal(code(result(report, `https:${B}:${origin.port}`)), expected);
        assert.equal(code(result(report, `tcp:${B}:${origin.port}`)), 'probe/skipped');
        const good = result(report, `dns:${A}:${origin.port}`);
        assert.equal(code(good), 'ok');
        assert.deepEqual(good.dns?.answers, ['127.0.0.1']);
        assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'ok');
        assert.ok(dns.queries.includes(B));
      } finally {
        await dns.close();
        await origin.close();
      }
    });
  }

  test('a DNS server port where nothing listens is dns/unreachable or dns/timeout, never a hang', async () => {
    const dns = await startDnsServer(() => 'silent');
    const address = dns.address;
    await dns.close();
    const report = await probe({
      profile: testProfile({ port: 443, genuineRoot: pki.genuineRoot }),
      dnsServers: [address],
      checkTimeoutMs: 1000,
      deadlineMs: 6000,
    });
    // ICMP port-unreachable reaches c-ares as ECONNREFUSED on most stacks; where it is swallowed it is a timeout.
    assert.match(code(result(report, `dns:${A}`)), /^dns\/(unreachable|timeout)$/);
  });
});

/** A loopback listener that never accepts: its queue (backlog 0) is filled, so further SYNs are dropped. */
async function startNeverAccepting(): Promise<{ port: number; close(): void } | undefined> {
  let child: ChildProcess;
  try {
    child = spawn(
      'python3',
      [
        '-c',
        "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)",
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
  } catch {
    return undefined;
  }
  const port = await new Promise<number | undefined>((resolve) => {
    child.once('error', () => resolve(undefined));
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
  });
  if (!port) return undefined;
  // Fill the accept queue.
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill();
    },
  };
}

describe('TCP', () => {
  test('a closed port is tcp/refused', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const report = await probe({
      profile: testProfile({ port, genuineRoot: pki.genuineRoot }),
      resolve: loopbackPins(port),
    });
    const tcp = result(report, `tcp:${A}:${port}`);
    assert.equal(code(tcp), 'tcp/refused');
    assert.equal(code(result(report, `https:${A}:${port}`)), 'tcp/refused');
    assert.equal(code(result(report, `tls:${A}:${port}`)), 'probe/skipped');
  });

  test('a listener that never accepts is tcp/timeout within the check deadline', async (t) => {
    const listener = await startNeverAccepting();
    if (!listener) {
      t.skip('python3 is needed to hold a listening socket that never accepts');
      return;
    }
    try {
      const started = Date.now();
      const report = await probe({
        profile: testProfile({ port: listener.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(listener.port),
        checkTimeoutMs: 1000,
        deadlineMs: 8000,
      });
      const tcp = result(report, `tcp:${A}:${listener.port}`);
      assert.equal(code(tcp), 'tcp/timeout');
      // Latency stops at the first failed sample instead of waiting out the same timeout again.
      const latency = result(report, `latency:${A}:${listener.port}`);
      assert.equal(code(latency), 'tcp/timeout');
      assert.deepEqual(latency.latency?.samplesMs, []);
      assert.ok(Date.now() - started < 8000 + 1000);
    } finally {
      listener.close();
    }
  });
});
