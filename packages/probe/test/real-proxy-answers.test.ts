/**
 * What real proxies answer to CONNECT, read for what it means: Debian's
 * squid (a deny ACL, `auth_param basic` with basic_ncsa_auth, a dead
 * `cache_peer`, a destination nothing listens on, a name its own DNS
 * server calls NXDOMAIN), tinyproxy (a dead destination, a dead upstream
 * proxy, a CONNECT port it does not allow) and mitmproxy (a dead
 * destination, `proxyauth`). Each answer goes through the probe's own
 * CONNECT code; one full probe run through squid uses Basic credentials from
 * the proxy URL and must not leak them into the report. Every process and
 * name stays on loopback; a binary that is missing skips its block.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type LabDnsResolver, startDnsResolver } from '@netinsights/lab/dns-resolver.ts';
import type { FailOutcome, HttpDetail } from '@netinsights/protocol';
import { renderReport } from '../src/index.ts';
import { connectThrough } from '../src/transport/connect-proxy.ts';
import {
  type ExternalProcess,
  fileExists,
  freePort,
  squidBaseConfig,
  startExternal,
  which,
} from './helpers/external-proxy.ts';
import { ALL_NAMES, code, HOSTS, type Pki, probe, result, testPki, testProfile } from './helpers/fixture.ts';
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';

const USER = 'alice';
const PASSWORD = 's3cret-pw';

interface Answer {
  code: string;
  message: string;
  http?: HttpDetail;
}

/** One CONNECT through `proxyUrl` with the probe's own code; its classified answer. */
async function connectVia(proxyUrl: string, host: string, port: number): Promise<Answer> {
  const proxy = new URL(proxyUrl);
  const socket = connect(Number(proxy.port), proxy.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const signal = AbortSignal.timeout(10_000);
  const step = await connectThrough(socket, proxy, host, port, signal, signal, 10_000);
  socket.destroy();
  if (step.ok) return { code: 'ok', message: 'tunnel' };
  const o = step.outcome as FailOutcome;
  return { code: `${o.layer}/${o.class}`, message: o.message, ...(step.http ? { http: step.http } : {}) };
}

/** A port nothing listens on (taken from the kernel and closed again). */
let deadPort: number;
before(async () => {
  deadPort = await freePort();
});

const squid = which('squid');
const openssl = which('openssl');
describe('real squid answers', {
  skip: squid && openssl ? false : 'squid or openssl is not installed (apt-get install squid openssl)',
}, () => {
  let proxy: ExternalProcess;
  let dns: LabDnsResolver | undefined;
  let pki: Pki;
  let origin: Origin;
  before(async () => {
    pki = await testPki();
    origin = await startGenuineOrigin(pki, { h2: true });
    // squid asks DNS servers on port 53 only: one on its own loopback address, when this user may bind it.
    const dnsHost = `127.86.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    dns = await startDnsResolver({
      records: {},
      fail: { suffix: 'nx.test', mode: 'nxdomain' },
      host: dnsHost,
      port: 53,
    }).catch(() => undefined);
    const hash = spawnSync(openssl ?? 'openssl', ['passwd', '-1', PASSWORD], {
      encoding: 'utf8',
    }).stdout.trim();
    proxy = await startExternal({
      binary: squid ?? 'squid',
      prepare: async (dir, port) => {
        await writeFile(
          join(dir, 'hosts'),
          `127.0.0.1 ${[...ALL_NAMES, 'dead.test', 'peer.test'].join(' ')}\n`,
        );
        await writeFile(join(dir, 'passwd'), `${USER}:${hash}\n`, { mode: 0o644 });
        await writeFile(
          join(dir, 'squid.conf'),
          [
            ...squidBaseConfig(dir, port),
            // Never the machine's resolvers: only the loopback one (or none, when it could not bind).
            `dns_nameservers ${dns?.host ?? '127.0.0.1'}`,
            'dns_timeout 2 seconds',
            'connect_timeout 3 seconds',
            `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${dir}/passwd`,
            'auth_param basic realm netinsights-test',
            'acl localsrc src 127.0.0.0/8',
            'acl denied dstdomain deny.test',
            `acl authhost dstdomain auth.test ${HOSTS.join(' ')}`,
            'acl authed proxy_auth REQUIRED',
            'acl viapeer dstdomain peer.test',
            // A parent proxy that is down, and the only way out for peer.test.
            `cache_peer 127.0.0.1 parent ${deadPort} 0 no-query no-digest name=deadpeer connect-fail-limit=1`,
            'cache_peer_access deadpeer allow viapeer',
            'never_direct allow viapeer',
            'http_access deny denied',
            'http_access deny authhost !authed',
            'http_access allow localsrc',
            'http_access deny all',
          ].join('\n'),
        );
      },
      args: (dir) => ['-N', '-f', join(dir, 'squid.conf')],
    });
  });
  after(async () => {
    await proxy?.stop();
    await dns?.close();
    await origin?.close();
  });
  const url = () => `http://127.0.0.1:${proxy.port}`;

  test('a deny ACL is proxy/forbidden (ERR_ACCESS_DENIED)', async () => {
    const a = await connectVia(url(), 'deny.test', 443);
    assert.equal(a.code, 'proxy/forbidden', a.message);
    assert.match(a.message, /ERR_ACCESS_DENIED/);
  });

  test('auth_param basic without credentials is proxy/auth-required naming Basic', async () => {
    const a = await connectVia(url(), 'auth.test', 443);
    assert.equal(a.code, 'proxy/auth-required', a.message);
    assert.match(a.message, /offers Basic/);
  });

  test('wrong credentials are proxy/auth-rejected; right ones open the tunnel', async () => {
    const wrong = await connectVia(`http://${USER}:nope@127.0.0.1:${proxy.port}`, 'auth.test', origin.port);
    assert.equal(wrong.code, 'proxy/auth-rejected', wrong.message);
    const right = await connectVia(
      `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}`,
      HOSTS[0] ?? '',
      origin.port,
    );
    assert.equal(right.code, 'ok', right.message);
  });

  test('a destination nothing listens on is an upstream failure (ERR_CONNECT_FAIL), not a deny', async () => {
    const a = await connectVia(url(), 'dead.test', deadPort);
    assert.equal(a.code, 'proxy/bad-gateway', a.message);
    assert.match(a.message, /ERR_CONNECT_FAIL/);
    assert.equal(a.http?.status, 503);
  });

  test('a dead parent proxy is an upstream failure (500 ERR_CANNOT_FORWARD), not a deny', async () => {
    const a = await connectVia(url(), 'peer.test', 443);
    assert.equal(a.code, 'proxy/bad-gateway', a.message);
    assert.equal(a.http?.status, 500);
    assert.match(a.message, /ERR_CANNOT_FORWARD/);
  });

  test('a name squid’s own DNS calls NXDOMAIN is an upstream failure, not a deny', async (t) => {
    if (!dns) return t.skip('cannot bind a DNS server on port 53 as this user');
    // squid 5.7 answers this CONNECT with 500 ERR_CANNOT_FORWARD (not ERR_DNS_FAIL): it has no address to forward to.
    const a = await connectVia(url(), 'www.nx.test', 443);
    assert.match(a.code, /^proxy\/(bad-gateway|upstream-dns)$/, a.message);
    assert.ok(dns.stats.failed > 0, 'squid asked the loopback resolver');
  });

  test('a whole probe through squid with Basic credentials in the URL passes and never shows them', async () => {
    const proxyUrl = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}`;
    const report = await probe({
      profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
      extraTrustedCas: [pki.genuineRoot.certPem],
      proxy: proxyUrl,
      env: {},
    });
    assert.equal(code(result(report, `https:${HOSTS[0]}:${origin.port}`)), 'ok');
    const shown = JSON.stringify(report) + renderReport(report, { color: false });
    assert.equal(shown.includes(PASSWORD), false, 'the password is not in the report');
    assert.equal(shown.includes(Buffer.from(`${USER}:${PASSWORD}`).toString('base64')), false);
  });
});

const tinyproxy = which('tinyproxy');
describe('real tinyproxy answers', {
  skip: tinyproxy ? false : 'tinyproxy is not installed (apt-get install tinyproxy)',
}, () => {
  let proxy: ExternalProcess;
  before(async () => {
    proxy = await startExternal({
      binary: tinyproxy ?? 'tinyproxy',
      prepare: async (dir, port) => {
        await writeFile(
          join(dir, 'tinyproxy.conf'),
          [
            `Port ${port}`,
            'Listen 127.0.0.1',
            'Timeout 5',
            'MaxClients 10',
            'ConnectPort 443',
            `ConnectPort ${deadPort}`,
            // peer.test must go through an upstream proxy that is down.
            `Upstream http 127.0.0.1:${deadPort} "peer.test"`,
          ].join('\n'),
        );
      },
      args: (dir) => ['-d', '-c', join(dir, 'tinyproxy.conf')],
    });
  });
  after(() => proxy?.stop());
  const url = () => `http://127.0.0.1:${proxy.port}`;

  test('"500 Unable to connect" to a dead destination is an upstream failure, not a deny', async () => {
    const a = await connectVia(url(), '127.0.0.1', deadPort);
    assert.equal(a.code, 'proxy/bad-gateway', a.message);
    assert.equal(a.http?.status, 500);
  });

  test('"502 Unable to connect to upstream proxy" is an upstream failure', async () => {
    const a = await connectVia(url(), 'peer.test', 443);
    assert.equal(a.code, 'proxy/bad-gateway', a.message);
    assert.equal(a.http?.status, 502);
  });

  test('a CONNECT port tinyproxy does not allow is its policy: proxy/forbidden', async () => {
    const a = await connectVia(url(), '127.0.0.1', 8443);
    assert.equal(a.code, 'proxy/forbidden', a.message);
  });
});

const mitmdump = which('mitmdump');
describe('real mitmproxy answers', {
  skip: mitmdump ? false : 'mitmproxy is not installed (apt-get install mitmproxy)',
}, () => {
  let plain: ExternalProcess;
  let authing: ExternalProcess;
  const start = (extra: string[]) =>
    startExternal({
      binary: mitmdump ?? 'mitmdump',
      args: (dir, port) => [
        '--listen-host',
        '127.0.0.1',
        '--listen-port',
        String(port),
        '--set',
        `confdir=${dir}`,
        ...extra,
        '-q',
      ],
      ready: (dir) => fileExists(join(dir, 'mitmproxy-ca-cert.pem')),
      timeoutMs: 30_000,
    });
  before(async () => {
    [plain, authing] = await Promise.all([start([]), start(['--set', `proxyauth=${USER}:${PASSWORD}`])]);
  });
  after(async () => {
    await plain?.stop();
    await authing?.stop();
  });

  test('a dead destination is 502: an upstream failure', async () => {
    const a = await connectVia(`http://127.0.0.1:${plain.port}`, '127.0.0.1', deadPort);
    assert.equal(a.code, 'proxy/bad-gateway', a.message);
  });

  test('proxyauth is proxy/auth-required naming Basic; the right credentials open the tunnel', async () => {
    const a = await connectVia(`http://127.0.0.1:${authing.port}`, '127.0.0.1', deadPort);
    assert.equal(a.code, 'proxy/auth-required', a.message);
    assert.match(a.message, /offers Basic/);
    const b = await connectVia(
      `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${authing.port}`,
      '127.0.0.1',
      deadPort,
    );
    // Past authentication mitmproxy tries the destination, which is down.
    assert.equal(b.code, 'proxy/bad-gateway', b.message);
  });
});
