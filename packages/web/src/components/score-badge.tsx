/**
 * @module components/score-badge
 * A network assessment score (0–100) as a pill: its number and a word
 * (good ≥ 80, fair ≥ 60, poor below), coloured to match; "—" without data.
 * Colour is never the only signal.
 */

export type ScoreTone = 'ok' | 'medium' | 'high' | 'idle';

export function scoreTone(score: number | null | undefined): ScoreTone {
  if (score === null || score === undefined) return 'idle';
  return score >= 80 ? 'ok' : score >= 60 ? 'medium' : 'high';
}

export function scoreWord(score: number | null | undefined): string {
  const tone = scoreTone(score);
  return tone === 'ok' ? 'good' : tone === 'medium' ? 'fair' : tone === 'high' ? 'poor' : 'no data';
}

export function ScoreBadge({ score, title }: { score: number | null | undefined; title?: string }) {
  if (score === null || score === undefined)
    return (
      <span className="badge idle" title={title ?? 'No measurements in the window'}>
        —
      </span>
    );
  return (
    <span className={`badge ${scoreTone(score)} score`} title={title} data-testid="score-badge">
      {score} <span className="score-word">{scoreWord(score)}</span>
    </span>
  );
}
