/**
 * Proxy awareness against a real local CONNECT proxy: tunnelling, the
 * proxy's refusals (403, 407), an unreachable proxy, a proxy that answers
 * garbage or nothing, HTTPS_PROXY / NO_PROXY, and PAC files — including PAC
 * files that throw or do not compile.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetinsightsError } from '@netinsights/protocol';
import { bypassesProxy } from '../src/transport/proxy-selection.ts';
import { type ProxyOptions, startConnectProxy } from './helpers/connect-proxy.ts';
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
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';

const [A, B] = HOSTS as [string, string];
let pki: Pki;
let origin: Origin;
let dir: string;
before(async () => {
  pki = await testPki();
  origin = await startGenuineOrigin(pki, { h2: true });
  dir = await mkdtemp(join(tmpdir(), 'ni-probe-pac-'));
});
after(async () => {
  await origin.close();
  await rm(dir, { recursive: true, force: true });
});

const base = () => ({
  profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
  resolve: loopbackPins(origin.port),
  extraTrustedCas: [pki.genuineRoot.certPem],
});

async function viaProxy(opts: ProxyOptions, extra: { checkTimeoutMs?: number } = {}) {
  const proxy = await startConnectProxy(opts);
  try {
    return { proxy, report: await probe({ ...base(), proxy: proxy.url, ...extra }) };
  } finally {
    await proxy.close();
  }
}

describe('through a CONNECT proxy', () => {
  test('a tunnelling proxy: every TCP check goes through it, no local DNS lookup for proxied hosts', async () => {
    const { proxy, report } = await viaProxy({});
    const https = result(report, `https:${A}:${origin.port}`);
    assert.equal(code(https), 'ok');
    assert.deepEqual(https.path, { type: 'proxy', proxy: proxy.url, source: 'flag' });
    assert.equal(typeof https.timings?.proxyConnectMs, 'number');
    assert.equal(
      report.results.some((r) => r.id === `dns:${A}:${origin.port}`),
      false,
    );
    assert.ok(proxy.seen.includes(`${A}:${origin.port}`));
    assert.ok(proxy.seen.includes(`ws.cloud.test:${origin.port}`));
    assert.equal(report.environment.proxy.mode, 'proxy');
  });

  test('403 to CONNECT for one domain is proxy/forbidden, attributed to the proxy', async () => {
    const { report } = await viaProxy({ deny: [B] });
    for (const id of [`tcp:${B}:${origin.port}`, `https:${B}:${origin.port}`])
      assert.equal(code(result(report, id)), 'proxy/forbidden', id);
    const https = result(report, `https:${B}:${origin.port}`);
    assert.equal(https.http?.status, 403);
    assert.equal(https.http?.servedBy, 'proxy');
    assert.ok(https.http?.proxyEvidence?.some((e) => e.includes('ERR_ACCESS_DENIED')));
    assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'ok');
  });

  test('407 is proxy/auth-required', async () => {
    const { report } = await viaProxy({ mode: 'auth-required' });
    assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'proxy/auth-required');
  });

  test('an answer that is not HTTP is proxy/bad-response', async () => {
    const { report } = await viaProxy({ mode: 'garbage' });
    assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'proxy/bad-response');
  });

  test('a proxy that never answers CONNECT is proxy/timeout', async () => {
    const { report } = await viaProxy({ mode: 'silent' }, { checkTimeoutMs: 800 });
    assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'proxy/timeout');
  });

  test('a proxy nobody listens on is proxy/unreachable', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const report = await probe({ ...base(), proxy: `http://127.0.0.1:${port}` });
    const https = result(report, `https:${A}:${origin.port}`);
    assert.equal(code(https), 'proxy/unreachable');
    assert.match(https.outcome.status === 'fail' ? https.outcome.message : '', /proxy 127\.0\.0\.1:\d+/);
  });

  test('HTTPS_PROXY from the environment, with NO_PROXY exempting one host', async () => {
    const proxy = await startConnectProxy();
    try {
      const report = await probe({ ...base(), env: { HTTPS_PROXY: proxy.url, NO_PROXY: `${B},localhost` } });
      assert.deepEqual(result(report, `https:${A}:${origin.port}`).path, {
        type: 'proxy',
        proxy: proxy.url,
        source: 'env',
      });
      assert.equal(result(report, `https:${B}:${origin.port}`).path.type, 'direct');
      assert.equal(code(result(report, `https:${B}:${origin.port}`)), 'ok');
      assert.equal(proxy.seen.includes(`${B}:${origin.port}`), false);
    } finally {
      await proxy.close();
    }
  });
});

describe('NO_PROXY matching', () => {
  test('follows curl: exact, subdomain, leading dot, port, and *', () => {
    assert.equal(bypassesProxy(['cloud.test'], 'a.cloud.test', 443), true);
    assert.equal(bypassesProxy(['.cloud.test'], 'cloud.test', 443), true);
    assert.equal(bypassesProxy(['cloud.test'], 'notcloud.test', 443), false);
    assert.equal(bypassesProxy(['cloud.test:8443'], 'a.cloud.test', 443), false);
    assert.equal(bypassesProxy(['cloud.test:8443'], 'a.cloud.test', 8443), true);
    assert.equal(bypassesProxy(['*'], 'anything', 1), true);
  });
});

describe('PAC', () => {
  test('evaluated per host: one host through the proxy, the other direct', async () => {
    const proxy = await startConnectProxy();
    const pac = join(dir, 'split.pac');
    await writeFile(
      pac,
      `function FindProxyForURL(url, host) { if (dnsDomainIs(host, "${A}")) return "PROXY 127.0.0.1:${proxy.port}; DIRECT"; return "DIRECT"; }`,
    );
    try {
      const report = await probe({ ...base(), pac });
      assert.deepEqual(result(report, `https:${A}:${origin.port}`).path, {
        type: 'proxy',
        proxy: proxy.url,
        source: 'pac',
      });
      assert.deepEqual(result(report, `https:${B}:${origin.port}`).path, { type: 'direct', source: 'pac' });
      assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'ok');
      assert.equal(report.environment.proxy.mode, 'pac');
    } finally {
      await proxy.close();
    }
  });

  const broken: [string, string, RegExp][] = [
    [
      'throws',
      'function FindProxyForURL(url, host) { throw new Error("pac exploded"); }',
      /threw: pac exploded/,
    ],
    ['does not compile', 'function FindProxyForURL(url, host) { return ( }', /does not compile/],
    // Regression: a looping PAC file used to block the run's timers for ever.
    [
      'loops for ever',
      'function FindProxyForURL(url, host) { while (true) {} }',
      /did not return within 5000 ms \(it loops or runs too long\)/,
    ],
    [
      'loops at load time',
      'while (true) {} function FindProxyForURL() { return "DIRECT"; }',
      /does not compile: it did not finish loading within 5000 ms/,
    ],
    [
      'returns nothing usable',
      'function FindProxyForURL(url, host) { return "SOCKS5 127.0.0.1:1080"; }',
      /no PROXY or DIRECT entry/,
    ],
  ];
  for (const [what, source, message] of broken) {
    test(`a PAC file that ${what} is NI_ERR_PAC_INVALID naming the file`, async () => {
      const pac = join(dir, `${what.replace(/\W/g, '-')}.pac`);
      await writeFile(pac, source);
      await assert.rejects(probe({ ...base(), pac }), (err: unknown) => {
        assert.ok(err instanceof NetinsightsError);
        assert.equal(err.code, 'NI_ERR_PAC_INVALID');
        assert.match(err.message, message);
        assert.ok(err.message.includes(pac));
        return true;
      });
    });
  }

  test('a PAC file served over HTTP is fetched and used; a 404 is NI_ERR_PAC_INVALID', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    const proxy = await startConnectProxy();
    const pacText = `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${proxy.port}"; }`;
    const server = createHttpServer((req, res) => {
      if (req.url === '/proxy.pac')
        res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(pacText);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base_ = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const report = await probe({ ...base(), pac: `${base_}/proxy.pac` });
      assert.equal(result(report, `https:${A}:${origin.port}`).path.source, 'pac');
      assert.equal(code(result(report, `https:${A}:${origin.port}`)), 'ok');
      assert.ok(proxy.seen.includes(`${A}:${origin.port}`));
      await assert.rejects(probe({ ...base(), pac: `${base_}/missing.pac` }), /download answered HTTP 404/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await proxy.close();
    }
  });

  test('a PAC file that does not exist is NI_ERR_PAC_INVALID', async () => {
    await assert.rejects(probe({ ...base(), pac: join(dir, 'missing.pac') }), /no such file/);
  });
});
