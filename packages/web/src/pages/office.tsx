/**
 * @module pages/office
 * One office: its active insights as cards with their evidence, charts over
 * time (failure shares per insight kind, median latency and throughput
 * against the offices in the same area), the resolved history and the most
 * recent reports. An office of another tenant answers 404 and is shown as
 * "not found", never rendered.
 */
import { useMemo, useState } from 'react';
import type { Insight, List, MetricsBucket, Office, OfficeMetrics, ReportSummary } from '../api/types.ts';
import { InsightCard } from '../components/insight-card.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ReportsTable } from '../components/reports-table.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { type ChartSeries, TimeChart } from '../components/time-chart.tsx';
import { ago, count, dateTime, mbps, ms, percent } from '../lib/format.ts';
import { INSIGHT_KINDS, KIND_COLOR, KIND_LABEL, SEVERITY_RANK } from '../lib/insight-kinds.ts';
import { isMissing } from '../lib/not-found.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';

const fmtShare = (v: number) => `${Math.round(v * 100)}%`;
/** Axis labels keep enough digits to tell ticks apart at small values. */
const digits = (v: number) => (Math.abs(v) >= 10 || v === 0 ? 0 : Math.abs(v) >= 1 ? 1 : 2);
const fmtMs = (v: number) => `${v.toFixed(digits(v))} ms`;
const fmtMbps = (v: number) => `${v.toFixed(digits(v))} Mb/s`;
const hasValues = (s: ChartSeries[]) => s.some((x) => x.values.some((v) => v !== null));

