/**
 * @module pki.test
 * The lab PKI issues chains that real TLS stacks accept: a node:tls server
 * with an issued certificate verifies against the root, names and SANs are
 * right, and the SPKI pin matches what Node computes.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { type CertificateAuthority, createRootCa } from '../src/pki.ts';

function spkiOf(pem: string): string {
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

async function tlsServer(cert: string, key: string): Promise<tls.Server> {
  const server = tls.createServer({ cert, key }, (socket) => socket.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function connect(
  port: number,
  options: tls.ConnectionOptions,
): Promise<{ authorized: boolean; error?: string; peer: tls.PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options }, () => {
      const result = {
        authorized: socket.authorized,
        ...(socket.authorizationError ? { error: String(socket.authorizationError) } : {}),
        peer: socket.getPeerCertificate(true),
      };
      socket.destroy();
      resolve(result);
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
  });
}

describe('lab PKI', () => {
  let root: CertificateAuthority;
  let intermediate: CertificateAuthority;
  let server: tls.Server;
  let port: number;

  before(async () => {
    root = await createRootCa({ commonName: 'Test Root CA', organization: 'Netinsights Lab' });
    intermediate = await root.issueIntermediate('Test Issuing CA 01', 'Netinsights Lab');
    const issued = await intermediate.issueServer(['m365.cloud.microsoft', '127.0.0.1']);
    server = await tlsServer(issued.chainPem, issued.keyPem);
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a client trusting only the root verifies the served chain for a DNS SAN', async () => {
    const r = await connect(port, { ca: [root.certPem], servername: 'm365.cloud.microsoft' });
    assert.equal(r.authorized, true, r.error);
    assert.equal(r.peer.subject.CN, 'm365.cloud.microsoft');
    assert.equal(r.peer.issuer.CN, 'Test Issuing CA 01');
    assert.equal(r.peer.issuer.O, 'Netinsights Lab');
  });

  it('an IP literal SAN is honoured', async () => {
    const r = await connect(port, { ca: [root.certPem] });
    assert.equal(r.authorized, true, r.error);
  });

  it('a client that does not trust the root rejects the chain', async () => {
    const other = await createRootCa({ commonName: 'Unrelated Root' });
    const r = await connect(port, {
      ca: [other.certPem],
      servername: 'm365.cloud.microsoft',
      rejectUnauthorized: false,
    });
    assert.equal(r.authorized, false);
  });

  it('a name outside the SANs fails hostname verification', async () => {
    await assert.rejects(connect(port, { ca: [root.certPem], servername: 'teams.cloud.microsoft' }), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('the served chain holds leaf and intermediate, not the root', async () => {
    const issued = await intermediate.issueServer(['a.example']);
    const certs = issued.chainPem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
    assert.equal(certs.length, 2);
    assert.ok(issued.chainPem.startsWith(issued.certPem.trim().slice(0, 40)));
    assert.ok(!issued.chainPem.includes(root.certPem.trim()));
    const leaf = new X509Certificate(issued.certPem);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(new X509Certificate(intermediate.certPem)));
    assert.ok(new X509Certificate(intermediate.certPem).ca);
  });

  it('the SPKI pin equals the SHA-256 of the certificate public key SPKI', () => {
    assert.equal(root.spkiSha256, spkiOf(root.certPem));
    assert.equal(intermediate.spkiSha256, spkiOf(intermediate.certPem));
    assert.notEqual(root.spkiSha256, intermediate.spkiSha256);
    assert.match(root.spkiSha256, /^[A-Za-z0-9+/]{43}=$/);
  });

  it('a root issues servers directly with a one-certificate chain', async () => {
    const issued = await root.issueServer(['b.example']);
    assert.equal((issued.chainPem.match(/BEGIN CERTIFICATE/g) ?? []).length, 1);
    assert.ok(new X509Certificate(issued.certPem).checkIssued(new X509Certificate(root.certPem)));
  });
});
