/**
 * @module pages/overview/attention-card
 * "Needs attention": the active insights by kind (each with the colour of
 * its worst open insight), and the five most affected offices with their
 * worst state.
 */
import type { InsightKind, OfficeSummary, Overview, Severity } from '../../api/types.ts';
import { HealthBadge } from '../../components/badges.tsx';
import { Card } from '../../components/card.tsx';
import { Empty } from '../../components/states.tsx';
import { INSIGHT_KINDS, KIND_LABEL, SEVERITY_RANK, worstSeverity } from '../../lib/insight-kinds.ts';
import { Link } from '../../router.tsx';

export function AttentionCard({
  totals: t,
  ranked,
}: {
  totals: Overview['totals'];
  ranked: OfficeSummary[];
}) {
  // Each kind's dot has the colour of its worst open insight: a Low kind is not drawn as if it were High.
  const kindSeverity = worstByKind(ranked);
  return (
    <Card
      title="Needs attention"
      titleId="attention-title"
      testId="attention"
      aside={<Link to="/insights">All insights →</Link>}
    >
      {t.activeInsights === 0 ? (
        <Empty title="No active insights">
          <p>Every office is within its thresholds.</p>
        </Empty>
      ) : (
        <>
          <ul className="attention" aria-label="Active insights by kind">
            {INSIGHT_KINDS.filter((k) => (t.activeByKind[k] ?? 0) > 0).map((k) => (
              <li key={k} data-severity={kindSeverity.get(k) ?? 'low'}>
                <Link to={`/insights?kind=${k}`}>
                  <span className={`kind-dot ${kindSeverity.get(k) ?? 'low'}`} aria-hidden="true" />
                  {KIND_LABEL[k]}
                </Link>
                <span className="n">{t.activeByKind[k]}</span>
              </li>
            ))}
          </ul>
          <div className="nav-section" style={{ color: 'var(--text-3)', padding: '12px 18px 4px' }}>
            Most affected offices
          </div>
          <ul className="attention" aria-label="Most affected offices">
            {ranked
              .filter((o) => o.activeInsights.length > 0)
              .slice(0, 5)
              .map((o) => (
                <li key={o.id}>
                  <span>
                    <Link to={`/offices/${encodeURIComponent(o.id)}`}>{o.name}</Link>
                    <div className="small muted">
                      {o.activeInsights.map((i) => KIND_LABEL[i.kind] ?? i.kind).join(', ')}
                    </div>
                  </span>
                  <HealthBadge worst={worstSeverity(o.activeInsights)} hasData />
                </li>
              ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** The worst severity of each kind's active insights over all offices. */
function worstByKind(offices: readonly OfficeSummary[]): Map<InsightKind, Severity> {
  const worst = new Map<InsightKind, Severity>();
  for (const o of offices)
    for (const i of o.activeInsights) {
      const seen = worst.get(i.kind);
      if (!seen || SEVERITY_RANK[i.severity] > SEVERITY_RANK[seen]) worst.set(i.kind, i.severity);
    }
  return worst;
}
