/**
 * @module pages/office-charts
 * An office over time, for the last 24 hours or 7 days: the failure share
 * per insight kind, and median latency and throughput against the offices
 * in the same area (a dashed line across the whole window).
 */
import { useMemo, useState } from 'react';
import type { MetricsBucket, OfficeMetrics } from '../api/types.ts';
import { Card, CardBody } from '../components/card.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { Empty } from '../components/states.tsx';
import { type ChartSeries, TimeChart } from '../components/time-chart.tsx';
import { mbps, ms, percent } from '../lib/format.ts';
import { INSIGHT_KINDS, KIND_LABEL } from '../lib/insight-kinds.ts';
import { useApi } from '../lib/use-api.ts';

const fmtShare = (v: number) => `${Math.round(v * 100)}%`;
/** Axis labels keep enough digits to tell ticks apart at small values. */
const digits = (v: number) => (Math.abs(v) >= 10 || v === 0 ? 0 : Math.abs(v) >= 1 ? 1 : 2);
const fmtMs = (v: number) => `${v.toFixed(digits(v))} ms`;
const fmtMbps = (v: number) => `${v.toFixed(digits(v))} Mb/s`;
const hasValues = (s: ChartSeries[]) => s.some((x) => x.values.some((v) => v !== null));

/** `colors` gives each insight kind its line colour. */
export function OfficeCharts({ id, colors }: { id: string; colors: Record<string, string> }) {
  const [span, setSpan] = useState<'24h' | '7d'>('24h');
  const metrics = useApi<OfficeMetrics>(`/offices/${encodeURIComponent(id)}/metrics?window=${span}`);
  const { data } = metrics;

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
      color: colors[k] ?? '#475569',
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
  }, [data, span, colors]);

  const last = data?.buckets.at(-1);
  return (
    <Card
      title="Over time"
      titleId="charts-title"
      aside={
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
      }
    >
      <CardBody>
        <ResourceView
          resource={metrics}
          errorAs="plain"
          loadingLabel="Loading charts…"
          isEmpty={(d) => d.buckets.length === 0}
          empty={
            <Empty title="No reports in this window">
              <p>Charts appear once probes in this office send reports.</p>
            </Empty>
          }
        >
          {(data) =>
            chart && (
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
                      <p className="small">
                        Probes in this office have not measured downloads in this window.
                      </p>
                    </Empty>
                  )}
                </div>
              </div>
            )
          }
        </ResourceView>
      </CardBody>
    </Card>
  );
}
