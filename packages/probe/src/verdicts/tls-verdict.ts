/**
 * @module tls-verdict
 * Genuine, intercepted or untrusted — from the chain a server served.
 *
 * - genuine: the chain's signatures verify, link by link, up to a CA the
 *   profile pins by SPKI SHA-256 (served, or found in the trust store); a CA
 *   the profile names without a pin counts only when the chain also verifies
 *   against a trust store (a name alone can be forged by anyone).
 * - intercepted: another issuer; the vendor comes from the profile's table,
 *   else "unknown interceptor" when this machine trusts the chain anyway (an
 *   enterprise CA pushed to endpoints — the classic interception set-up).
 * - untrusted: neither genuine nor a recognisable interceptor, and the
 *   machine does not trust it either.
 */
import type { X509Certificate } from 'node:crypto';
import type { ExpectedCa, InterceptorVendor, TlsVerdict } from '@netinsights/protocol';
import { recognizeVendor } from '@netinsights/protocol';
import { dnAttribute, oneLineDn, spkiSha256 } from './certificate-info.ts';

export const UNKNOWN_INTERCEPTOR = 'unknown interceptor';

export interface VerdictInput {
  /** As served, leaf first (plus the trust-store CA that completes it, when there is one). */
  served: X509Certificate[];
  /** OpenSSL verified the chain against the trust store (hostname aside). */
  chainTrusted: boolean;
  expectedCas: ExpectedCa[];
  vendors: InterceptorVendor[];
}

export interface Verdict {
  verdict: TlsVerdict;
  matchedCa?: string;
  vendor?: string;
  /** Issuer of the topmost served certificate, one line. */
  issuer?: string;
  /** The path the verifier built, leaf first (served certificates plus any anchor it found). */
  path: X509Certificate[];
}

function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Builds the signature-checked path from the leaf upwards (bounded, no loops). */
export function buildPath(served: X509Certificate[]): X509Certificate[] {
  const leaf = served[0];
  if (!leaf) return [];
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    if (issues(current, current)) break; // self-signed: a root
    const next = served.find((c) => !path.includes(c) && issues(c, current));
    if (!next) break;
    path.push(next);
    current = next;
  }
  return path;
}

export function tlsVerdict(input: VerdictInput): Verdict {
  const path = buildPath(input.served);
  // The issuer an admin looks up: that of the topmost certificate the server itself sent
  // (a store root appended by Node is self-issued and says nothing about the path).
  const sent = input.served.filter((c, i) => i === 0 || !issues(c, c));
  const top = sent[sent.length - 1];
  const issuer = top ? oneLineDn(top.issuer) : undefined;
  const pins = new Map(input.expectedCas.filter((ca) => ca.spkiSha256).map((ca) => [ca.spkiSha256, ca.name]));
  for (const cert of path.slice(1)) {
    const name = pins.get(spkiSha256(cert));
    if (name) return { verdict: 'genuine', matchedCa: name, ...(issuer ? { issuer } : {}), path };
  }
  if (input.chainTrusted) {
    const named = input.expectedCas.filter((ca) => !ca.spkiSha256).map((ca) => ca.name.toLowerCase());
    for (const cert of path.slice(1)) {
      const cn = dnAttribute(cert.subject, 'CN')?.toLowerCase();
      if (cn && named.includes(cn)) {
        const matched = input.expectedCas.find((ca) => ca.name.toLowerCase() === cn);
        return {
          verdict: 'genuine',
          ...(matched ? { matchedCa: matched.name } : {}),
          ...(issuer ? { issuer } : {}),
          path,
        };
      }
    }
  }
  // Vendor names sit in the issuer fields of what was served (and of the root, when found).
  const parts = [...input.served, ...path].flatMap((c) =>
    ['O', 'OU', 'CN']
      .map((k) => dnAttribute(c.issuer, k) ?? '')
      .concat(
        c === path[path.length - 1]
          ? [dnAttribute(c.subject, 'O') ?? '', dnAttribute(c.subject, 'CN') ?? '']
          : [],
      ),
  );
  const vendor = recognizeVendor(
    input.vendors,
    parts.filter((p) => p.length > 0),
  );
  if (vendor) return { verdict: 'intercepted', vendor, ...(issuer ? { issuer } : {}), path };
  if (input.chainTrusted)
    return { verdict: 'intercepted', vendor: UNKNOWN_INTERCEPTOR, ...(issuer ? { issuer } : {}), path };
  return { verdict: 'untrusted', ...(issuer ? { issuer } : {}), path };
}
