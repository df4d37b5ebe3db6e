/**
 * @module pages/overview/tenant-stats
 * The row of tenant totals at the top of the overview, led by the
 * organisation's network assessment score (linking to its page).
 */
import type { AssessmentAnswer, Overview } from '../../api/types.ts';
import { scoreTone, scoreWord } from '../../components/score-badge.tsx';
import { count } from '../../lib/format.ts';
import { Link } from '../../router.tsx';

export function TenantStats({
  totals: t,
  affected,
  assessment,
}: {
  totals: Overview['totals'];
  affected: number;
  /** The tenant's network assessment (GET /assessment), while it loads undefined. */
  assessment: AssessmentAnswer | undefined;
}) {
  const tone = scoreTone(assessment?.score);
  return (
    <section className="stats" aria-label="Tenant totals">
      <div className={`stat ${tone === 'ok' ? 'ok' : tone === 'high' ? 'bad' : ''}`}>
        <div className="label">Network assessment</div>
        <div className="value" data-testid="tenant-headline-score">
          <Link to="/assessment">{assessment?.score ?? '—'}</Link>
        </div>
        <div className="sub">
          {assessment ? `${scoreWord(assessment.score)} · ${assessment.window.days}-day window` : 'loading…'}
        </div>
      </div>
      <div className="stat">
        <div className="label">Offices</div>
        <div className="value">{count(t.offices)}</div>
      </div>
      <div className={`stat ${t.activeInsights > 0 ? 'bad' : 'ok'}`}>
        <div className="label">Active insights</div>
        <div className="value" data-testid="total-active">
          {count(t.activeInsights)}
        </div>
      </div>
      <div className="stat">
        <div className="label">Offices affected</div>
        <div className="value">{count(affected)}</div>
      </div>
      <div className="stat">
        <div className="label">Reports (24 h)</div>
        <div className="value">{count(t.reports24h)}</div>
      </div>
      <div className="stat">
        <div className="label">Devices (24 h)</div>
        <div className="value">{count(t.devices24h)}</div>
      </div>
    </section>
  );
}
