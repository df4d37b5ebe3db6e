/**
 * @module pages/assessment/assessment-words
 * How the dashboard names the score's parts, words for a missing part and
 * for the area quintile, and the 30-day series for a chart.
 */
import type {
  AreaQuintile,
  AssessmentComponent,
  AssessmentComponentName,
  AssessmentDay,
} from '../../api/types.ts';

export const COMPONENT_LABEL: Record<AssessmentComponentName, string> = {
  latency: 'Latency to the front door',
  download: 'Download speed',
  media: 'Teams media (call quality)',
};

/** What the figure is, as the admin reads it. */
export function componentFigure(name: AssessmentComponentName, c: AssessmentComponent): string {
  if (name === 'latency') return `median ${c.value} ms`;
  if (name === 'download') return `25th percentile ${c.value} MB/s`;
  if (c.udpBlocked) return 'UDP blocked in every run: calls fall back to TCP';
  const i = c.inputs;
  return `MOS ${c.value.toFixed(2)}${i ? ` (RTT ${i.rttMs} ms, jitter ${i.jitterMs} ms, loss ${i.lossPercent} %)` : ''}`;
}

export const MISSING_TEXT: Record<AssessmentComponentName, string> = {
  latency: 'no latency samples in the window',
  download: 'no download measured in the window (the object may be too small to measure)',
  media: 'no Teams media runs in the window (the profile has no Teams relay, or the check is not planned)',
};

const FIFTHS = ['lowest', 'second-lowest', 'middle', 'second-highest', 'highest'] as const;

export function areaText(a: AreaQuintile): string {
  return (
    `In the ${FIFTHS[a.quintile - 1]} fifth of ${a.offices} offices of ${a.tenants} other organisations ` +
    `in ${a.area || (a.level === 'city' ? 'the city' : 'the country')}`
  );
}

const DAY_S = 86_400;

/** Noon of each day (seconds), so a day's point sits in the middle of its day. */
export function dailySeries(history: AssessmentDay[], days: number, now = Date.now()) {
  const times = history.map((h) => Date.parse(`${h.day}T12:00:00Z`) / 1000);
  const end = Math.ceil(now / 1000 / DAY_S) * DAY_S;
  return { times, xRange: [end - days * DAY_S, end] as [number, number] };
}
