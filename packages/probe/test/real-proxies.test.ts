/**
 * The probe through real third-party proxies from Debian, not only through
 * our own: squid (plain CONNECT, and an ACL that denies one domain) and
 * mitmproxy (TLS interception with the CA it generates in its confdir). The
 * binaries are started on free loopback ports with throw-away config; when
 * one is not installed its tests skip and say so (CI installs both).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startConnectProxy, type TestProxy } from './helpers/connect-proxy.ts';
import {
  type ExternalProcess,
  fileExists,
  squidBaseConfig,
  startExternal,
  which,
} from './helpers/external-proxy.ts';
import {
  ALL_NAMES,
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
before(async () => {
  pki = await testPki();
  origin = await startGenuineOrigin(pki, { h2: true });
});
after(() => origin.close());

const base = () => ({
  profile: testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
  resolve: loopbackPins(origin.port),
  extraTrustedCas: [pki.genuineRoot.certPem],
});

const squid = which('squid');
describe('through squid', { skip: squid ? false : 'squid is not installed (apt-get install squid)' }, () => {
  let proxy: ExternalProcess;
  before(async () => {
    proxy = await startExternal({
      binary: squid ?? 'squid',
      prepare: async (dir, port) => {
        // The test names resolve to loopback through squid's own hosts file.
        await writeFile(join(dir, 'hosts'), `127.0.0.1 ${ALL_NAMES.join(' ')}\n`);
        await writeFile(
          join(dir, 'squid.conf'),
          [
            ...squidBaseConfig(dir, port),
            'acl localsrc src 127.0.0.0/8',
            // The classic allow-list that does not know a domain yet.
            `acl blocked dstdomain ${B}`,
            'http_access deny blocked',
            'http_access allow localsrc',
            'http_access deny all',
          ].join('\n'),
        );
      },
      args: (dir) => ['-N', '-f', join(dir, 'squid.conf')],
    });
  });
  after(() => proxy?.stop());

  test('CONNECT through squid: HTTPS, TLS genuine, WebSocket and download all work', async () => {
    const report = await probe({ ...base(), proxy: `http://127.0.0.1:${proxy.port}` });
    const https = result(report, `https:${A}:${origin.port}`);
    assert.equal(code(https), 'ok');
    assert.equal(https.path.type, 'proxy');
    assert.equal(result(report, `tls:${A}:${origin.port}`).tls?.verdict, 'genuine');
    assert.equal(code(result(report, `websocket:ws.cloud.test:${origin.port}`)), 'ok');
    assert.equal(code(result(report, `throughput:dl.cloud.test:${origin.port}`)), 'ok');
  });

  test('a squid ACL denying a domain is proxy/forbidden, with squid’s own evidence', async () => {
    const report = await probe({ ...base(), proxy: `http://127.0.0.1:${proxy.port}` });
    const https = result(report, `https:${B}:${origin.port}`);
    assert.equal(code(https), 'proxy/forbidden');
    assert.equal(https.http?.status, 403);
    assert.ok(
      https.http?.proxyEvidence?.some((e) => /ERR_ACCESS_DENIED/.test(e)),
      JSON.stringify(https.http),
    );
  });
});

const mitmdump = which('mitmdump');
describe('through mitmproxy (intercepting)', {
  skip: mitmdump ? false : 'mitmproxy is not installed (apt-get install mitmproxy)',
}, () => {
  let proxy: ExternalProcess;
  let upstream: TestProxy;
  before(async () => {
    // mitmproxy resolves names itself; chaining it to our loopback CONNECT proxy keeps every name on 127.0.0.1.
    upstream = await startConnectProxy();
    proxy = await startExternal({
      binary: mitmdump ?? 'mitmdump',
      args: (dir, port) => [
        '--listen-host',
        '127.0.0.1',
        '--listen-port',
        String(port),
        '--set',
        `confdir=${dir}`,
        '--mode',
        `upstream:http://127.0.0.1:${upstream.port}`,
        // The test origin's CA is not one mitmproxy knows.
        '--ssl-insecure',
        '-q',
      ],
      ready: (dir) => fileExists(join(dir, 'mitmproxy-ca-cert.pem')),
      timeoutMs: 30_000,
    });
  });
  after(async () => {
    await proxy?.stop();
    await upstream?.close();
  });

  test('TLS through mitmproxy is intercepted, vendor "mitmproxy"', async () => {
    const report = await probe({ ...base(), proxy: `http://127.0.0.1:${proxy.port}` });
    const tls = result(report, `tls:${A}:${origin.port}`);
    assert.equal(code(tls), 'tls/intercepted');
    assert.equal(tls.tls?.vendor, 'mitmproxy');
    assert.equal(tls.tls?.trustedBySystem, false);
    // The request itself still reached the origin through the interceptor.
    assert.equal(result(report, `https:${A}:${origin.port}`).http?.status, 200);
  });

  test('with mitmproxy’s CA installed on this machine it is still intercepted, and trusted', async () => {
    const ca = readFileSync(join(proxy.dir, 'mitmproxy-ca-cert.pem'), 'utf8');
    const report = await probe({
      ...base(),
      proxy: `http://127.0.0.1:${proxy.port}`,
      extraTrustedCas: [pki.genuineRoot.certPem, ca],
    });
    const tls = result(report, `tls:${A}:${origin.port}`);
    assert.equal(tls.tls?.verdict, 'intercepted');
    assert.equal(tls.tls?.vendor, 'mitmproxy');
    assert.equal(tls.tls?.trustedBySystem, true);
  });
});
