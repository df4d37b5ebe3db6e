/**
 * @module components/insight-card
 * One insight as an admin reads it: the headline and severity, what it
 * means, what to do (with links to the artifact that fixes it), and behind
 * "Evidence" the numbers that justify it: samples and devices, affected
 * domains and hosts, failure classes by layer, the interceptor's vendor and
 * issuer, first detected / last seen, and example reports.
 */
import type { Insight } from '../api/types.ts';
import { describeCode, layerLabel } from '../lib/failure-codes.ts';
import { ago, count, dateTime, mbps, ms, percent } from '../lib/format.ts';
import { kindLabel } from '../lib/insight-kinds.ts';
import { Link } from '../router.tsx';
import { SeverityBadge, StatusBadge } from './badges.tsx';
import { RichText } from './rich-text.tsx';

/** Every insight metric is a share of samples (or, for peer-performance, a relative gap). */
const metricValue = (v: number) => percent(v, 1);

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
  const byLayer = new Map<string, { code: string; count: number }[]>();
  for (const fc of ev.failureClasses ?? []) {
    const layer = fc.code.split('/')[0] ?? '';
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), fc]);
  }
  const totalFailures = (ev.failureClasses ?? []).reduce((a, b) => a + b.count, 0);
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
          {insight.metric.name}: <b>{metricValue(insight.metric.value)}</b> (threshold{' '}
          {metricValue(insight.metric.threshold)})
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
      <details className="evidence" open={openEvidence}>
        <summary>Evidence</summary>
        <div className="evidence-grid">
          <section>
            <h4>Basis</h4>
            <dl className="kv">
              <dt>{insight.kind === 'peer-performance' ? 'Worse than the area' : 'Affected share'}</dt>
              <dd>{percent(ev.share, 1)}</dd>
              <dt>Samples</dt>
              <dd>{count(ev.samples)}</dd>
              <dt>Devices</dt>
              <dd>{count(ev.devices)}</dd>
              <dt>First detected</dt>
              <dd>{dateTime(insight.firstDetectedAt)}</dd>
              <dt>Last seen</dt>
              <dd>{dateTime(insight.lastSeenAt)}</dd>
              {ev.vendor && (
                <>
                  <dt>Vendor</dt>
                  <dd>
                    <strong>{ev.vendor}</strong>
                  </dd>
                </>
              )}
              {ev.issuer && (
                <>
                  <dt>Issuer</dt>
                  <dd className="mono">{ev.issuer}</dd>
                </>
              )}
            </dl>
          </section>
          {(ev.affectedDomains?.length ?? 0) > 0 && (
            <section>
              <h4>Affected domains</h4>
              <div className="chips">
                {ev.affectedDomains?.map((d) => (
                  <code key={d} className="badge plain low">
                    {d}
                  </code>
                ))}
              </div>
            </section>
          )}
          {(ev.domains?.length ?? 0) > 0 && (
            <section>
              <h4>Per domain</h4>
              <table className="mini-table">
                <thead>
                  <tr>
                    <th>Domain</th>
                    <th className="num">Failed</th>
                    <th>Share</th>
                  </tr>
                </thead>
                <tbody>
                  {ev.domains?.map((d) => (
                    <tr key={d.domain}>
                      <td className="mono">{d.domain}</td>
                      <td className="num">
                        {count(d.failures)}/{count(d.attempts)}
                      </td>
                      <td>
                        <div className="bar" title={percent(d.attempts ? d.failures / d.attempts : 0)}>
                          <span style={{ width: `${d.attempts ? (100 * d.failures) / d.attempts : 0}%` }} />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {ev.peers && (
            <section>
              <h4>Against {ev.peers.sampleOffices} offices in the same area</h4>
              <table className="mini-table">
                <thead>
                  <tr>
                    <th />
                    <th className="num">This office</th>
                    <th className="num">Area</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>Median latency</td>
                    <td className="num">{ms(ev.peers.officeLatencyMedianMs)}</td>
                    <td className="num">{ms(ev.peers.latencyMedianMs)}</td>
                  </tr>
                  <tr>
                    <td>Throughput</td>
                    <td className="num">{mbps(ev.peers.officeThroughputMbps)}</td>
                    <td className="num">{mbps(ev.peers.throughputMbps)}</td>
                  </tr>
                </tbody>
              </table>
            </section>
          )}
          {ev.egress && (
            <section>
              <h4>Internet egress</h4>
              <dl className="kv">
                <dt>Egress located in</dt>
                <dd>{[ev.egress.city, ev.egress.country].filter(Boolean).join(', ') || 'unknown'}</dd>
                <dt>Distance</dt>
                <dd>
                  <strong>{count(Math.round(ev.egress.distanceKm))} km</strong> from the office (limit{' '}
                  {count(ev.egress.thresholdKm)} km)
                </dd>
              </dl>
            </section>
          )}
          {(ev.affectedHosts?.length ?? 0) > 0 && (
            <section>
              <h4>Affected hosts</h4>
              <table className="mini-table">
                <thead>
                  <tr>
                    <th>Host</th>
                    <th className="num">Failed</th>
                    <th>Share</th>
                  </tr>
                </thead>
                <tbody>
                  {ev.affectedHosts?.map((h) => (
                    <tr key={h.host}>
                      <td className="mono">{h.host}</td>
                      <td className="num">
                        {count(h.failures)}/{count(h.attempts)}
                      </td>
                      <td>
                        <div className="bar" title={percent(h.attempts ? h.failures / h.attempts : 0)}>
                          <span style={{ width: `${h.attempts ? (100 * h.failures) / h.attempts : 0}%` }} />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {byLayer.size > 0 && (
            <section>
              <h4>Failure classes by layer</h4>
              {[...byLayer.entries()].map(([layer, items]) => (
                <div key={layer} className="fc-layer">
                  <div className="fc-layer-name">{layerLabel(layer)}</div>
                  {items.map((fc) => (
                    <div key={fc.code} className="fc-row">
                      <div>
                        <code>{fc.code}</code>
                        <div className="small muted">{describeCode(fc.code)}</div>
                      </div>
                      <div className="num nowrap">
                        <strong>{count(fc.count)}</strong>
                        <div className="small muted">
                          {percent(totalFailures ? fc.count / totalFailures : 0)}
                        </div>
                      </div>
                    </div>
                  ))}
                </div>
              ))}
            </section>
          )}
          {(ev.exampleReportIds?.length ?? 0) > 0 && (
            <section>
              <h4>Example reports</h4>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {ev.exampleReportIds?.slice(0, 5).map((id) => (
                  <li key={id}>
                    <Link to={`/reports/${encodeURIComponent(id)}`} className="mono small">
                      {id}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </details>
    </article>
  );
}
