/**
 * @module components/time-chart
 * A time-series line chart on uPlot (small and fast, canvas based). The
 * chart follows its container's width. A summary sentence is rendered for
 * screen readers, since a canvas says nothing by itself.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

export function TimeChart({
  times,
  series,
  unit,
  format,
  height = 200,
  summary,
  yMax,
  xRange,
}: {
  /** Bucket start times in seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  unit: string;
  format: (v: number) => string;
  height?: number;
  summary: string;
  yMax?: number;
  /** The window shown, in seconds since the epoch: charts span it even when data covers less. */
  xRange: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: () => xRange },
        y: { range: (_u, min, max) => [Math.min(0, min), yMax ?? (max > 0 ? max * 1.15 : 1)] },
      },
      axes: [
        { stroke: '#6b7885', grid: { stroke: '#eef1f5' }, ticks: { stroke: '#dde3ea' } },
        {
          stroke: '#6b7885',
          grid: { stroke: '#eef1f5' },
          ticks: { stroke: '#dde3ea' },
          size: 72,
          values: (_u, vals) => vals.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: !s.dash && s.values.filter((v) => v !== null).length < 14, size: 6 },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${format(v)}`),
        })),
      ],
    };
    const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [times, series, height, format, yMax, xRange]);

  return (
    <figure style={{ margin: 0 }}>
      <div ref={box} className="chart" aria-hidden="true" />
      <figcaption className="sr-only">
        {summary} ({unit})
      </figcaption>
    </figure>
  );
}
