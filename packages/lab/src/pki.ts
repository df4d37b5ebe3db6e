/**
 * @module pki
 * A small certificate authority for the lab and for tests: roots,
 * intermediates and server certificates generated in memory at start, so no
 * key or certificate is ever committed. EC P-256 keys keep generation fast
 * (a few milliseconds per certificate) on a busy two-core machine.
 */
import {
  createHash,
  createPrivateKey,
  KeyObject,
  randomBytes,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A certificate a CA issued, with its key, ready for `tls.createServer`. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** Leaf then intermediates, PEM concatenated, no root. */
  chainPem: string;
}

/** A CA that can issue server certificates and sub-CAs. */
export interface CertificateAuthority {
  commonName: string;
  organization?: string;
  certPem: string;
  keyPem: string;
  /** SubjectPublicKeyInfo SHA-256, base64 — as pinned in service profiles. */
  spkiSha256: string;
  /** Issues a server certificate; hosts are DNS names or IP literals (SANs), with the serverAuth EKU. */
  issueServer(hosts: string[]): Promise<IssuedCertificate>;
  /** Issues an intermediate CA signed by this one. */
  issueIntermediate(commonName: string, organization?: string): Promise<CertificateAuthority>;
  /**
   * Cross-signs `other`: a CA certificate with other's subject and key,
   * issued by this CA. The result issues as `other` does (same key), and its
   * chains end in this CA — the way a new root is carried by an old one.
   */
  crossSign(other: CertificateAuthority): Promise<CertificateAuthority>;
}

const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** Subject of a CA: CN plus optional O. */
export interface CaSubject {
  commonName: string;
  organization?: string;
}

/** Creates a self-signed root CA. */
export async function createRootCa(subject: CaSubject): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const name = jsonName(subject);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    keys,
    // Backdated a day so clock skew between lab parts never makes it "not yet valid".
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return makeAuthority(subject, cert, keys, []);
}

async function makeAuthority(
  subject: CaSubject,
  cert: x509.X509Certificate,
  keys: CryptoKeyPair,
  /** PEMs of the CAs between this one and the root (excluding the root), nearest first. */
  parents: string[],
): Promise<CertificateAuthority> {
  const certPem = cert.toString('pem');
  const keyPem = await exportKey(keys.privateKey);
  const issuerName = cert.subjectName;
  const isRoot = parents.length === 0 && cert.subject === cert.issuer;
  // Intermediates above a leaf: this CA (unless it is the root) and its non-root parents.
  const chainAbove = isRoot ? [] : [certPem, ...parents];

  /** A CA certificate for `sub`'s key, issued by this CA. */
  const signCa = async (sub: CaSubject, publicKey: CryptoKey, pathLength: number | undefined) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: jsonName(sub),
      issuer: issuerName,
      publicKey,
      signingKey: keys.privateKey,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 1825 * DAY_MS),
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, pathLength, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
      ],
    });

  const authority: CertificateAuthority = {
    commonName: subject.commonName,
    ...(subject.organization === undefined ? {} : { organization: subject.organization }),
    certPem,
    keyPem,
    spkiSha256: spkiSha256OfPem(certPem),
    async issueServer(hosts) {
      if (hosts.length === 0) throw new Error('issueServer needs at least one host name or IP address');
      const leafKeys = await generateKeys();
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: jsonName({ commonName: hosts[0]! }),
        issuer: issuerName,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        notBefore: new Date(Date.now() - DAY_MS),
        // CA/B Forum baseline requirements cap server certificates at 398 days.
        notAfter: new Date(Date.now() + 397 * DAY_MS),
        signingAlgorithm: SIGNING_ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(
            hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h })),
          ),
          await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      const leafPem = leaf.toString('pem');
      return {
        certPem: leafPem,
        keyPem: await exportKey(leafKeys.privateKey),
        chainPem: [leafPem, ...chainAbove].join('\n'),
      };
    },
    async issueIntermediate(commonName, organization) {
      const sub: CaSubject = organization === undefined ? { commonName } : { commonName, organization };
      const subKeys = await generateKeys();
      // A path length of 0: an intermediate issues leaves only.
      return makeAuthority(sub, await signCa(sub, subKeys.publicKey, 0), subKeys, chainAbove);
    },
    async crossSign(other) {
      const otherKeys = await importKeys(other.certPem, other.keyPem);
      const sub: CaSubject =
        other.organization === undefined
          ? { commonName: other.commonName }
          : { commonName: other.commonName, organization: other.organization };
      // No path length: the cross-signed CA keeps issuing its own intermediates.
      return makeAuthority(sub, await signCa(sub, otherKeys.publicKey, undefined), otherKeys, chainAbove);
    },
  };
  return authority;
}

/** The key pair of a CA certificate and its PKCS#8 key (PEM). */
async function importKeys(certPem: string, keyPem: string): Promise<CryptoKeyPair> {
  const cert = new X509Certificate(certPem);
  return {
    publicKey: (await webcrypto.subtle.importKey(
      'spki',
      cert.publicKey.export({ type: 'spki', format: 'der' }),
      EC_ALGORITHM,
      true,
      ['verify'],
    )) as CryptoKey,
    privateKey: (await webcrypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' }),
      EC_ALGORITHM,
      true,
      ['sign'],
    )) as CryptoKey,
  };
}

/** What a CA is as data (PEM and names), e.g. to hand it to a worker thread. */
export type CaData = Pick<CertificateAuthority, 'commonName' | 'organization' | 'certPem' | 'keyPem'>;

export function caData(ca: CertificateAuthority): CaData {
  return {
    commonName: ca.commonName,
    ...(ca.organization === undefined ? {} : { organization: ca.organization }),
    certPem: ca.certPem,
    keyPem: ca.keyPem,
  };
}

/**
 * The CA again from its data: issues as the original does. `parents` are
 * the intermediates between it and the root (none for the lab's CAs, which
 * are roots or sit right under one).
 */
export async function caFromData(ca: CaData, parents: string[] = []): Promise<CertificateAuthority> {
  const subject: CaSubject =
    ca.organization === undefined
      ? { commonName: ca.commonName }
      : { commonName: ca.commonName, organization: ca.organization };
  return makeAuthority(
    subject,
    new x509.X509Certificate(ca.certPem),
    await importKeys(ca.certPem, ca.keyPem),
    parents,
  );
}

/** SPKI SHA-256 (base64) of the first certificate in a PEM string, as Node computes it. */
export function spkiSha256OfPem(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return KeyObject.from(key as webcrypto.CryptoKey).export({ type: 'pkcs8', format: 'pem' }) as string;
}

function jsonName(subject: CaSubject): x509.JsonName {
  const name: x509.JsonName = [];
  if (subject.organization !== undefined) name.push({ O: [subject.organization] });
  name.push({ CN: [subject.commonName] });
  return name;
}

/** RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes with the top bit cleared. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
