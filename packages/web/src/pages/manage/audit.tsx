/**
 * @module pages/manage/audit
 * Who changed what in this organisation, newest first: sign-ins, offices,
 * tokens, administrators, thresholds. Paged with the server's cursor.
 */
import { query } from '../../api/client.ts';
import { Card } from '../../components/card.tsx';
import { CursorListView } from '../../components/cursor-list-view.tsx';
import { DataTable } from '../../components/data-table.tsx';
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
            <DataTable
              testId="audit-table"
              rows={items}
              rowKey={(a) => `${a.at}|${a.actor}|${a.action}|${a.target}`}
              columns={[
                { head: 'When', className: 'nowrap', cell: (a) => dateTime(a.at) },
                { head: 'Who', cell: (a) => a.actor },
                { head: 'Action', cell: (a) => <code>{a.action}</code> },
                { head: 'Target', className: 'mono small', cell: (a) => a.target },
              ]}
            />
          )}
        </CursorListView>
      </Card>
    </>
  );
}
