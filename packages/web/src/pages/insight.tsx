/**
 * @module pages/insight
 * One insight with its evidence open and its life so far: opened, updated,
 * resolved, reopened.
 */
import type { Insight, InsightEvent } from '../api/types.ts';
import { InsightCard } from '../components/insight-card.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { dateTime } from '../lib/format.ts';
import { isMissing } from '../lib/not-found.ts';
import { useApi } from '../lib/use-api.ts';

const EVENT_LABEL: Record<InsightEvent['type'], string> = {
  opened: 'Opened',
  updated: 'Updated',
  resolved: 'Resolved',
  reopened: 'Reopened',
};

export function InsightPage({ id }: { id: string }) {
  const { data, error, reload } = useApi<{ insight: Insight; events: InsightEvent[] }>(
    `/insights/${encodeURIComponent(id)}`,
  );
  if (!data) {
    const missing = isMissing(error);
    return (
      <>
        <PageHead
          title={missing ? 'Insight not found' : 'Insight'}
          crumbs={[{ label: 'Insights', to: '/insights' }]}
        />
        {missing ? (
          <div className="notice warn" role="alert">
            <div>There is no such insight in your organisation.</div>
          </div>
        ) : error ? (
          <ErrorNotice error={error} retry={reload} />
        ) : (
          <Loading />
        )}
      </>
    );
  }
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
        <section className="card" aria-labelledby="events-title">
          <div className="card-head">
            <h2 id="events-title">History</h2>
          </div>
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
                        className={`badge ${e.type === 'resolved' ? 'ok' : e.type === 'updated' ? 'info' : 'high'}`}
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
        </section>
      </div>
    </>
  );
}
