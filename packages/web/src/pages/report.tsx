/**
 * @module pages/report
 * One probe report, check by check: the outcome (layer/class and the probe's
 * own words), the network path, phase timings and the check's details; TLS
 * checks show their certificate chain. Failed checks come first and open.
 */

import { isNotRun } from '@netinsights/protocol/outcome.ts';
import type { CheckResult, ProbeReport, ReportMeta } from '../api/types.ts';
import { CertChain } from '../components/cert-chain.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { describeCode } from '../lib/failure-codes.ts';
import { count, dateTime, mbps, ms } from '../lib/format.ts';
import { isMissing } from '../lib/not-found.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';

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

function CheckDetail({ c, checkedAt, chainOpen }: { c: CheckResult; checkedAt: number; chainOpen: boolean }) {
  return (
    <div className="check-body">
      {c.outcome.status === 'fail' && (
        <div className="notice error" style={{ margin: '6px 0 12px' }}>
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
            <dd>
              {mbps(c.throughput.mbps)} ({count(c.throughput.bytes)} bytes in {ms(c.throughput.durationMs)})
              {c.throughput.thresholdMbps !== undefined && `; minimum ${mbps(c.throughput.thresholdMbps)}`}
            </dd>
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

export function ReportPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<{ meta: ReportMeta; report: ProbeReport }>(
    `/reports/${encodeURIComponent(id)}`,
  );
  if (!data) {
    const missing = isMissing(error);
    return (
      <>
        <PageHead
          title={missing ? 'Report not found' : 'Report'}
          crumbs={[{ label: 'Reports', to: '/reports' }]}
        />
        {missing ? (
          <div className="notice warn" role="alert">
            <div>There is no such report in your organisation.</div>
          </div>
        ) : error ? (
          <ErrorNotice error={error} retry={reload} />
        ) : (
          <Loading />
        )}
      </>
    );
  }
  const { meta, report } = data;
  const checkedAt = Date.parse(report.finishedAt) || Date.now();
  const results = [...report.results].sort(
    (a, b) => Number(b.outcome.status === 'fail') - Number(a.outcome.status === 'fail'),
  );
  // Skipped and not-applicable checks were not run: they are neither failures nor part of the count.
  const notRun = results.filter((r) => isNotRun(r.outcome)).length;
  const failed = results.filter((r) => r.outcome.status === 'fail').length - notRun;
  // The same chain is often served for every host; show each distinct one open once, the repeats folded.
  const seenChains = new Set<string>();
  const chainOpen = new Map<string, boolean>();
  for (const r of results) {
    const top = r.tls?.chain.at(-1)?.sha256;
    if (!top) continue;
    chainOpen.set(r.id, !seenChains.has(top));
    seenChains.add(top);
  }
  const env = report.environment;
  return (
    <>
      <PageHead
        title={`Report from ${meta.deviceId ?? 'a device'}`}
        crumbs={[
          { label: 'Reports', to: '/reports' },
          ...(meta.officeId
            ? [{ label: meta.officeName ?? 'Office', to: `/offices/${encodeURIComponent(meta.officeId)}` }]
            : []),
        ]}
        sub={
          <>
            {dateTime(meta.receivedAt)} ·{' '}
            {failed === 0
              ? `all ${results.length - notRun} checks passed`
              : `${failed} of ${results.length - notRun} checks failed`}
            {notRun > 0 ? ` · ${notRun} not run` : ''}
          </>
        }
      />
      <div className="stack">
        <section className="card card-pad" aria-label="About this report">
          <dl className="kv">
            <dt>Office</dt>
            <dd>
              {meta.officeId ? (
                <Link to={`/offices/${encodeURIComponent(meta.officeId)}`}>{meta.officeName}</Link>
              ) : (
                'not mapped to an office'
              )}
            </dd>
            <dt>Egress IP (seen by the collector)</dt>
            <dd className="mono">{meta.egressIp}</dd>
            <dt>Device</dt>
            <dd className="mono">
              {meta.deviceId ?? '—'} {env.hostname && `(${env.hostname})`}
            </dd>
            <dt>System</dt>
            <dd>
              {env.os.platform} {env.os.release} ({env.os.arch})
            </dd>
            <dt>Proxy settings</dt>
            <dd>
              {env.proxy.mode}
              {env.proxy.proxy && ` ${env.proxy.proxy}`}
              {env.proxy.pac && ` PAC ${env.proxy.pac}`}{' '}
              <span className="muted">(from {env.proxy.source})</span>
            </dd>
            <dt>DNS resolvers</dt>
            <dd className="mono">{env.dnsResolvers.join(', ') || '—'}</dd>
            <dt>Probe</dt>
            <dd>
              {report.probe.version}, profile {report.probe.profile}
              {report.probe.profileVersion && ` ${report.probe.profileVersion}`}; ran{' '}
              {dateTime(report.startedAt)} → {dateTime(report.finishedAt)}
            </dd>
            <dt>Report id</dt>
            <dd className="mono small">{report.reportId}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="checks-title">
          <div className="card-head">
            <h2 id="checks-title">Checks</h2>
            <span className="small muted">{results.length} checks · failed ones first</span>
          </div>
          {results.map((c) => (
            <details key={c.id} className="check" open={c.outcome.status === 'fail'} data-check={c.id}>
              <summary>
                {c.outcome.status === 'ok' ? (
                  <span className="badge ok">Pass</span>
                ) : (
                  <span className="badge high">Fail</span>
                )}
                <span className="mono small hide-sm">{c.kind}</span>
                <span className="mono" style={{ overflowWrap: 'anywhere' }}>
                  {c.target.host}:{c.target.port}
                  {c.outcome.status === 'fail' && (
                    <span className="small" style={{ color: 'var(--bad)' }}>
                      {' '}
                      {c.outcome.layer}/{c.outcome.class}
                    </span>
                  )}
                </span>
                <span className="small muted hide-sm">{ms(c.durationMs)}</span>
              </summary>
              <CheckDetail c={c} checkedAt={checkedAt} chainOpen={chainOpen.get(c.id) ?? false} />
            </details>
          ))}
        </section>
      </div>
    </>
  );
}
