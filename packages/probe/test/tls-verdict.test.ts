/**
 * TLS checks against real local TLS servers with chains generated at test
 * time: genuine (pinned root, or name-only root the machine trusts),
 * intercepted by a named vendor, intercepted by an unknown CA the machine
 * trusts, untrusted, hostname mismatch, and servers that send garbage.
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
import { startGarbageServer } from './helpers/garbage-tls-server.ts';
import { type Origin, startOrigin } from './helpers/origin-server.ts';

const A = HOSTS[0] as string;
let pki: Pki;
before(async () => {
  pki = await testPki();
});

async function withOrigin<T>(
  issuer: 'genuine' | 'zscaler' | 'unknown' | 'stranger',
  fn: (o: Origin) => Promise<T>,
  names = ALL_NAMES,
): Promise<T> {
  const ca = {
    genuine: pki.genuineIssuing,
    zscaler: pki.zscaler,
    unknown: pki.unknownInterceptor,
    stranger: pki.stranger,
  }[issuer];
  const leaf = await ca.issueServer(names);
  const origin = await startOrigin({
    certPem: leaf.certPem,
    keyPem: leaf.keyPem,
    chainPem: leaf.chainPem,
    h2: true,
  });
  try {
    return await fn(origin);
  } finally {
    await origin.close();
  }
}

describe('TLS verdict', () => {
  test('a chain that verifies up to the pinned root is genuine, and the machine trusting the root is recorded', async () => {
    await withOrigin('genuine', async (o) => {
      const report = await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.genuineRoot.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'ok');
      assert.equal(tls.tls?.verdict, 'genuine');
      assert.equal(tls.tls?.matchedCa, 'NI Test Genuine Root');
      assert.equal(tls.tls?.trustedBySystem, true);
      assert.deepEqual(tls.tls?.alpnOffered, ['h2', 'http/1.1']);
      assert.equal(tls.tls?.alpnNegotiated, 'h2');
      assert.match(tls.tls?.protocol ?? '', /^TLSv1\.[23]$/);
      // Leaf, issuing CA, and the root the verifier found.
      assert.deepEqual(
        tls.tls?.chain.map((c) => c.subjectCN),
        [A, 'NI Test Issuing CA 01', 'NI Test Genuine Root'],
      );
      assert.equal(tls.tls?.chain[2]?.spkiSha256, pki.genuineRoot.spkiSha256);
      assert.match(tls.tls?.chain[0]?.sha256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    });
  });

  test('a pin is checked only on a certificate the probe sees: a served, pinned issuing CA is genuine without any trust store', async () => {
    await withOrigin('genuine', async (o) => {
      // The root is neither served nor trusted: the pin cannot be checked, so it is not genuine...
      const unpinned = await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(o.port),
      });
      assert.equal(result(unpinned, `tls:${A}:${o.port}`).tls?.verdict, 'untrusted');
      // ...but pinning the issuing CA (served) makes it genuine without any trust store.
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot });
      profile.expectedCas.push({
        name: 'NI Test Issuing CA 01',
        role: 'intermediate',
        spkiSha256: pki.genuineIssuing.spkiSha256,
      });
      const report = await probe({ profile, resolve: loopbackPins(o.port) });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(tls.tls?.verdict, 'genuine');
      assert.equal(tls.tls?.matchedCa, 'NI Test Issuing CA 01');
      assert.equal(tls.tls?.trustedBySystem, false);
      assert.ok(tls.tls?.systemTrustError);
    });
  });

  test('a CA named without a pin counts only when the machine trusts the chain', async () => {
    await withOrigin('genuine', async (o) => {
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot, nameOnly: true });
      const trusted = await probe({
        profile,
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.genuineRoot.certPem],
      });
      assert.equal(result(trusted, `tls:${A}:${o.port}`).tls?.verdict, 'genuine');
      const untrusted = await probe({ profile, resolve: loopbackPins(o.port) });
      assert.equal(code(result(untrusted, `tls:${A}:${o.port}`)), 'tls/untrusted');
    });
  });

  test('a chain from a vendor CA is intercepted and names the vendor', async () => {
    await withOrigin('zscaler', async (o) => {
      const report = await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(o.port),
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.verdict, 'intercepted');
      assert.equal(tls.tls?.vendor, 'Zscaler');
      assert.match(tls.tls?.issuer ?? '', /Zscaler Root CA/);
      // The request itself went through: interception is its own finding, not an HTTPS failure.
      assert.equal(code(result(report, `https:${A}:${o.port}`)), 'ok');
    });
  });

  test('an unknown CA this machine trusts (pushed enterprise CA) is an "unknown interceptor" with its issuer', async () => {
    await withOrigin('unknown', async (o) => {
      const report = await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.unknownInterceptor.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.vendor, 'unknown interceptor');
      assert.match(tls.tls?.issuer ?? '', /CN=Acme Inspection CA/);
      assert.equal(tls.tls?.trustedBySystem, true);
    });
  });

  test('an unknown CA nobody trusts is untrusted', async () => {
    await withOrigin('stranger', async (o) => {
      const report = await probe({
        profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(o.port),
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/untrusted');
      assert.equal(tls.tls?.trustedBySystem, false);
      assert.match(tls.outcome.status === 'fail' ? tls.outcome.message : '', /Somebody Else Root/);
    });
  });

  test('a genuine certificate for other names is a hostname mismatch', async () => {
    await withOrigin(
      'genuine',
      async (o) => {
        const report = await probe({
          profile: testProfile({ port: o.port, genuineRoot: pki.genuineRoot }),
          resolve: loopbackPins(o.port),
          extraTrustedCas: [pki.genuineRoot.certPem],
        });
        assert.equal(code(result(report, `tls:${A}:${o.port}`)), 'tls/hostname-mismatch');
      },
      ['elsewhere.example'],
    );
  });

  test('a certificate that cannot be parsed is tls/bad-certificate, not a crash', async () => {
    const server = await startGarbageServer('cert');
    try {
      const report = await probe({
        profile: testProfile({ port: server.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(server.port),
      });
      const tls = result(report, `tls:${A}:${server.port}`);
      assert.equal(code(tls), 'tls/bad-certificate');
      // The HTTPS check names the same root cause; HTTP/2 could not be judged.
      assert.equal(code(result(report, `https:${A}:${server.port}`)), 'tls/bad-certificate');
      assert.equal(code(result(report, `http2:${A}:${server.port}`)), 'probe/skipped');
    } finally {
      await server.close();
    }
  });

  test('a server that answers TLS with noise is tls/handshake-failed', async () => {
    const server = await startGarbageServer('noise');
    try {
      const report = await probe({
        profile: testProfile({ port: server.port, genuineRoot: pki.genuineRoot }),
        resolve: loopbackPins(server.port),
      });
      const tls = result(report, `tls:${A}:${server.port}`);
      assert.equal(code(tls), 'tls/handshake-failed');
      assert.match(tls.outcome.status === 'fail' ? tls.outcome.message : '', /did not speak TLS/);
    } finally {
      await server.close();
    }
  });
});
