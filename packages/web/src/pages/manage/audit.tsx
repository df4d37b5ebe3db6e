/**
 * @module pages/manage/audit
 * Who changed what in this organisation, newest first: sign-ins, offices,
 * tokens, administrators, thresholds. Paged with the server's cursor.
 */
import { query } from '../../api/client.ts';
import { Card } from '../../components/card.tsx';
import { CursorListView } from '../../components/cursor-list-view.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { Empty } from '../../components/states.tsx';
import { dateTime } from '../../lib/format.ts';
import { useCursorList } from '../../lib/use-cursor-list.ts';

interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
}

export function ManageAudit() {
  const list = useCursorList<AuditEntry>((cursor) => `/audit${query({ cursor })}`);
  return (
    <>
      <PageHead title="Audit log" sub="Every change made in this organisation, and by whom." />
      <Card>
        <CursorListView list={list} empty={<Empty title="Nothing recorded yet" />}>
          {(items) => (
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
        </CursorListView>
      </Card>
    </>
  );
}
