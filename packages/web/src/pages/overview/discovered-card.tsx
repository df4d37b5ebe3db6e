/**
 * @module pages/overview/discovered-card
 * The first eight discovered locations (networks that match no office),
 * with a link to review and adopt them.
 */
import type { Discovered } from '../../api/types.ts';
import { Card } from '../../components/card.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { DISCOVERED_COLUMNS } from '../../components/discovered-columns.tsx';
import { Empty } from '../../components/states.tsx';
import { Link } from '../../router.tsx';

export function DiscoveredCard({ discovered }: { discovered: Discovered[] }) {
  return (
    <Card
      title="Discovered locations"
      titleId="disc-title"
      aside={<Link to="/manage/discovered">Review and adopt →</Link>}
    >
      {discovered.length === 0 ? (
        <Empty title="Nothing waiting">
          <p>
            Reports from networks that match no office appear here, grouped by the city of their egress
            (remote workers) or by egress address.
          </p>
        </Empty>
      ) : (
        <DataTable
          rows={discovered.slice(0, 8)}
          rowKey={(d) => d.id}
          columns={[...DISCOVERED_COLUMNS, { head: 'Last seen', at: (d) => d.lastSeenAt }]}
        />
      )}
    </Card>
  );
}
