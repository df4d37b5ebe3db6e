/**
 * TLS checks against real local TLS servers with chains generated at test
 * time: genuine (pinned root, served or from the store; name-only CA on a
 * path ending in a public root, cross-signed included), impersonated
 * (name-only match through an enterprise root, a forged intermediate or
 * root named like the expected one),
 * intercepted by a named vendor, intercepted by an unknown CA the machine
 * trusts, untrusted, hostname mismatch, and servers that send garbage.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createRootCa } from '@netinsights/lab/pki.ts';
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

  test('a CA named without a pin counts only on a trusted path ending in a public root', async () => {
    await withOrigin('genuine', async (o) => {
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot, nameOnly: true });
      // The root as part of the public bundled store (the test stands in for Mozilla's): genuine.
      const publicRoot = await probe({
        profile,
        resolve: loopbackPins(o.port),
        extraPublicCas: [pki.genuineRoot.certPem],
      });
      const tls = result(publicRoot, `tls:${A}:${o.port}`);
      assert.equal(tls.tls?.verdict, 'genuine');
      assert.equal(tls.tls?.matchedCa, 'NI Test Genuine Root');
      // Without it the root is never seen: nothing to match, nothing to trust.
      const untrusted = await probe({ profile, resolve: loopbackPins(o.port) });
      assert.equal(code(result(untrusted, `tls:${A}:${o.port}`)), 'tls/untrusted');
    });
  });

  // Behaviour change (issue 16): the machine's own store used to be enough for a name-only CA.
  test('regression: a name-only match trusted only through the machine store is intercepted and impersonating', async () => {
    await withOrigin('genuine', async (o) => {
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot, nameOnly: true });
      const report = await probe({
        profile,
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.genuineRoot.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.impersonates, 'NI Test Genuine Root');
      assert.equal(tls.tls?.trustedBySystem, true);
      assert.match(tls.outcome.status === 'fail' ? tls.outcome.message : '', /posing as the service's CA/);
    });
  });

  async function withChain<T>(
    ca: { issueServer(hosts: string[]): Promise<{ certPem: string; keyPem: string; chainPem: string }> },
    fn: (o: Origin) => Promise<T>,
    alsoServe = '',
  ): Promise<T> {
    const leaf = await ca.issueServer(ALL_NAMES);
    const chainPem = alsoServe ? `${leaf.chainPem}\n${alsoServe}` : leaf.chainPem;
    const origin = await startOrigin({ certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem });
    try {
      return await fn(origin);
    } finally {
      await origin.close();
    }
  }

  test('an interceptor’s intermediate carrying the expected intermediate’s name is impersonating it', async () => {
    // Zscaler's root issues a sub-CA named like the service's issuing CA; the machine trusts Zscaler.
    const forged = await pki.zscaler.issueIntermediate('NI Test Issuing CA 01', 'netinsights test service');
    await withChain(forged, async (o) => {
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot });
      profile.expectedCas.push({ name: 'NI Test Issuing CA 01', role: 'intermediate' });
      const report = await probe({
        profile,
        resolve: loopbackPins(o.port),
        extraTrustedCas: [pki.zscaler.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.vendor, 'Zscaler');
      assert.equal(tls.tls?.impersonates, 'NI Test Issuing CA 01');
    });
  });

  test('a root named like the pinned root but with another key is impersonating it, in the store or served', async () => {
    const lookalike = await createRootCa({ commonName: 'NI Test Genuine Root', organization: 'Acme Corp' });
    const issuing = await lookalike.issueIntermediate('Acme Issuing', 'Acme Corp');
    const check = async (o: Origin, extraTrustedCas: string[]) => {
      const profile = testProfile({ port: o.port, genuineRoot: pki.genuineRoot });
      const report = await probe({ profile, resolve: loopbackPins(o.port), extraTrustedCas });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.impersonates, 'NI Test Genuine Root');
    };
    await withChain(issuing, (o) => check(o, [lookalike.certPem]));
    await withChain(issuing, (o) => check(o, []), lookalike.certPem);
  });

  test('cross-signed: a name-only new root carried by a public old root is genuine; by an enterprise root, impersonated', async () => {
    const g2 = await createRootCa({
      commonName: 'NI Test Root G2',
      organization: 'netinsights test service',
    });
    const viaPublic = await (await pki.genuineRoot.crossSign(g2)).issueIntermediate('NI Test Issuing G2');
    const enterprise = await createRootCa({ commonName: 'Contoso Enterprise Root', organization: 'Contoso' });
    const viaEnterprise = await (await enterprise.crossSign(g2)).issueIntermediate('NI Test Issuing G2');
    const profileFor = (port: number) => {
      const profile = testProfile({ port, genuineRoot: pki.genuineRoot, nameOnly: true });
      profile.expectedCas = [{ name: 'NI Test Root G2', role: 'root' }];
      return profile;
    };
    await withChain(viaPublic, async (o) => {
      const report = await probe({
        profile: profileFor(o.port),
        resolve: loopbackPins(o.port),
        extraPublicCas: [pki.genuineRoot.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(tls.tls?.verdict, 'genuine');
      assert.equal(tls.tls?.matchedCa, 'NI Test Root G2');
    });
    await withChain(viaEnterprise, async (o) => {
      const report = await probe({
        profile: profileFor(o.port),
        resolve: loopbackPins(o.port),
        extraTrustedCas: [enterprise.certPem],
      });
      const tls = result(report, `tls:${A}:${o.port}`);
      assert.equal(code(tls), 'tls/intercepted');
      assert.equal(tls.tls?.impersonates, 'NI Test Root G2');
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
