/**
 * @module pages/office-charts
 * An office over time, for the last 24 hours or 7 days: the failure share
 * per insight kind, and median latency and throughput against the offices
 * in the same area (a dashed line across the whole window).
 */
import { type ReactNode, useMemo, useState } from 'react';
import type { OfficeMetrics } from '../api/types.ts';
import { Card, CardBody } from '../components/card.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { Empty } from '../components/states.tsx';
import { type ChartSeries, TimeChart } from '../components/time-chart.tsx';
import { mbps, ms, percent } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { officeSeries, type Span } from './office-series.ts';

const fmtShare = (v: number) => `${Math.round(v * 100)}%`;
/** Axis labels keep enough digits to tell ticks apart at small values. */
const digits = (v: number) => (Math.abs(v) >= 10 || v === 0 ? 0 : Math.abs(v) >= 1 ? 1 : 2);
const fmtMs = (v: number) => `${v.toFixed(digits(v))} ms`;
const fmtMbps = (v: number) => `${v.toFixed(digits(v))} Mb/s`;
const hasValues = (s: ChartSeries[]) => s.some((x) => x.values.some((v) => v !== null));

/** One chart with its title and note, or what is missing when it has nothing to draw. */
function ChartPanel({
  title,
  note,
  empty,
  chart,
}: {
  title: string;
  note?: string;
  /** What to say instead of an empty chart; `chart` is drawn when this is null. */
  empty: { title: string; text: string } | null;
  chart: Parameters<typeof TimeChart>[0];
}) {
  let body: ReactNode = <TimeChart {...chart} />;
  if (empty)
    body = (
      <Empty title={empty.title}>
        <p className="small">{empty.text}</p>
      </Empty>
    );
  return (
    <div>
      <div className="chart-title">
        <h3>{title}</h3>
        {note && <span className="small muted">{note}</span>}
      </div>
      {body}
    </div>
  );
}

export function OfficeCharts({ id }: { id: string }) {
  const [span, setSpan] = useState<Span>('24h');
  const metrics = useApi<OfficeMetrics>(`/offices/${encodeURIComponent(id)}/metrics?window=${span}`);
  const { data } = metrics;
  const chart = useMemo(() => (data ? officeSeries(data, span) : null), [data, span]);

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
                <ChartPanel
                  title="Failure share by insight kind"
                  empty={
                    chart.share.length === 0
                      ? { title: 'No failures', text: 'No check tied to an insight failed in this window.' }
                      : null
                  }
                  chart={{
                    times: chart.times,
                    xRange: chart.xRange,
                    series: chart.share,
                    unit: 'share of attempts',
                    format: fmtShare,
                    summary: chart.share
                      .map((s) => `${s.label}: latest ${percent(s.values.at(-1) ?? null)}`)
                      .join('; '),
                  }}
                />
                <ChartPanel
                  title="Median latency"
                  note={data.peers ? `peers: ${data.peers.sampleOffices} offices` : 'no peers in area'}
                  empty={
                    hasValues(chart.latency)
                      ? null
                      : {
                          title: 'No latency samples',
                          text: 'Probes in this office have not measured latency in this window.',
                        }
                  }
                  chart={{
                    times: chart.times,
                    xRange: chart.xRange,
                    series: chart.latency,
                    unit: 'milliseconds',
                    format: fmtMs,
                    summary: `Latest ${ms(last?.latencyMedianMs)}; area peers ${ms(data.peers?.latencyMedianMs)}`,
                  }}
                />
                <ChartPanel
                  title="Throughput"
                  note="higher is better"
                  empty={
                    hasValues(chart.throughput)
                      ? null
                      : {
                          title: 'No throughput samples',
                          text: 'Probes in this office have not measured downloads in this window.',
                        }
                  }
                  chart={{
                    times: chart.times,
                    xRange: chart.xRange,
                    series: chart.throughput,
                    unit: 'megabits per second',
                    format: fmtMbps,
                    summary: `Latest ${mbps(last?.throughputMbps)}; area peers ${mbps(data.peers?.throughputMbps)}`,
                  }}
                />
              </div>
            )
          }
        </ResourceView>
      </CardBody>
    </Card>
  );
}
