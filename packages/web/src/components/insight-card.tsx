/**
 * @module components/insight-card
 * One insight as an admin reads it: the headline and severity, its metric
 * against the threshold and how fresh it is, what it means, what to do
 * (with links to the artifact that fixes it), and behind "Evidence" the
 * numbers that justify it (`InsightEvidence`).
 */
import type { Insight } from '../api/types.ts';
import { ago, count, dateTime } from '../lib/format.ts';
import { kindLabel } from '../lib/insight-kinds.ts';
import { metricWords, shareWords } from '../lib/insight-share.ts';
import { Link } from '../router.tsx';
import { SeverityBadge, StatusBadge } from './badges.tsx';
import { InsightEvidence } from './insight-evidence.tsx';
import { RichText } from './rich-text.tsx';

export function InsightCard({
  insight,
  showOffice = false,
  openEvidence = false,
}: {
  insight: Insight;
  showOffice?: boolean;
  openEvidence?: boolean;
}) {
  const ev = insight.evidence;
  const tone = insight.status === 'resolved' ? 'resolved' : insight.severity;
  return (
    <article
      className={`card insight ${tone}`}
      aria-labelledby={`insight-${insight.id}`}
      data-kind={insight.kind}
    >
      <div className="insight-head">
        <div>
          <div className="small muted">
            {kindLabel(insight.kind)}
            {showOffice && (
              <>
                {' · '}
                <Link to={`/offices/${encodeURIComponent(insight.officeId)}`}>{insight.officeName}</Link>
              </>
            )}
          </div>
          <h3 id={`insight-${insight.id}`}>
            <Link to={`/insights/${encodeURIComponent(insight.id)}`} style={{ color: 'inherit' }}>
              {insight.title}
            </Link>
          </h3>
        </div>
        <div className="row">
          <SeverityBadge severity={insight.severity} />
          <StatusBadge status={insight.status} />
        </div>
      </div>
      <div className="metric-line">
        <span>
          {insight.metric.name}:{' '}
          <b>
            {insight.kind === 'peer-performance'
              ? shareWords(insight, 1)
              : metricWords(insight.kind, insight.metric.value)}
          </b>{' '}
          (threshold {metricWords(insight.kind, insight.metric.threshold)})
        </span>
        <span>
          <b>{count(ev.samples)}</b> samples from <b>{count(ev.devices)}</b> devices
        </span>
        <span title={dateTime(insight.firstDetectedAt)}>
          First detected <b>{ago(insight.firstDetectedAt)}</b>
        </span>
        <span title={dateTime(insight.lastSeenAt)}>
          Last seen <b>{ago(insight.lastSeenAt)}</b>
        </span>
        {insight.resolvedAt && (
          <span title={dateTime(insight.resolvedAt)}>
            Resolved <b>{ago(insight.resolvedAt)}</b>
          </span>
        )}
      </div>
      <div className="insight-body">
        <div>
          <h4>What this means</h4>
          <p>
            <RichText text={insight.meaning} />
          </p>
        </div>
        <div>
          <h4>What to do</h4>
          <p>
            <RichText text={insight.action} />
          </p>
          {insight.actionLinks.length > 0 && (
            <div className="row small">
              {insight.actionLinks.map((l) => (
                // Artifacts (PAC file, bypass and allow lists) open beside the dashboard.
                <a key={l.href} href={l.href} target="_blank" rel="noreferrer">
                  {l.label} ↗
                </a>
              ))}
            </div>
          )}
        </div>
      </div>
      <InsightEvidence insight={insight} open={openEvidence} />
    </article>
  );
}
