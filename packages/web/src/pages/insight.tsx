/**
 * @module pages/insight
 * One insight with its evidence open and its life so far: opened, updated,
 * resolved, reopened.
 */
import type { Insight, InsightEvent } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { InsightCard } from '../components/insight-card.tsx';
import { PageHead } from '../components/page-head.tsx';
import { PagePending } from '../components/page-pending.tsx';
import { dateTime } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

const EVENT_LABEL: Record<InsightEvent['type'], string> = {
  opened: 'Opened',
  updated: 'Updated',
  resolved: 'Resolved',
  reopened: 'Reopened',
  disabled: 'Kind turned off',
  enabled: 'Kind turned on',
};

export function InsightPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<{ insight: Insight; events: InsightEvent[] }>(
    `/insights/${encodeURIComponent(id)}`,
  );
  if (!data)
    return (
      <PagePending
        title="Insight"
        crumbs={[{ label: 'Insights', to: '/insights' }]}
        error={error}
        retry={reload}
        notFound="There is no such insight in your organisation."
      />
    );
  const { insight, events } = data;
  return (
    <>
      <PageHead
        title={insight.title}
        crumbs={[
          { label: 'Insights', to: '/insights' },
          { label: insight.officeName, to: `/offices/${encodeURIComponent(insight.officeId)}` },
        ]}
      />
      <div className="stack">
        <InsightCard insight={insight} showOffice openEvidence />
        <Card title="History" titleId="events-title">
          <div className="table-wrap">
            <table>
              <tbody>
                {events.length === 0 && (
                  <tr>
                    <td className="muted">No events recorded.</td>
                  </tr>
                )}
                {events.map((e) => (
                  <tr key={`${e.type}-${e.at}`}>
                    <td className="nowrap" style={{ width: 1 }}>
                      {dateTime(e.at)}
                    </td>
                    <td style={{ width: 1 }}>
                      <span
                        className={`badge ${e.type === 'resolved' ? 'ok' : e.type === 'opened' || e.type === 'reopened' ? 'high' : 'info'}`}
                      >
                        {EVENT_LABEL[e.type] ?? e.type}
                      </span>
                    </td>
                    <td>{e.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </>
  );
}
