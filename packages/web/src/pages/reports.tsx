/**
 * @module pages/reports
 * Received probe reports, newest first, optionally for one office, paged
 * with the server's cursor.
 */
import { useEffect, useState } from 'react';
import { api, query } from '../api/client.ts';
import type { List, ReportSummary } from '../api/types.ts';
import { PageHead } from '../components/page-head.tsx';
import { ReportsTable } from '../components/reports-table.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { useLocation } from '../router.tsx';

export function ReportsPage() {
  const { search } = useLocation();
  const office = search.get('office') ?? '';
  const [items, setItems] = useState<ReportSummary[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    let live = true;
    setItems([]);
    setLoading(true);
    setError(undefined);
    api<List<ReportSummary>>(`/reports${query({ office, limit: 50 })}`)
      .then((r) => {
        if (!live) return;
        setItems(r.items);
        setCursor(r.nextCursor);
      })
      .catch((e: Error) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [office, attempt]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const r = await api<List<ReportSummary>>(`/reports${query({ office, limit: 50, cursor })}`);
      setItems((old) => [...old, ...r.items]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <PageHead title="Reports" sub="Every probe run that reached the collector, newest first." />
      <section className="card">
        {error && (
          <div className="card-body">
            <ErrorNotice error={error} retry={() => setAttempt((a) => a + 1)} />
          </div>
        )}
        {!loading && !error && items.length === 0 && (
          <Empty title="No reports yet">
            <p>Probes send a report after every run.</p>
          </Empty>
        )}
        {items.length > 0 && <ReportsTable items={items} showOffice={!office} />}
        {loading && <Loading />}
        {cursor && !loading && (
          <div className="pager">
            <span className="muted small">{items.length} shown</span>
            <button type="button" onClick={() => void more()}>
              Load more
            </button>
          </div>
        )}
      </section>
    </>
  );
}
