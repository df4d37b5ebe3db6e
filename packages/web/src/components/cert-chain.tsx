/**
 * @module components/cert-chain
 * A TLS certificate chain as an admin reads one: the verdict first (genuine,
 * intercepted by whom, or untrusted; and whether this machine trusts it),
 * then each certificate from the server's own up to the root, with subject,
 * issuer, validity (flagged when outside it), names covered and the SHA-256
 * and SPKI fingerprints to compare with a firewall's or proxy's CA.
 */

import type { CertificateInfo, CheckResult } from '../api/types.ts';
import { dateTime } from '../lib/format.ts';
import { KvPair } from './kv-pair.tsx';

type Tls = NonNullable<CheckResult['tls']>;

function role(i: number, n: number, c: CertificateInfo): string {
  if (i === 0) return 'Server certificate';
  if (i === n - 1 && c.subject === c.issuer) return 'Root CA';
  return 'Intermediate CA';
}

function validity(c: CertificateInfo, at: number): { text: string; tone: string } {
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (!Number.isNaN(from) && at < from) return { text: 'not yet valid', tone: 'high' };
  if (!Number.isNaN(to) && at > to) return { text: 'expired', tone: 'high' };
  return { text: 'valid', tone: 'ok' };
}

function Verdict({ tls }: { tls: Tls }) {
  if (tls.verdict === 'genuine')
    return (
      <div className="verdict genuine">
        Genuine chain{tls.matchedCa ? ` — issued under ${tls.matchedCa}` : ''}
      </div>
    );
  if (tls.verdict === 'intercepted')
    return (
      <div className="verdict intercepted">
        Intercepted by {tls.vendor ?? 'an unknown interceptor'}
        {tls.impersonates && (
          <div className="small">
            Posing as the service’s CA “{tls.impersonates}” (same name, another key)
          </div>
        )}
        {tls.issuer && <div className="small mono">Issuer: {tls.issuer}</div>}
      </div>
    );
  return <div className="verdict untrusted">Untrusted chain, not from a known interceptor</div>;
}

export function CertChain({ tls, checkedAt }: { tls: Tls; checkedAt: number }) {
  const n = tls.chain.length;
  return (
    <div data-testid="cert-chain">
      <Verdict tls={tls} />
      <p className="small">
        {tls.trustedBySystem
          ? 'The probing machine trusts this chain (its own certificate store, not only the browser bundle).'
          : `The probing machine does not trust this chain${tls.systemTrustError ? `: ${tls.systemTrustError}` : '.'}`}{' '}
        {tls.protocol && <>Protocol {tls.protocol}</>}
        {tls.cipher && <>, cipher {tls.cipher}</>}
        {tls.alpnNegotiated !== undefined && <>, ALPN {tls.alpnNegotiated ?? 'none'}</>}.
      </p>
      <div className="chain">
        {tls.chain.map((c, i) => {
          const v = validity(c, checkedAt);
          return (
            <div className="cert" key={c.sha256}>
              <div className="cert-title">
                <span className="badge plain info">{role(i, n, c)}</span>
                {c.subjectCN ?? c.subject}
                <span className={`badge ${v.tone}`}>{v.text}</span>
              </div>
              <dl className="kv" style={{ marginTop: 8 }}>
                <dt>Subject</dt>
                <dd className="mono">{c.subject}</dd>
                <dt>Issuer</dt>
                <dd className="mono">{c.issuer}</dd>
                <dt>Valid</dt>
                <dd>
                  {dateTime(c.validFrom)} → {dateTime(c.validTo)}
                </dd>
                {c.subjectAltNames && c.subjectAltNames.length > 0 && (
                  <>
                    <dt>Names</dt>
                    <dd className="mono small">
                      {c.subjectAltNames.slice(0, 8).join(', ')}
                      {c.subjectAltNames.length > 8 && ` … +${c.subjectAltNames.length - 8}`}
                    </dd>
                  </>
                )}
                {c.serialNumber && (
                  <KvPair term="Serial" className="fingerprint">
                    {c.serialNumber}
                  </KvPair>
                )}
                <dt>SHA-256</dt>
                <dd className="fingerprint">{c.sha256}</dd>
                <dt>SPKI SHA-256</dt>
                <dd className="fingerprint">{c.spkiSha256}</dd>
              </dl>
            </div>
          );
        })}
      </div>
    </div>
  );
}
