/**
 * HTTPS and HTTP/2 checks against real local origins: status and who
 * answered (origin or proxy), block pages, an origin that sends garbage, and
 * HTTP/2 downgrades by a TLS-terminating middlebox.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
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
import { type OriginOptions, startOrigin } from './helpers/origin-server.ts';

const A = HOSTS[0] as string;
let pki: Pki;
before(async () => {
  pki = await testPki();
});

async function run(issuer: 'genuine' | 'zscaler', origin: Partial<OriginOptions>, path = '/') {
  const leaf = await (issuer === 'genuine' ? pki.genuineIssuing : pki.zscaler).issueServer(ALL_NAMES);
  const o = await startOrigin({
    certPem: leaf.certPem,
    keyPem: leaf.keyPem,
    chainPem: leaf.chainPem,
    ...origin,
  });
  try {
    return {
      port: o.port,
      report: await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot, path }),
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.genuineRoot.certPem],
      }),
    };
  } finally {
    await o.close();
  }
}

describe('HTTPS', () => {
  test('a healthy origin: status, origin attribution and phase timings', async () => {
    const { port, report } = await run('genuine', { h2: true });
    const https = result(report, `https:${A}:${port}`);
    assert.equal(code(https), 'ok');
    assert.equal(https.http?.status, 200);
    assert.equal(https.http?.servedBy, 'origin');
    assert.equal(https.http?.httpVersion, '2');
    for (const phase of ['dnsMs', 'connectMs', 'tlsMs', 'firstByteMs', 'totalMs'] as const)
      assert.equal(typeof https.timings?.[phase], 'number', phase);
    assert.equal(result(report, `dns:${A}:${port}`).dns?.pinned, true);
  });

  test('an error status from the genuine origin still proves the path (origin answered), a 5xx does not', async () => {
    const notFound = await run('genuine', {}, '/status/404');
    assert.equal(code(result(notFound.report, `https:${A}:${notFound.port}`)), 'ok');
    const broken = await run('genuine', {}, '/status/503');
    const https = result(broken.report, `https:${A}:${broken.port}`);
    assert.equal(code(https), 'http/status');
    assert.equal(https.http?.status, 503);
  });

  test('a 403 block page behind an intercepting proxy is http/block-page, attributed to the proxy', async () => {
    const { port, report } = await run('zscaler', { headers: { via: '1.1 corp-gateway' } }, '/blocked');
    const https = result(report, `https:${A}:${port}`);
    assert.equal(code(https), 'http/block-page');
    assert.equal(https.http?.servedBy, 'proxy');
    assert.ok(https.http?.proxyEvidence?.some((e) => e.includes('via: 1.1 corp-gateway')));
  });

  test('a server that answers the request with garbage is http/bad-response', async () => {
    const { port, report } = await run('genuine', {}, '/garbage');
    assert.equal(code(result(report, `https:${A}:${port}`)), 'http/bad-response');
  });
});

describe('HTTP/2', () => {
  test('the genuine origin negotiating h2 is not a downgrade', async () => {
    const { port, report } = await run('genuine', { h2: true });
    const h2 = result(report, `http2:${A}:${port}`);
    assert.equal(code(h2), 'ok');
    assert.deepEqual(h2.http2, { originOffersH2: true, negotiated: 'h2', downgraded: false });
  });

  test('an intercepting middlebox that only speaks HTTP/1.1 is http/downgraded', async () => {
    const { port, report } = await run('zscaler', { h2: false });
    const h2 = result(report, `http2:${A}:${port}`);
    assert.equal(code(h2), 'http/downgraded');
    assert.equal(h2.http2?.negotiated, 'http/1.1');
    assert.equal(h2.http2?.downgraded, true);
  });

  test('a genuine origin that itself only speaks HTTP/1.1 is not a path problem', async () => {
    const { port, report } = await run('genuine', { h2: false });
    const h2 = result(report, `http2:${A}:${port}`);
    assert.equal(code(h2), 'ok');
    assert.deepEqual(h2.http2, { originOffersH2: false, negotiated: 'http/1.1', downgraded: false });
  });
});
