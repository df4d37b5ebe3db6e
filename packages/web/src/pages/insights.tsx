/**
 * @module pages/insights
 * Every insight of the tenant, filtered by kind, status and office (the
 * filters live in the URL so a filtered list can be shared), including the
 * history of resolved ones.
 */

import { query } from '../api/client.ts';
import type { Insight, List, OfficeSummary } from '../api/types.ts';
import { SeverityBadge, StatusBadge } from '../components/badges.tsx';
import { Card } from '../components/card.tsx';
import { DataTable } from '../components/data-table.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { Empty } from '../components/states.tsx';
import { ago, count, dateTime, percent } from '../lib/format.ts';
import { INSIGHT_KINDS, KIND_LABEL } from '../lib/insight-kinds.ts';
import { useApi } from '../lib/use-api.ts';
import { Link, navigate, useLocation } from '../router.tsx';

export function InsightsPage() {
  const { search } = useLocation();
  const status = search.get('status') ?? 'active';
  const kind = search.get('kind') ?? '';
  const office = search.get('office') ?? '';
  const list = useApi<List<Insight>>(
    `/insights${query({ status: status === 'all' ? undefined : status, kind, office })}`,
  );
  const offices = useApi<List<OfficeSummary>>('/offices');

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    const qs = next.toString();
    navigate(`/insights${qs ? `?${qs}` : ''}`, { replace: true });
  };

  return (
    <>
      <PageHead title="Insights" sub="What the insight engine found, per office, with its evidence." />
      <form className="filters" aria-label="Filter insights" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => set('status', e.target.value)}>
            <option value="active">Active</option>
            <option value="resolved">Resolved (history)</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-kind">Kind</label>
          <select id="f-kind" value={kind} onChange={(e) => set('kind', e.target.value)}>
            <option value="">All kinds</option>
            {INSIGHT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-office">Office</label>
          <select id="f-office" value={office} onChange={(e) => set('office', e.target.value)}>
            <option value="">All offices</option>
            {offices.data?.items
              .slice()
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </div>
      </form>
      <Card>
        <ResourceView
          resource={list}
          loadingLabel="Loading insights…"
          empty={
            <Empty title={status === 'active' ? 'No active insights' : 'No insights match'}>
              <p>{status === 'active' ? 'Every office is within its thresholds.' : 'Try other filters.'}</p>
            </Empty>
          }
        >
          {(data) => (
            <DataTable
              testId="insights-table"
              rows={data.items}
              rowKey={(i) => i.id}
              columns={[
                { head: 'Severity', cell: (i) => <SeverityBadge severity={i.severity} /> },
                {
                  head: 'Insight',
                  cell: (i) => (
                    <>
                      <Link to={`/insights/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                      <div className="small muted">{KIND_LABEL[i.kind] ?? i.kind}</div>
                    </>
                  ),
                },
                {
                  head: 'Office',
                  cell: (i) => <Link to={`/offices/${encodeURIComponent(i.officeId)}`}>{i.officeName}</Link>,
                },
                { head: 'Share', headClass: 'num', className: 'num', cell: (i) => percent(i.evidence.share) },
                {
                  head: 'Devices',
                  headClass: 'num',
                  className: 'num',
                  cell: (i) => count(i.evidence.devices),
                },
                { head: 'First detected', className: 'nowrap', at: (i) => i.firstDetectedAt },
                {
                  head: status === 'resolved' ? 'Resolved' : 'Last seen',
                  className: 'nowrap',
                  title: (i) => dateTime(i.resolvedAt ?? i.lastSeenAt),
                  cell: (i) => ago(i.status === 'resolved' ? i.resolvedAt : i.lastSeenAt),
                },
                { head: 'Status', cell: (i) => <StatusBadge status={i.status} /> },
              ]}
            />
          )}
        </ResourceView>
      </Card>
    </>
  );
}
