/**
 * @module pages/assessment/score-chart
 * The last 30 days of a score (and, for an office, its components) as a
 * line chart, one point per day.
 */
import { useMemo } from 'react';
import type { AssessmentDay } from '../../api/types.ts';
import { Empty } from '../../components/states.tsx';
import { type ChartSeries, TimeChart } from '../../components/time-chart.tsx';
import { COMPONENT_LABEL, dailySeries } from './assessment-words.ts';

const COLORS = { latency: '#0f766e', download: '#7c3aed', media: '#c2410c' } as const;

export function ScoreChart({
  history,
  days,
  components = false,
}: {
  history: AssessmentDay[];
  days: number;
  components?: boolean;
}) {
  const chart = useMemo(() => {
    const { times, xRange } = dailySeries(history, days);
    const series: ChartSeries[] = [{ label: 'Score', values: history.map((h) => h.score), color: '#1d4ed8' }];
    if (components)
      for (const name of ['latency', 'download', 'media'] as const)
        series.push({
          label: COMPONENT_LABEL[name],
          values: history.map((h) => h.components?.[name] ?? null),
          color: COLORS[name],
          dash: [4, 4],
        });
    return { times, xRange, series };
  }, [history, days, components]);

  if (history.length === 0)
    return (
      <Empty title="No daily scores yet">
        <p className="small">
          A point is added each day the insight engine scores this with data in the window.
        </p>
      </Empty>
    );
  const last = history.at(-1);
  return (
    <TimeChart
      times={chart.times}
      xRange={chart.xRange}
      series={chart.series}
      unit="score 0–100"
      format={(v) => String(Math.round(v))}
      yMax={100}
      summary={`${history.length} days with a score; latest ${last?.score ?? '—'} on ${last?.day ?? '—'}`}
    />
  );
}
