/**
 * @module pages/manage/audit
 * Who changed what in this organisation, newest first: sign-ins, offices,
 * tokens, administrators, thresholds. Paged with the server's cursor.
 */
import { useEffect, useState } from 'react';
import { api, query } from '../../api/client.ts';
import type { List } from '../../api/types.ts';
import { PageHead } from '../../components/page-head.tsx';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { dateTime } from '../../lib/format.ts';

interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
}

export function ManageAudit() {
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    api<List<AuditEntry>>('/audit')
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
  }, [attempt]);

  const more = async () => {
    setLoading(true);
    try {
      const r = await api<List<AuditEntry>>(`/audit${query({ cursor })}`);
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
      <PageHead title="Audit log" sub="Every change made in this organisation, and by whom." />
      <section className="card">
        {error && (
          <div className="card-body">
            <ErrorNotice error={error} retry={() => setAttempt((a) => a + 1)} />
          </div>
        )}
        {!loading && !error && items.length === 0 && <Empty title="Nothing recorded yet" />}
        {items.length > 0 && (
          <div className="table-wrap">
            <table data-testid="audit-table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Action</th>
                  <th>Target</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={`${a.at}|${a.actor}|${a.action}|${a.target}`}>
                    <td className="nowrap">{dateTime(a.at)}</td>
                    <td>{a.actor}</td>
                    <td>
                      <code>{a.action}</code>
                    </td>
                    <td className="mono small">{a.target}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
