/**
 * @module tls-verdict
 * Genuine, intercepted or untrusted — from the chain a server served.
 *
 * - genuine: the chain's signatures verify, link by link, up to a CA the
 *   profile pins by SPKI SHA-256 (served, or found in the trust store); or
 *   a CA the profile names without a pin is on a trusted path that ends in
 *   a root of the public bundled store (Mozilla's, as Node ships it). A name
 *   alone can be forged by anyone, and the machine's own store is no proof:
 *   an enterprise interception root sits there by design.
 * - intercepted: another issuer; the vendor comes from the profile's table,
 *   else "unknown interceptor" when this machine trusts the chain anyway (an
 *   enterprise CA pushed to endpoints — the classic interception set-up).
 *   A certificate on the path that carries an expected CA's name without its
 *   pinned key or a public root behind it is *impersonating* that CA: always
 *   intercepted, and named as such.
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
  /** SPKI SHA-256 of the public bundled roots (trust-store.ts); none means no name-only CA can be genuine. */
  publicRoots?: ReadonlySet<string>;
}

export interface Verdict {
  verdict: TlsVerdict;
  matchedCa?: string;
  vendor?: string;
  /** The expected CA whose name a certificate on the path carries falsely (intercepted only). */
  impersonates?: string;
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
  // A CA the profile names counts only on a trusted path ending in a public root;
  // its name anywhere else (or a pinned CA's name on another key) is a forgery.
  const anchor = path[path.length - 1];
  const publicAnchor =
    input.chainTrusted &&
    path.length > 1 &&
    anchor !== undefined &&
    issues(anchor, anchor) &&
    (input.publicRoots?.has(spkiSha256(anchor)) ?? false);
  let impersonates: string | undefined;
  for (const cert of path.slice(1)) {
    const cn = dnAttribute(cert.subject, 'CN')?.toLowerCase();
    const matched = cn ? input.expectedCas.find((ca) => ca.name.toLowerCase() === cn) : undefined;
    if (!matched) continue;
    if (!matched.spkiSha256 && publicAnchor)
      return { verdict: 'genuine', matchedCa: matched.name, ...(issuer ? { issuer } : {}), path };
    impersonates ??= matched.name;
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
  const posing = impersonates ? { impersonates } : {};
  if (vendor) return { verdict: 'intercepted', vendor, ...posing, ...(issuer ? { issuer } : {}), path };
  if (input.chainTrusted || impersonates)
    return {
      verdict: 'intercepted',
      vendor: UNKNOWN_INTERCEPTOR,
      ...posing,
      ...(issuer ? { issuer } : {}),
      path,
    };
  return { verdict: 'untrusted', ...(issuer ? { issuer } : {}), path };
}
