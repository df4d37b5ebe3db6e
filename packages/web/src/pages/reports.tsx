/**
 * @module pages/reports
 * Received probe reports, newest first, optionally for one office, paged
 * with the server's cursor.
 */
import { query } from '../api/client.ts';
import type { ReportSummary } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { CursorListView } from '../components/cursor-list-view.tsx';
import { PageHead } from '../components/page-head.tsx';
import { ReportsTable } from '../components/reports-table.tsx';
import { Empty } from '../components/states.tsx';
import { useCursorList } from '../lib/use-cursor-list.ts';
import { useLocation } from '../router.tsx';

export function ReportsPage() {
  const { search } = useLocation();
  const office = search.get('office') ?? '';
  const list = useCursorList<ReportSummary>((cursor) => `/reports${query({ office, limit: 50, cursor })}`);
  return (
    <>
      <PageHead title="Reports" sub="Every probe run that reached the collector, newest first." />
      <Card>
        <CursorListView
          list={list}
          empty={
            <Empty title="No reports yet">
              <p>Probes send a report after every run.</p>
            </Empty>
          }
        >
          {(items) => <ReportsTable items={items} showOffice={!office} />}
        </CursorListView>
      </Card>
    </>
  );
}
