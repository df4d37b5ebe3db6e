/**
 * @module pages/office
 * One office: its active insights as cards with their evidence, its network
 * assessment (score, parts, area, 30 days), charts over
 * time (failure shares per insight kind, median latency and throughput
 * against the offices in the same area), the resolved history and the most
 * recent reports. An office of another tenant answers 404 and is shown as
 * "not found", never rendered.
 */
import type { Insight, List, Office, ReportSummary } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { DataTable } from '../components/data-table.tsx';
import { InsightCard } from '../components/insight-card.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHead } from '../components/page-head.tsx';
import { PagePending } from '../components/page-pending.tsx';
import { ReportsTable } from '../components/reports-table.tsx';
import { ResourceView } from '../components/resource-view.tsx';
import { Empty } from '../components/states.tsx';
import { count } from '../lib/format.ts';
import { KIND_LABEL, SEVERITY_RANK } from '../lib/insight-kinds.ts';
import { isMissing } from '../lib/not-found.ts';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';
import { OfficeAssessmentCard } from './assessment/office-assessment-card.tsx';
import { OfficeCharts } from './office-charts.tsx';

export function OfficePage({ id }: { id: string }) {
  const enc = encodeURIComponent(id);
  const office = useApi<Office>(`/offices/${enc}`);
  const active = useApi<List<Insight>>(`/insights?status=active&office=${enc}`, { refreshMs: 30_000 });
  const resolved = useApi<List<Insight>>(`/insights?status=resolved&office=${enc}`);
  const reports = useApi<List<ReportSummary>>(`/reports?office=${enc}&limit=15`, { refreshMs: 30_000 });

  if (isMissing(office.error) || !office.data)
    return (
      <PagePending
        title="Office"
        crumbs={[{ label: 'Overview', to: '/' }]}
        error={office.error}
        retry={office.reload}
        notFound={
          <Notice tone="warn" role="alert" testId="office-not-found">
            <strong>There is no such office in your organisation</strong>
            It may have been deleted, or the link points to an office you do not manage.
          </Notice>
        }
      />
    );
  const o = office.data;
  const activeItems = [...(active.data?.items ?? [])].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity],
  );
  return (
    <>
      <PageHead
        title={o.name}
        crumbs={[{ label: 'Overview', to: '/' }]}
        sub={
          <>
            {[o.address, o.city, o.country].filter(Boolean).join(', ')} · {o.latitude.toFixed(2)},{' '}
            {o.longitude.toFixed(2)}
          </>
        }
        actions={
          <>
            <Link to={`/insights?office=${enc}&status=resolved`} className="button">
              Insight history
            </Link>
            <Link to={`/manage/offices?edit=${enc}`} className="button">
              Edit office
            </Link>
          </>
        }
      />
      <div className="stack">
        <section aria-labelledby="active-title">
          <div className="section-title" style={{ marginTop: 0 }}>
            <h2 id="active-title">
              Active insights {active.data && <span className="muted">({active.data.items.length})</span>}
            </h2>
            <span className="small muted">
              LAN {o.lanSubnets.join(', ') || '—'} · egress {o.egressRanges.join(', ') || '—'}
            </span>
          </div>
          <ResourceView
            resource={active}
            errorAs="plain"
            loadingLabel="Loading insights…"
            empty={
              <Notice tone="ok">
                <strong>No active insights</strong>
                Nothing in the current window crosses a threshold for this office.
              </Notice>
            }
          />
          <div className="stack">
            {activeItems.map((i) => (
              <InsightCard key={i.id} insight={i} />
            ))}
          </div>
        </section>

        <OfficeAssessmentCard id={id} />

        <OfficeCharts id={id} />

        <Card
          title="Recent reports"
          titleId="reports-title"
          aside={<Link to={`/reports?office=${enc}`}>All reports →</Link>}
        >
          <ResourceView
            resource={reports}
            empty={
              <Empty title="No reports yet">
                <p>
                  Run a probe in this office with an <Link to="/manage/agent-tokens">agent token</Link>.
                </p>
              </Empty>
            }
          >
            {(data) => <ReportsTable items={data.items} />}
          </ResourceView>
        </Card>

        <Card title="Resolved" titleId="resolved-title">
          <ResourceView resource={resolved} empty={<Empty title="No resolved insights yet" />}>
            {(data) => (
              <DataTable
                rows={data.items}
                rowKey={(i) => i.id}
                columns={[
                  {
                    head: 'Insight',
                    cell: (i) => <Link to={`/insights/${encodeURIComponent(i.id)}`}>{i.title}</Link>,
                  },
                  { head: 'Kind', cell: (i) => KIND_LABEL[i.kind] ?? i.kind },
                  { head: 'Detected', at: (i) => i.firstDetectedAt },
                  { head: 'Resolved', at: (i) => i.resolvedAt },
                  {
                    head: 'Samples',
                    headClass: 'num',
                    className: 'num',
                    cell: (i) => count(i.evidence.samples),
                  },
                ]}
              />
            )}
          </ResourceView>
        </Card>
      </div>
    </>
  );
}
