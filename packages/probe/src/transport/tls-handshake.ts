/**
 * @module tls-handshake
 * Runs TLS over an already open stream (direct or tunnelled), never
 * rejecting the peer — the probe must see what is served, not just fail —
 * and returns the negotiated parameters, the full served chain and the
 * verdict. A certificate that cannot be parsed is `tls/bad-certificate`.
 */
import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { checkServerIdentity, connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { FailOutcome, Outcome, TlsDetail } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import type { ProbeContext } from '../context.ts';
import { phaseSignal } from '../context.ts';
import { cutOff, errorCode, errorText, failed, type Step, since } from '../step.ts';
import { certificateInfo } from '../verdicts/certificate-info.ts';
import { tlsVerdict } from '../verdicts/tls-verdict.ts';

export interface Secured {
  socket: TLSSocket;
  ms: number;
  detail: TlsDetail;
  /** What the TLS layer says about the path: ok, or intercepted / untrusted / hostname-mismatch. */
  outcome: Outcome;
}

/** OpenSSL reasons that mean "the certificate bytes themselves are broken". */
const BAD_CERT =
  /ASN1|BAD_CERTIFICATE|CERT_LENGTH|certificate.*(parse|decode)|DECODE_ERROR|X509|BAD_ECPOINT|unable to decode/i;

function classifyHandshakeError(err: unknown, host: string): FailOutcome {
  const code = errorCode(err) ?? '';
  const text = errorText(err);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(text))
    return fail('tls', 'reset', `the connection to ${host} was closed during the TLS handshake: ${text}`);
  if (BAD_CERT.test(code) || BAD_CERT.test(text))
    return fail('tls', 'bad-certificate', `${host} sent a certificate that cannot be parsed: ${text}`);
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH|RECORD_LAYER|UNEXPECTED_MESSAGE|HTTP_REQUEST/i.test(code + text))
    return fail(
      'tls',
      'handshake-failed',
      `${host} did not speak TLS (the answer is not a TLS handshake): ${text}`,
    );
  return fail('tls', 'handshake-failed', `TLS handshake with ${host} failed: ${text}`);
}

/** Walks Node's peer chain (served certificates, plus the store's root when found), leaf first. */
function servedChain(socket: TLSSocket): Step<{ certs: X509Certificate[] }> {
  let peer: DetailedPeerCertificate;
  try {
    peer = socket.getPeerCertificate(true);
  } catch (err) {
    return failed(fail('tls', 'bad-certificate', `the peer certificate cannot be read: ${errorText(err)}`));
  }
  if (!peer?.raw) return failed(fail('tls', 'bad-certificate', 'the server sent no certificate'));
  const certs: X509Certificate[] = [];
  const seen = new Set<string>();
  let node: DetailedPeerCertificate | undefined = peer;
  while (node?.raw && certs.length < 16) {
    try {
      const cert = new X509Certificate(node.raw);
      if (seen.has(cert.fingerprint256)) break;
      seen.add(cert.fingerprint256);
      certs.push(cert);
    } catch (err) {
      return failed(
        fail(
          'tls',
          'bad-certificate',
          `certificate #${certs.length + 1} of the chain cannot be parsed: ${errorText(err)}`,
        ),
      );
    }
    node = node.issuerCertificate === node ? undefined : node.issuerCertificate;
  }
  return { ok: true, certs };
}

