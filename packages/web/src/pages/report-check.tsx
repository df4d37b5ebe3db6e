/**
 * @module pages/report-check
 * One check of a probe report in full: the failure in words (layer/class
 * and the probe's own message), the target and network path, the phase
 * timings, and what the check measured (HTTP, latency, throughput, QUIC,
 * WebSocket); a TLS check shows its certificate chain.
 */
import { isNotRun } from '@netinsights/protocol/outcome.ts';
import type { CheckResult } from '../api/types.ts';
import { CertChain } from '../components/cert-chain.tsx';
import { describeCode } from '../lib/failure-codes.ts';
import { count, mbps, ms } from '../lib/format.ts';

function Timings({ c }: { c: CheckResult }) {
  const t = c.timings;
  if (!t) return null;
  const parts: [string, number | undefined][] = [
    ['DNS', t.dnsMs],
    ['connect', t.connectMs],
    ['proxy CONNECT', t.proxyConnectMs],
    ['TLS', t.tlsMs],
    ['first byte', t.firstByteMs],
    ['total', t.totalMs],
  ];
  return (
    <>
      <dt>Timings</dt>
      <dd>
        {parts
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k} ${ms(v)}`)
          .join(' · ')}
      </dd>
    </>
  );
}

/** One check of a report, opened: its outcome, target, path, timings and what it measured. */
export function CheckDetail({
  c,
  checkedAt,
  chainOpen,
}: {
  c: CheckResult;
  checkedAt: number;
  chainOpen: boolean;
}) {
  return (
    <div className="check-body">
      {c.outcome.status === 'fail' && (
        <div className={`notice ${isNotRun(c.outcome) ? 'info' : 'error'}`} style={{ margin: '6px 0 12px' }}>
          <div>
            <strong>
              <code>
                {c.outcome.layer}/{c.outcome.class}
              </code>{' '}
              — {describeCode(`${c.outcome.layer}/${c.outcome.class}`)}
            </strong>
            {c.outcome.message}
          </div>
        </div>
      )}
      <dl className="kv">
        <dt>Target</dt>
        <dd className="mono">
          {c.target.url ?? `${c.target.host}:${c.target.port}`}
          {c.target.transport === 'udp' && ' (UDP)'}
        </dd>
        <dt>Path</dt>
        <dd>
          {c.path.type === 'proxy' ? `via proxy ${c.path.proxy ?? ''}` : 'direct'}
          {c.path.source && c.path.source !== 'none' && (
            <span className="muted"> (from {c.path.source})</span>
          )}
        </dd>
        <Timings c={c} />
        {c.dns && (
          <>
            <dt>DNS answers</dt>
            <dd className="mono">
              {c.dns.answers.join(', ') || '—'}
              {c.dns.pinned && ' (pinned)'}
            </dd>
          </>
        )}
        {c.tcp?.remoteAddress && (
          <>
            <dt>Connected to</dt>
            <dd className="mono">
              {c.tcp.remoteAddress}:{c.tcp.remotePort}
            </dd>
          </>
        )}
        {c.http && (
          <>
            <dt>HTTP</dt>
            <dd>
              {c.http.method ?? 'GET'} → {c.http.status ?? '—'}{' '}
              {c.http.httpVersion && `(HTTP/${c.http.httpVersion})`}, answered by{' '}
              <strong>{c.http.servedBy}</strong>
              {c.http.proxyEvidence && c.http.proxyEvidence.length > 0 && (
                <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
                  {c.http.proxyEvidence.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </dd>
            {c.http.headers && Object.keys(c.http.headers).length > 0 && (
              <>
                <dt>Headers</dt>
                <dd className="mono small">
                  {Object.entries(c.http.headers).map(([k, v]) => (
                    <div key={k}>
                      {k}: {v}
                    </div>
                  ))}
                </dd>
              </>
            )}
          </>
        )}
        {c.websocket && (
          <>
            <dt>WebSocket</dt>
            <dd>
              upgrade {c.websocket.upgradeStatus ?? '—'}
              {c.websocket.originAnswered && ' (the genuine origin answered)'}; echo{' '}
              {ms(c.websocket.echoRttMs)}; held {ms(c.websocket.heldMs)} of {ms(c.websocket.holdTargetMs)}
              {c.websocket.closeCode !== undefined &&
                `; closed with ${c.websocket.closeCode}${c.websocket.closeReason ? ` “${c.websocket.closeReason}”` : ''}`}
            </dd>
          </>
        )}
        {c.http2 && (
          <>
            <dt>HTTP/2</dt>
            <dd>
              origin offers h2:{' '}
              {`${c.http2.originOffersH2 === null ? 'unknown' : c.http2.originOffersH2 ? 'yes' : 'no'}; `}
              negotiated {c.http2.negotiated ?? 'nothing'}
              {c.http2.downgraded && <strong> — downgraded</strong>}
            </dd>
          </>
        )}
        {c.quic && (
          <>
            <dt>QUIC</dt>
            <dd>
              {c.quic.replies} of {c.quic.attempts} probes answered
              {c.quic.versions.length > 0 && `; versions ${c.quic.versions.join(', ')}`}
              {c.quic.tcpReachable !== undefined &&
                `; TCP/443 ${c.quic.tcpReachable ? 'reachable' : 'unreachable'}`}
            </dd>
          </>
        )}
        {c.latency && (
          <>
            <dt>Latency</dt>
            <dd>
              median {ms(c.latency.medianMs)}, jitter {ms(c.latency.jitterMs)} over{' '}
              {c.latency.samplesMs.length} samples ({c.latency.method})
              {c.latency.thresholdMs !== undefined && `; limit ${ms(c.latency.thresholdMs)}`}
            </dd>
          </>
        )}
        {c.throughput && (
          <>
            <dt>Throughput</dt>
            {c.throughput.tooSmall ? (
              // No speed: the object ended before it was large enough to time.
              <dd className="throughput-not-measured">
                not measured: object too small ({count(c.throughput.bytes)} bytes; at least{' '}
                {count(c.throughput.tooSmall.minBytes)} needed). Name a large file in the agent settings’
                download URL.
              </dd>
            ) : (
              <dd>
                {mbps(c.throughput.mbps)} ({count(c.throughput.bytes)} bytes in {ms(c.throughput.durationMs)})
                {c.throughput.thresholdMbps !== undefined && `; minimum ${mbps(c.throughput.thresholdMbps)}`}
                {c.throughput.loadedLatency?.medianMs !== undefined &&
                  `; latency under load ${ms(c.throughput.loadedLatency.medianMs)}`}
              </dd>
            )}
          </>
        )}
      </dl>
      {c.tls && c.tls.chain.length > 0 && (
        <details className="chain-details" open={chainOpen}>
          <summary>
            Certificate chain ({c.tls.chain.length} certificate{c.tls.chain.length === 1 ? '' : 's'},{' '}
            {c.tls.verdict === 'intercepted'
              ? `intercepted by ${c.tls.vendor ?? 'an unknown interceptor'}`
              : c.tls.verdict}
            )
          </summary>
          <CertChain tls={c.tls} checkedAt={checkedAt} />
        </details>
      )}
    </div>
  );
}
