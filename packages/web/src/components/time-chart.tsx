/**
 * @module components/time-chart
 * A time-series line chart on uPlot (small and fast, canvas based). The
 * chart follows its container's width. A summary sentence is rendered for
 * screen readers, since a canvas says nothing by itself.
 *
 * Axis labels stay inside the canvas: the value axis is as wide as its
 * widest label (measured in the axis font; a fixed 72 px cut "2400 Mbit/s"
 * off on the left), and the plot keeps room above its top label and right
 * of its last time label, which uPlot centres on the tick at the very edge.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** uPlot's own axis font (uPlot.min.css does not set it; uPlot's default is this size and family). */
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
/** uPlot's defaults: tick length and the gap between tick and label (uPlot axis `ticks.size`, `gap`). */
const TICK = 10;
const GAP = 5;
/** Room kept above the top label (half a line) and right of the last time label (half "12:00 PM"). */
const PAD_TOP = 10;
const PAD_RIGHT = 28;

let measurer: CanvasRenderingContext2D | null | undefined;
/** The width of the widest label in the axis font, in CSS pixels. */
function labelWidth(labels: readonly (string | null)[] | undefined): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer || !labels) return 0;
  measurer.font = AXIS_FONT;
  return Math.max(0, ...labels.map((l) => (l ? measurer!.measureText(l).width : 0)));
}

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
      padding: [PAD_TOP, PAD_RIGHT, 0, 0],
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: () => xRange },
        y: { range: (_u, min, max) => [Math.min(0, min), yMax ?? (max > 0 ? max * 1.15 : 1)] },
      },
      axes: [
        { stroke: '#6b7885', font: AXIS_FONT, grid: { stroke: '#eef1f5' }, ticks: { stroke: '#dde3ea' } },
        {
          stroke: '#6b7885',
          font: AXIS_FONT,
          grid: { stroke: '#eef1f5' },
          ticks: { stroke: '#dde3ea', size: TICK },
          gap: GAP,
          // Wide enough for the widest label, plus a few pixels so anti-aliasing never touches the edge.
          size: (_u, values) => Math.ceil(labelWidth(values) + TICK + GAP + 4),
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
