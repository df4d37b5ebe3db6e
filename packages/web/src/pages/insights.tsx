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
import { SelectField } from '../components/fields.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { Empty } from '../components/states.tsx';
import { ago, count, dateTime } from '../lib/format.ts';
import { INSIGHT_KINDS, KIND_LABEL } from '../lib/insight-kinds.ts';
import { shareShort, shareWords } from '../lib/insight-share.ts';
import { useApi } from '../lib/use-api.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const KINDS = [
  { value: '', label: 'All kinds' },
  ...INSIGHT_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] })),
];

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'resolved', label: 'Resolved (history)' },
  { value: 'all', label: 'All' },
];

export function InsightsPage() {
  const { search } = useLocation();
  const status = search.get('status') ?? 'active';
  const kind = search.get('kind') ?? '';
  const office = search.get('office') ?? '';
  const list = useApi<List<Insight>>(
    `/insights${query({ status: status === 'all' ? undefined : status, kind, office })}`,
  );
  const offices = useApi<List<OfficeSummary>>('/offices');

  const officeOptions = [
    { value: '', label: 'All offices' },
    ...(offices.data?.items ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ value: o.id, label: o.name })),
  ];

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
        <SelectField
          id="f-status"
          label="Status"
          value={status}
          onChange={(v) => set('status', v)}
          options={STATUSES}
        />
        <SelectField id="f-kind" label="Kind" value={kind} onChange={(v) => set('kind', v)} options={KINDS} />
        <SelectField
          id="f-office"
          label="Office"
          value={office}
          onChange={(v) => set('office', v)}
          options={officeOptions}
        />
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
                {
                  head: 'Share',
                  headClass: 'num',
                  className: 'num nowrap',
                  title: (i) => shareWords(i),
                  cell: (i) => shareShort(i),
                },
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
