/**
 * @module pages/manage/office-register
 * Every office of the organisation by name, filtered as the admin types,
 * 50 to a page: where it is, its LAN subnets and egress ranges, and buttons
 * to edit or delete it.
 */
import { useMemo, useState } from 'react';
import type { List, Office, OfficeSummary } from '../../api/types.ts';
import { Card } from '../../components/card.tsx';
import { ACTIONS, DataTable } from '../../components/data-table.tsx';
import { Pager } from '../../components/pager.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { SearchBox } from '../../components/search-box.tsx';
import { Empty } from '../../components/states.tsx';
import type { Resource } from '../../lib/use-api.ts';
import { Link, navigate } from '../../router.tsx';
import { useCanEdit } from '../../session.tsx';

const PAGE = 50;

export function OfficeRegister({
  offices,
  onRemove,
}: {
  offices: Resource<List<OfficeSummary>>;
  onRemove: (o: Office) => void;
}) {
  const canEdit = useCanEdit();
  const { data } = offices;
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const items = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return [...(data?.items ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((o) => !q || `${o.name} ${o.city} ${o.country}`.toLowerCase().includes(q));
  }, [data, filter]);

  return (
    <Card
      title={<>All offices {data && <span className="muted">({data.items.length})</span>}</>}
      titleId="list-title"
      aside={
        <SearchBox
          id="manage-filter"
          label="Filter offices"
          placeholder="Filter"
          value={filter}
          onChange={(v) => {
            setFilter(v);
            setPage(0);
          }}
        />
      }
    >
      <ResourceView
        resource={offices}
        empty={
          <Empty title="No offices yet">
            <p>Add one, or import many at once from CSV.</p>
          </Empty>
        }
      >
        {() =>
          items.length > 0 && (
            <DataTable
              testId="manage-offices"
              rows={items.slice(page * PAGE, (page + 1) * PAGE)}
              rowKey={(o) => o.id}
              columns={[
                {
                  head: 'Office',
                  cell: (o) => <Link to={`/offices/${encodeURIComponent(o.id)}`}>{o.name}</Link>,
                },
                {
                  head: 'Location',
                  cell: (o) => (
                    <>
                      {o.city}, {o.country}
                      <div className="small muted">
                        {o.latitude.toFixed(2)}, {o.longitude.toFixed(2)}
                      </div>
                    </>
                  ),
                },
                {
                  head: 'LAN subnets',
                  className: 'mono small',
                  cell: (o) => o.lanSubnets.join(', ') || '—',
                },
                {
                  head: 'Egress ranges',
                  className: 'mono small',
                  cell: (o) => o.egressRanges.join(', ') || '—',
                },
                {
                  head: ACTIONS,
                  className: 'nowrap',
                  cell: (o) =>
                    canEdit && (
                      <>
                        <button
                          type="button"
                          className="small"
                          onClick={() => navigate(`/manage/offices?edit=${encodeURIComponent(o.id)}`)}
                        >
                          Edit
                        </button>{' '}
                        <button type="button" className="small danger" onClick={() => onRemove(o)}>
                          Delete
                        </button>
                      </>
                    ),
                },
              ]}
            />
          )
        }
      </ResourceView>
      <Pager page={page} pageSize={PAGE} total={items.length} onPage={setPage} noun="offices" />
    </Card>
  );
}
