/**
 * @module trust-store
 * "Does this machine trust the chain?" Node's default store is Mozilla's
 * bundled one, not the machine's; an enterprise CA pushed to endpoints lives
 * in the system store (on Linux /etc/ssl/certs). So the probe verifies
 * against the system store plus the bundled one plus any CAs the caller adds
 * (`--ca`, or the lab playing an endpoint with an interceptor CA installed).
 * The CA that completes a chain needs no search of our own: when OpenSSL
 * finds it in this store, Node appends it to the peer chain.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext, getCACertificates, type SecureContext } from 'node:tls';
import { spkiSha256 } from './certificate-info.ts';

export interface TrustStore {
  /** Used for every probe handshake, so OpenSSL does the real path validation. */
  context: SecureContext;
  /** How many certificates each source contributed, for the report. */
  sizes: { system: number; bundled: number; extra: number };
  /**
   * SPKI SHA-256 of every root in the public bundled store (never the
   * machine-only part, where enterprise interception roots live by design).
   */
  publicRoots: ReadonlySet<string>;
}

let bundledSpkis: Set<string> | undefined;

function spkisOf(pems: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const pem of pems) {
    try {
      out.add(spkiSha256(new X509Certificate(pem)));
    } catch {
      // A root that does not parse cannot anchor a path either.
    }
  }
  return out;
}

function load(type: 'system' | 'bundled'): string[] {
  try {
    return [...getCACertificates(type)];
  } catch {
    // An unreadable system store is the same as an empty one for the verdict.
    return [];
  }
}

export function createTrustStore(
  extraPems: readonly string[] = [],
  extraPublicPems: readonly string[] = [],
): TrustStore {
  const system = load('system');
  const bundled = load('bundled');
  const all = [...new Set([...system, ...bundled, ...extraPems, ...extraPublicPems])];
  // Parsed once per process: the bundled store is part of the Node binary.
  bundledSpkis ??= spkisOf(bundled);
  const publicRoots = extraPublicPems.length
    ? new Set([...bundledSpkis, ...spkisOf(extraPublicPems)])
    : bundledSpkis;
  return {
    context: createSecureContext({ ca: all }),
    sizes: {
      system: system.length,
      bundled: bundled.length,
      extra: extraPems.length + extraPublicPems.length,
    },
    publicRoots,
  };
}

/** Splits a PEM bundle into its certificates. */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
