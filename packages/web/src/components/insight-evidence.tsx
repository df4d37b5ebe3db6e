/**
 * @module components/insight-evidence
 * Behind an insight's "Evidence": the numbers that justify it. The basis
 * (share, samples, devices, when; the interceptor's vendor and issuer), the
 * affected domains and hosts with their failed shares, the comparison with
 * the area's offices, the egress location, the catalog sets an endpoint
 * sweep found failing, the DNS resolver, latency idle against under load,
 * the failure classes by layer,
 * and example reports. Each block shows only when the rule recorded it.
 */
import type { Insight } from '../api/types.ts';
import { count, dateTime, mbps, ms } from '../lib/format.ts';
import { shareWords } from '../lib/insight-share.ts';
import { Link } from '../router.tsx';
import { FailureClasses } from './failure-classes.tsx';
import { FrontDoorTable } from './front-door-table.tsx';
import { KvPair } from './kv-pair.tsx';
import { ShareTable } from './share-table.tsx';

/** Idle against loaded latency of the window's runs (latency-under-load). */
function LoadLatency({ l }: { l: NonNullable<Insight['evidence']['latencyUnderLoad']> }) {
  const rows = [
    ['Idle (alone on the path)', l.idleMs],
    ['While downloading', l.loadedMs],
    ['Added under load', l.addedMs],
  ] as const;
  return (
    <section>
      <h4>Latency idle and under load</h4>
      <table className="mini-table">
        <thead>
          <tr>
            <th>Round trip</th>
            <th className="num">median</th>
            <th className="num">p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, spread]) => (
            <tr key={label}>
              <td>{label}</td>
              <td className="num">{ms(spread.median)}</td>
              <td className="num">{ms(spread.p95)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">
        {count(l.bloated)} of {count(l.runs)} runs added {count(l.limitMs)} ms or more.
      </p>
    </section>
  );
}

function Basis({ insight }: { insight: Insight }) {
  const ev = insight.evidence;
  return (
    <section>
      <h4>Basis</h4>
      <dl className="kv">
        <dt>{insight.kind === 'peer-performance' ? 'Worse than the area' : 'Affected share'}</dt>
        <dd>{shareWords(insight, 1)}</dd>
        <dt>Samples</dt>
        <dd>{count(ev.samples)}</dd>
        <dt>Devices</dt>
        <dd>{count(ev.devices)}</dd>
        <dt>First detected</dt>
        <dd>{dateTime(insight.firstDetectedAt)}</dd>
        <dt>Last seen</dt>
        <dd>{dateTime(insight.lastSeenAt)}</dd>
        {ev.vendor && (
          <KvPair term="Vendor">
            <strong>{ev.vendor}</strong>
          </KvPair>
        )}
        {ev.issuer && (
          <KvPair term="Issuer" className="mono">
            {ev.issuer}
          </KvPair>
        )}
      </dl>
    </section>
  );
}

function Peers({ peers }: { peers: NonNullable<Insight['evidence']['peers']> }) {
  return (
    <section>
      <h4>Against {peers.sampleOffices} offices in the same area</h4>
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
            <td className="num">{ms(peers.officeLatencyMedianMs)}</td>
            <td className="num">{ms(peers.latencyMedianMs)}</td>
          </tr>
          <tr>
            <td>Throughput</td>
            <td className="num">{mbps(peers.officeThroughputMbps)}</td>
            <td className="num">{mbps(peers.throughputMbps)}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

export function InsightEvidence({ insight, open }: { insight: Insight; open: boolean }) {
  const ev = insight.evidence;
  return (
    <details className="evidence" open={open}>
      <summary>Evidence</summary>
      <div className="evidence-grid">
        <Basis insight={insight} />
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
        <ShareTable title="Per domain" label="Domain" rows={ev.domains} name={(d) => d.domain} />
        {ev.peers && <Peers peers={ev.peers} />}
        {(ev.frontDoors?.length ?? 0) > 0 && <FrontDoorTable rows={ev.frontDoors ?? []} />}
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
        <ShareTable
          title="Catalog sets (endpoint sweep)"
          label="Set"
          rows={ev.requiredEndpoints?.sets.map((s) => ({ ...s, attempts: s.swept }))}
          name={(s) => `${s.id} · ${s.serviceArea}`}
        />
        {ev.resolver && (
          <section>
            <h4>DNS resolver</h4>
            <dl className="kv">
              <dt>Address</dt>
              <dd className="mono">{ev.resolver.address}</dd>
              <dt>Located in</dt>
              <dd>{[ev.resolver.city, ev.resolver.country].filter(Boolean).join(', ') || 'unknown'}</dd>
              <dt>Distance</dt>
              <dd>
                <strong>{count(ev.resolver.distanceKm)} km</strong> from the office (limit{' '}
                {count(ev.resolver.thresholdKm)} km)
              </dd>
              <dt>Identified by</dt>
              <dd>
                {ev.resolver.method === 'zone'
                  ? "the collector's own DNS listener (delegated zone)"
                  : 'a public whoami DNS name'}
              </dd>
            </dl>
          </section>
        )}
        {ev.latencyUnderLoad && <LoadLatency l={ev.latencyUnderLoad} />}
        <ShareTable
          title="Affected hosts"
          label="Host"
          rows={ev.affectedHosts}
          name={(h) => (h.workload ? `${h.host} (${h.workload})` : h.host)}
        />
        <FailureClasses classes={ev.failureClasses ?? []} />
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
  );
}
