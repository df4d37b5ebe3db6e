/**
 * @module lib/insight-share
 * An insight's headline figure as the tables and cards show it: the share
 * of samples that showed the problem ("40 %"), except for "Slower than
 * peers", whose metric is a relative gap that reads as a ratio to the area
 * median ("3.2 × the area median round trip"; protocol/peer-ratio.ts).
 */
import { peerRatio, peerRatioWords, times } from '@netinsights/protocol/peer-ratio.ts';
import type { Insight } from '../api/types.ts';
import { percent } from './format.ts';

/** The evidence's share in words: "40 %" or "3.2 × the area median round trip". */
export function shareWords(insight: Pick<Insight, 'kind' | 'evidence'>, digits = 0): string {
  return insight.kind === 'peer-performance'
    ? peerRatioWords(insight.evidence.share, insight.evidence.peers)
    : percent(insight.evidence.share, digits);
}

/** The same, short enough for a table column: "40 %" or "3.2 × median" (the full words go in its tooltip). */
export function shareShort(insight: Pick<Insight, 'kind' | 'evidence'>): string {
  return insight.kind === 'peer-performance'
    ? `${times(peerRatio(insight.evidence.share, insight.evidence.peers).ratio)} median`
    : percent(insight.evidence.share);
}

/** A metric value or threshold of the insight's kind: "12.5 %", or "1.1 ×" for the peer gap. */
export function metricWords(kind: Insight['kind'], value: number): string {
  return kind === 'peer-performance' ? times(1 + value) : percent(value, 1);
}
