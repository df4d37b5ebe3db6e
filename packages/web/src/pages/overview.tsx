/**
 * @module pages/overview
 * The tenant at a glance: totals, the world map of offices coloured by their
 * worst active insight, every office with its active insights (worst first,
 * searchable, 50 rows per page so a thousand offices stay quick), and the
 * discovered locations waiting to be adopted. Refreshes every 30 s.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { OfficeSummary, Overview } from '../api/types.ts';
import { HealthBadge, KindBadge } from '../components/badges.tsx';
import { PageHead } from '../components/page-head.tsx';
import { Pager } from '../components/pager.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { MapLegend, type MapMarker, WorldMap } from '../components/world-map.tsx';
import { ago, count, dateTime } from '../lib/format.ts';
import { INSIGHT_KINDS, KIND_LABEL, SEVERITY_RANK, worstSeverity } from '../lib/insight-kinds.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';

const PAGE = 50;
type Filter = 'all' | 'insights' | 'healthy' | 'nodata';

function officeTone(o: OfficeSummary): string {
  return worstSeverity(o.activeInsights) ?? (o.reports24h > 0 ? 'ok' : 'idle');
}

function rank(o: OfficeSummary): number {
  const w = worstSeverity(o.activeInsights);
  return (w ? SEVERITY_RANK[w] * 100 : 0) + o.activeInsights.length;
}

export function OverviewPage() {
  const { data, error, loading, reload } = useApi<Overview>('/overview', { refreshMs: 30_000 });
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(0);
  const q = useDeferredValue(search.trim().toLowerCase());

  const sorted = useMemo(
    () => [...(data?.offices ?? [])].sort((a, b) => rank(b) - rank(a) || a.name.localeCompare(b.name)),
    [data],
  );
  const visible = useMemo(
    () =>
      sorted.filter((o) => {
        if (filter === 'insights' && o.activeInsights.length === 0) return false;
        if (filter === 'healthy' && (o.activeInsights.length > 0 || o.reports24h === 0)) return false;
        if (filter === 'nodata' && o.reports24h > 0) return false;
        if (!q) return true;
        return `${o.name} ${o.city} ${o.country}`.toLowerCase().includes(q);
      }),
    [sorted, filter, q],
  );
  const markers = useMemo<MapMarker[]>(
    () => [
      ...(data?.offices ?? []).map((o) => ({
        id: `o:${o.id}`,
        label: o.name,
        detail:
          o.activeInsights.length > 0
            ? `${o.activeInsights.length} active insight${o.activeInsights.length === 1 ? '' : 's'}`
            : o.reports24h > 0
              ? 'healthy'
              : 'no reports in 24 h',
        latitude: o.latitude,
        longitude: o.longitude,
        tone: officeTone(o),
        href: `/offices/${encodeURIComponent(o.id)}`,
      })),
      ...(data?.discovered ?? [])
        .filter((d) => d.latitude !== null && d.longitude !== null)
        .map((d) => ({
          id: `d:${d.id}`,
          label: `Discovered ${d.egressPrefix}`,
          detail: `${count(d.reports)} reports, not adopted`,
          latitude: d.latitude ?? 0,
          longitude: d.longitude ?? 0,
          tone: 'discovered',
          href: '/manage/discovered',
        })),
    ],
    [data],
  );

  if (!data) {
    return (
      <>
        <PageHead title="Overview" />
        {error ? <ErrorNotice error={error} retry={reload} /> : <Loading label="Loading the overview…" />}
      </>
    );
  }

  const t = data.totals;
  const affected = data.offices.filter((o) => o.activeInsights.length > 0).length;
  const pageClamped = Math.min(page, Math.max(0, Math.ceil(visible.length / PAGE) - 1));
  const rows = visible.slice(pageClamped * PAGE, (pageClamped + 1) * PAGE);

  return (
    <>
      <PageHead
        title="Overview"
        sub={
          <>
            {data.tenant.name} · last 24 hours{loading && <span className="muted"> · refreshing…</span>}
          </>
        }
        actions={
          <Link to="/manage/offices" className="button">
            Manage offices
          </Link>
        }
      />
      {error && (
        <ErrorNotice error={error} retry={reload} title="Could not refresh; showing the last answer" />
      )}
      <section className="stats" aria-label="Tenant totals">
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

      <div className="grid" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <div className="overview-top">
          <section className="card" aria-labelledby="map-title">
            <div className="card-head">
              <h2 id="map-title">Offices worldwide</h2>
              <MapLegend />
            </div>
            <WorldMap
              markers={markers}
              label={`Map of ${data.offices.length} offices; ${affected} with active insights`}
            />
          </section>
          <section className="card" aria-labelledby="attention-title" data-testid="attention">
            <div className="card-head">
              <h2 id="attention-title">Needs attention</h2>
              <Link to="/insights">All insights →</Link>
            </div>
            {t.activeInsights === 0 ? (
              <Empty title="No active insights">
                <p>Every office is within its thresholds.</p>
              </Empty>
            ) : (
              <>
                <ul className="attention" aria-label="Active insights by kind">
                  {INSIGHT_KINDS.filter((k) => (t.activeByKind[k] ?? 0) > 0).map((k) => (
                    <li key={k}>
                      <Link to={`/insights?kind=${k}`}>
                        <span className="kind-dot" aria-hidden="true" />
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
                  {sorted
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
          </section>
        </div>

        <section className="card" aria-labelledby="offices-title">
          <div className="card-head">
            <h2 id="offices-title">Offices</h2>
            <div className="row">
              <label className="sr-only" htmlFor="office-search">
                Search offices
              </label>
              <input
                id="office-search"
                type="search"
                className="search"
                placeholder="Search name, city, country"
                value={search}
                onChange={(e) => {
                  setSearch(e.target.value);
                  setPage(0);
                }}
              />
              <label className="sr-only" htmlFor="office-filter">
                Show
              </label>
              <select
                id="office-filter"
                value={filter}
                onChange={(e) => {
                  setFilter(e.target.value as Filter);
                  setPage(0);
                }}
                style={{ width: 'auto' }}
              >
                <option value="all">All offices</option>
                <option value="insights">With active insights</option>
                <option value="healthy">Healthy</option>
                <option value="nodata">No data in 24 h</option>
              </select>
            </div>
          </div>
          {data.offices.length === 0 ? (
            <Empty title="No offices yet">
              <p>
                Add your offices (or import them from CSV) so that reports map to them.{' '}
                <Link to="/manage/offices">Add offices</Link>
              </p>
            </Empty>
          ) : visible.length === 0 ? (
            <Empty title="No office matches" />
          ) : (
            <div className="table-wrap">
              <table data-testid="office-table">
                <thead>
                  <tr>
                    <th>Office</th>
                    <th>State</th>
                    <th>Active insights</th>
                    <th className="num hide-sm">Devices</th>
                    <th className="num hide-sm">Reports</th>
                    <th className="hide-sm">Last report</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((o) => (
                    <tr key={o.id} className="office-row">
                      <td>
                        <Link className="name" to={`/offices/${encodeURIComponent(o.id)}`}>
                          {o.name}
                        </Link>
                        <div className="where">
                          {o.city}, {o.country}
                        </div>
                      </td>
                      <td>
                        <HealthBadge worst={worstSeverity(o.activeInsights)} hasData={o.reports24h > 0} />
                      </td>
                      <td>
                        <div className="chips">
                          {o.activeInsights.length === 0 ? (
                            <span className="muted">—</span>
                          ) : (
                            o.activeInsights.map((i) => (
                              <KindBadge key={i.id} kind={i.kind} severity={i.severity} />
                            ))
                          )}
                        </div>
                      </td>
                      <td className="num hide-sm">{count(o.devices24h)}</td>
                      <td className="num hide-sm">{count(o.reports24h)}</td>
                      <td className="nowrap hide-sm" title={dateTime(o.lastReportAt)}>
                        {ago(o.lastReportAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={pageClamped} pageSize={PAGE} total={visible.length} onPage={setPage} noun="offices" />
        </section>

        <section className="card" aria-labelledby="disc-title">
          <div className="card-head">
            <h2 id="disc-title">Discovered locations</h2>
            <Link to="/manage/discovered">Review and adopt →</Link>
          </div>
          {data.discovered.length === 0 ? (
            <Empty title="Nothing waiting">
              <p>Reports from networks that match no office appear here, grouped by egress address.</p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Egress prefix</th>
                    <th>Where</th>
                    <th className="num">Devices</th>
                    <th className="num">Reports</th>
                    <th>Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {data.discovered.slice(0, 8).map((d) => (
                    <tr key={d.id}>
                      <td className="mono">{d.egressPrefix}</td>
                      <td>
                        {[d.city, d.country].filter(Boolean).join(', ') || (
                          <span className="muted">unknown</span>
                        )}
                      </td>
                      <td className="num">{count(d.devices)}</td>
                      <td className="num">{count(d.reports)}</td>
                      <td title={dateTime(d.lastSeenAt)}>{ago(d.lastSeenAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
