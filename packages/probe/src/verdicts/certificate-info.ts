/**
 * @module certificate-info
 * Turns an X.509 certificate into the report's CertificateInfo: names,
 * validity, the SHA-256 fingerprint and the SPKI SHA-256 pin (base64, the
 * form HPKP and service profiles use).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '@netinsights/protocol';

/** Value of one attribute (CN, O, OU…) in a node X509 distinguished-name string. */
export function dnAttribute(dn: string, key: string): string | undefined {
  for (const line of dn.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim() === key) return line.slice(eq + 1).trim();
  }
  return undefined;
}

/** A distinguished name on one line, most specific first: `CN=…, O=…, C=…`. */
export function oneLineDn(dn: string): string {
  return dn
    .split('\n')
    .filter((l) => l.length > 0)
    .reverse()
    .join(', ');
}

export function spkiSha256(cert: X509Certificate): string {
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function certificateInfo(cert: X509Certificate): CertificateInfo {
  const sans = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''))
    .filter((s) => s.length > 0)
    .slice(0, 200)
    .map((s) => clip(s, 253));
  const subjectCN = dnAttribute(cert.subject, 'CN');
  const issuerCN = dnAttribute(cert.issuer, 'CN');
  const issuerO = dnAttribute(cert.issuer, 'O');
  return {
    subject: clip(oneLineDn(cert.subject), 1024),
    issuer: clip(oneLineDn(cert.issuer), 1024),
    ...(subjectCN ? { subjectCN: clip(subjectCN, 512) } : {}),
    ...(issuerCN ? { issuerCN: clip(issuerCN, 512) } : {}),
    ...(issuerO ? { issuerO: clip(issuerO, 512) } : {}),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    serialNumber: clip(cert.serialNumber, 128),
    sha256: cert.fingerprint256,
    spkiSha256: spkiSha256(cert),
    isCA: cert.ca,
    ...(sans.length ? { subjectAltNames: sans } : {}),
  };
}