export function startTls(
  ctx: ProbeContext,
  socket: Socket,
  host: string,
  alpn: string[],
): Promise<Step<Secured>> {
  const start = performance.now();
  const signal = phaseSignal(ctx);
  return new Promise((resolve) => {
    const isIpHost = /^[\d.]+$|:/.test(host);
    const tlsSocket = connect({
      socket,
      ...(isIpHost ? {} : { servername: host }),
      ALPNProtocols: alpn,
      rejectUnauthorized: false,
      secureContext: ctx.trust.context,
    });
    const done = (result: Step<Secured>) => {
      signal.removeEventListener('abort', onAbort);
      tlsSocket.off('secureConnect', onSecure);
      tlsSocket.off('error', onError);
      if (!result.ok) {
        tlsSocket.destroy();
        // A late error after destroy must not become an uncaught exception.
        tlsSocket.on('error', () => {});
      }
      resolve(result);
    };
    const onError = (err: Error) =>
      done(failed(classifyHandshakeError(err, host), { timings: { tlsMs: since(start) } }));
    const onAbort = () =>
      done(
        failed(
          cutOff(
            ctx.runSignal,
            fail(
              'tls',
              'timeout',
              `the TLS handshake with ${host} did not finish within ${ctx.checkTimeoutMs} ms`,
            ),
            `TLS handshake with ${host}`,
          ),
          { timings: { tlsMs: since(start) } },
        ),
      );
    const onSecure = () => {
      const ms = since(start);
      const chain = servedChain(tlsSocket);
      if (!chain.ok) {
        done({ ...chain, timings: { tlsMs: ms } });
        return;
      }
      const authError = tlsSocket.authorizationError ? String(tlsSocket.authorizationError) : undefined;
      // OpenSSL validated the path against system + bundled + extra CAs; a name
      // mismatch is judged separately below.
      const chainTrusted = tlsSocket.authorized || authError === 'ERR_TLS_CERT_ALTNAME_INVALID';
      // Served certificates, plus the store CA that completes them when OpenSSL found one.
      const served = chain.certs;
      const v = tlsVerdict({
        served,
        chainTrusted,
        expectedCas: ctx.profile.expectedCas,
        vendors: ctx.profile.interceptorVendors,
        publicRoots: ctx.trust.publicRoots,
      });
      const leaf = served[0];
      const detail: TlsDetail = {
        protocol: tlsSocket.getProtocol() ?? undefined,
        cipher: tlsSocket.getCipher()?.name,
        alpnOffered: alpn,
        alpnNegotiated: tlsSocket.alpnProtocol || null,
        chain: served.map(certificateInfo),
        verdict: v.verdict,
        ...(v.matchedCa ? { matchedCa: v.matchedCa } : {}),
        ...(v.vendor ? { vendor: v.vendor } : {}),
        ...(v.impersonates ? { impersonates: v.impersonates.slice(0, 256) } : {}),
        ...(v.issuer ? { issuer: v.issuer.slice(0, 1024) } : {}),
        trustedBySystem: tlsSocket.authorized,
        ...(authError ? { systemTrustError: authError.slice(0, 256) } : {}),
      };
      let outcome: Outcome = ok();
      if (v.verdict === 'intercepted')
        outcome = fail(
          'tls',
          'intercepted',
          `TLS to ${host} is intercepted by ${v.vendor}${v.impersonates ? `, posing as the service's CA "${v.impersonates}"` : ''}${v.issuer ? ` (certificate issued by "${v.issuer}")` : ''}`,
        );
      else if (v.verdict === 'untrusted')
        outcome = fail(
          'tls',
          'untrusted',
          `${host} served a chain that is neither the service's nor trusted by this machine (issuer "${v.issuer ?? 'unknown'}"${authError ? `, ${authError}` : ''})`,
        );
      else if (leaf && !isIpHost) {
        const mismatch = checkServerIdentity(host, tlsSocket.getPeerCertificate());
        if (mismatch)
          outcome = fail(
            'tls',
            'hostname-mismatch',
            `the certificate ${host} served does not cover that name: ${mismatch.message}`,
          );
      }
      done({ ok: true, socket: tlsSocket, ms, detail, outcome });
    };
    tlsSocket.once('secureConnect', onSecure);
    tlsSocket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    // A signal that fired before this phase began never fires again: stop at once.
    if (signal.aborted) queueMicrotask(onAbort);
  });
}
