/**
 * @module pages/report
 * One probe report, check by check: the outcome (layer/class and the probe's
 * own words), the network path, phase timings and the check's details; TLS
 * checks show their certificate chain. Failed checks come first and open.
 */
import { isNotRun } from '@netinsights/protocol/outcome.ts';
import type { ProbeReport, ReportMeta } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { PageHead } from '../components/page-head.tsx';
import { PagePending } from '../components/page-pending.tsx';
import { dateTime, ms } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';
import { CheckDetail } from './report-check.tsx';
import { SweepCard, TrafficCard } from './report-sweep.tsx';

/** The badge of a check that did not pass or fail. */
const NOT_RUN_LABEL: Record<string, string> = {
  skipped: 'Not run',
  'not-applicable': 'N/A',
  'not-measured': 'Not measured',
};

export function ReportPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<{ meta: ReportMeta; report: ProbeReport }>(
    `/reports/${encodeURIComponent(id)}`,
  );
  if (!data)
    return (
      <PagePending
        title="Report"
        crumbs={[{ label: 'Reports', to: '/reports' }]}
        error={error}
        retry={reload}
        notFound="There is no such report in your organisation."
      />
    );
  const { meta, report } = data;
  const checkedAt = Date.parse(report.finishedAt) || Date.now();
  const results = [...report.results].sort(
    (a, b) => Number(b.outcome.status === 'fail') - Number(a.outcome.status === 'fail'),
  );
  // Skipped, not-applicable and not-measured checks are neither failures nor part of the count.
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
            <dt>OS user</dt>
            <dd className="mono">
              {env.osUser ?? (
                <span className="muted">not reported (the agent policy does not ask for it)</span>
              )}
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
        <Card
          title="Checks"
          titleId="checks-title"
          aside={<span className="small muted">{results.length} checks · failed ones first</span>}
        >
          {results.map((c) => (
            <details
              key={c.id}
              className="check"
              open={c.outcome.status === 'fail' && !isNotRun(c.outcome)}
              data-check={c.id}
            >
              <summary>
                {c.outcome.status === 'ok' ? (
                  <span className="badge ok">Pass</span>
                ) : isNotRun(c.outcome) ? (
                  // Skipped, not applicable or not measured: said in words, never a failure.
                  <span className="badge idle">{NOT_RUN_LABEL[c.outcome.class] ?? 'Not run'}</span>
                ) : (
                  <span className="badge high">Fail</span>
                )}
                <span className="mono small hide-sm">{c.kind}</span>
                <span className="mono" style={{ overflowWrap: 'anywhere' }}>
                  {c.target.host}:{c.target.port}
                  {c.outcome.status === 'fail' && (
                    <span
                      className="small"
                      style={{ color: isNotRun(c.outcome) ? 'var(--text-3)' : 'var(--bad)' }}
                    >
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
        </Card>
        {report.sweep && <SweepCard sweep={report.sweep} />}
        {report.traffic && report.traffic.length > 0 && <TrafficCard traffic={report.traffic} />}
      </div>
    </>
  );
}