function OfficeCharts({ id }: { id: string }) {
  const [span, setSpan] = useState<'24h' | '7d'>('24h');
  const { data, error, reload } = useApi<OfficeMetrics>(
    `/offices/${encodeURIComponent(id)}/metrics?window=${span}`,
  );

  const chart = useMemo(() => {
    if (!data) return null;
    const end = Math.floor(Date.now() / 1000);
    const xRange: [number, number] = [end - (span === '7d' ? 7 * 86_400 : 86_400), end];
    // The window's two ends are added as points without office data, so the
    // area-peer line spans the whole window even when the office has one bucket.
    const times = [
      xRange[0],
      ...data.buckets.map((b) => Math.floor(new Date(b.start).getTime() / 1000)),
      xRange[1],
    ];
    const buckets = data.buckets;
    const officeSeries = (pick: (b: MetricsBucket) => number | null) => [null, ...buckets.map(pick), null];
    const kinds = INSIGHT_KINDS.filter((k) => data.buckets.some((b) => (b.failureShare[k] ?? 0) > 0));
    const share: ChartSeries[] = kinds.map((k) => ({
      label: KIND_LABEL[k],
      color: KIND_COLOR[k],
      values: officeSeries((b) => b.failureShare[k] ?? 0),
    }));
    const peer = data.peers;
    const latency: ChartSeries[] = [
      { label: 'This office', color: '#1d4ed8', values: officeSeries((b) => b.latencyMedianMs) },
    ];
    const throughput: ChartSeries[] = [
      { label: 'This office', color: '#1d4ed8', values: officeSeries((b) => b.throughputMbps) },
    ];
    if (peer && peer.latencyMedianMs !== null)
      latency.push({
        label: 'Area peers',
        color: '#94a3b8',
        dash: [6, 4],
        values: times.map(() => peer.latencyMedianMs),
      });
    if (peer && peer.throughputMbps !== null)
      throughput.push({
        label: 'Area peers',
        color: '#94a3b8',
        dash: [6, 4],
        values: times.map(() => peer.throughputMbps),
      });
    return { times, share, latency, throughput, xRange };
  }, [data, span]);

  const last = data?.buckets.at(-1);
  return (
    <section className="card" aria-labelledby="charts-title">
      <div className="card-head">
        <h2 id="charts-title">Over time</h2>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sr-only">Time window</legend>
          {(['24h', '7d'] as const).map((w) => (
            <button
              key={w}
              type="button"
              className={`small${span === w ? ' primary' : ''}`}
              aria-pressed={span === w}
              onClick={() => setSpan(w)}
            >
              {w === '24h' ? 'Last 24 hours' : 'Last 7 days'}
            </button>
          ))}
        </fieldset>
      </div>
      <div className="card-body">
        {error && <ErrorNotice error={error} retry={reload} />}
        {!data && !error && <Loading label="Loading charts…" />}
        {chart && data && data.buckets.length === 0 && (
          <Empty title="No reports in this window">
            <p>Charts appear once probes in this office send reports.</p>
          </Empty>
        )}
        {chart && data && data.buckets.length > 0 && (
          <div className="grid grid-3">
            <div>
              <div className="chart-title">
                <h3>Failure share by insight kind</h3>
              </div>
              {chart.share.length === 0 ? (
                <Empty title="No failures">
                  <p className="small">No check tied to an insight failed in this window.</p>
                </Empty>
              ) : (
                <TimeChart
                  times={chart.times}
                  xRange={chart.xRange}
                  series={chart.share}
                  unit="share of attempts"
                  format={fmtShare}
                  summary={chart.share
                    .map((s) => `${s.label}: latest ${percent(s.values.at(-1) ?? null)}`)
                    .join('; ')}
                />
              )}
            </div>
            <div>
              <div className="chart-title">
                <h3>Median latency</h3>
                <span className="small muted">
                  {data.peers ? `peers: ${data.peers.sampleOffices} offices` : 'no peers in area'}
                </span>
              </div>
              {hasValues(chart.latency) ? (
                <TimeChart
                  times={chart.times}
                  xRange={chart.xRange}
                  series={chart.latency}
                  unit="milliseconds"
                  format={fmtMs}
                  summary={`Latest ${ms(last?.latencyMedianMs)}; area peers ${ms(data.peers?.latencyMedianMs)}`}
                />
              ) : (
                <Empty title="No latency samples">
                  <p className="small">Probes in this office have not measured latency in this window.</p>
                </Empty>
              )}
            </div>
            <div>
              <div className="chart-title">
                <h3>Throughput</h3>
                <span className="small muted">higher is better</span>
              </div>
              {hasValues(chart.throughput) ? (
                <TimeChart
                  times={chart.times}
                  xRange={chart.xRange}
                  series={chart.throughput}
                  unit="megabits per second"
                  format={fmtMbps}
                  summary={`Latest ${mbps(last?.throughputMbps)}; area peers ${mbps(data.peers?.throughputMbps)}`}
                />
              ) : (
                <Empty title="No throughput samples">
                  <p className="small">Probes in this office have not measured downloads in this window.</p>
                </Empty>
              )}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

export function OfficePage({ id }: { id: string }) {
  const enc = encodeURIComponent(id);
  const office = useApi<Office>(`/offices/${enc}`);
  const active = useApi<List<Insight>>(`/insights?status=active&office=${enc}`, { refreshMs: 30_000 });
  const resolved = useApi<List<Insight>>(`/insights?status=resolved&office=${enc}`);
  const reports = useApi<List<ReportSummary>>(`/reports?office=${enc}&limit=15`, { refreshMs: 30_000 });

  if (isMissing(office.error)) {
    return (
      <>
        <PageHead title="Office not found" crumbs={[{ label: 'Overview', to: '/' }]} />
        <div className="notice warn" role="alert" data-testid="office-not-found">
          <div>
            <strong>There is no such office in your organisation</strong>
            It may have been deleted, or the link points to an office you do not manage.
          </div>
        </div>
      </>
    );
  }
  if (!office.data) {
    return (
      <>
        <PageHead title="Office" crumbs={[{ label: 'Overview', to: '/' }]} />
        {office.error ? <ErrorNotice error={office.error} retry={office.reload} /> : <Loading />}
      </>
    );
  }
  const o = office.data;
  const activeItems = [...(active.data?.items ?? [])].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  return (
    <>
      <PageHead
        title={o.name}
        crumbs={[{ label: 'Overview', to: '/' }]}
        sub={
          <>
            {[o.address, o.city, o.country].filter(Boolean).join(', ')} · {o.latitude.toFixed(2)},{' '}
            {o.longitude.toFixed(2)}
          </>
        }
        actions={
          <>
            <Link to={`/insights?office=${enc}`} className="button">
              Insight history
            </Link>
            <Link to={`/manage/offices?edit=${enc}`} className="button">
              Edit office
            </Link>
          </>
        }
      />
      <div className="stack">
        <section aria-labelledby="active-title">
          <div className="section-title" style={{ marginTop: 0 }}>
            <h2 id="active-title">
              Active insights {active.data && <span className="muted">({active.data.items.length})</span>}
            </h2>
            <span className="small muted">
              LAN {o.lanSubnets.join(', ') || '—'} · egress {o.egressRanges.join(', ') || '—'}
            </span>
          </div>
          {active.error && <ErrorNotice error={active.error} retry={active.reload} />}
          {!active.data && !active.error && <Loading label="Loading insights…" />}
          {active.data && activeItems.length === 0 && (
            <div className="notice ok">
              <div>
                <strong>No active insights</strong>
                Nothing in the current window crosses a threshold for this office.
              </div>
            </div>
          )}
          <div className="stack">
            {activeItems.map((i) => (
              <InsightCard key={i.id} insight={i} />
            ))}
          </div>
        </section>

        <OfficeCharts id={id} />

        <section className="card" aria-labelledby="reports-title">
          <div className="card-head">
            <h2 id="reports-title">Recent reports</h2>
            <Link to={`/reports?office=${enc}`}>All reports →</Link>
          </div>
          {reports.error && (
            <div className="card-body">
              <ErrorNotice error={reports.error} retry={reports.reload} />
            </div>
          )}
          {!reports.data && !reports.error && <Loading />}
          {reports.data && reports.data.items.length === 0 && (
            <Empty title="No reports yet">
              <p>
                Run a probe in this office with an <Link to="/manage/agent-tokens">agent token</Link>.
              </p>
            </Empty>
          )}
          {reports.data && reports.data.items.length > 0 && <ReportsTable items={reports.data.items} />}
        </section>

        <section className="card" aria-labelledby="resolved-title">
          <div className="card-head">
            <h2 id="resolved-title">Resolved</h2>
          </div>
          {resolved.error && (
            <div className="card-body">
              <ErrorNotice error={resolved.error} retry={resolved.reload} />
            </div>
          )}
          {!resolved.data && !resolved.error && <Loading />}
          {resolved.data && resolved.data.items.length === 0 && <Empty title="No resolved insights yet" />}
          {resolved.data && resolved.data.items.length > 0 && (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Insight</th>
                    <th>Kind</th>
                    <th>Detected</th>
                    <th>Resolved</th>
                    <th className="num">Samples</th>
                  </tr>
                </thead>
                <tbody>
                  {resolved.data.items.map((i) => (
                    <tr key={i.id}>
                      <td>
                        <Link to={`/insights/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                      </td>
                      <td>{KIND_LABEL[i.kind] ?? i.kind}</td>
                      <td title={dateTime(i.firstDetectedAt)}>{ago(i.firstDetectedAt)}</td>
                      <td title={dateTime(i.resolvedAt)}>{ago(i.resolvedAt)}</td>
                      <td className="num">{count(i.evidence.samples)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
