/**
 * @module pages/manage/discovered
 * Networks that sent reports but match no office, grouped by egress city
 * (remote workers, when the geo database knows the city) or egress prefix
 * (and city, when the server has a GeoIP database). Adopting one creates an
 * office prefilled from it; its reports map to that office from then on.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Discovered, List, Office } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { ACTIONS, DataTable } from '../../components/data-table.tsx';
import { DISCOVERED_COLUMNS } from '../../components/discovered-columns.tsx';
import { Notice } from '../../components/notice.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty } from '../../components/states.tsx';
import { useApi } from '../../lib/use-api.ts';
import { Link } from '../../router.tsx';
import { useCanEdit } from '../../session.tsx';
import { draftOf, OfficeForm } from './office-form.tsx';

export function ManageDiscovered() {
  const canEdit = useCanEdit();
  const discovered = useApi<List<Discovered>>('/discovered');
  const [adopting, setAdopting] = useState<Discovered | null>(null);
  const [adopted, setAdopted] = useState<Office | null>(null);

  return (
    <>
      <PageHead
        title="Discovered locations"
        sub="Reports from networks that match none of your offices, grouped by the city of their egress when the geo database knows it. Adopt a location to turn it into an office; adopting a city maps its remote workers."
      />
      <div className="stack">
        {adopted && (
          <Notice tone="ok" role="status">
            Adopted as <Link to={`/offices/${encodeURIComponent(adopted.id)}`}>{adopted.name}</Link>. Its
            reports now count for that office.
          </Notice>
        )}
        {adopting && (
          <Card title={`Adopt ${adopting.label}`} titleId="adopt-title">
            <CardBody>
              <OfficeForm
                key={adopting.id}
                initial={draftOf({
                  name: adopting.city ? `${adopting.city} office` : '',
                  city: adopting.city ?? '',
                  country: adopting.country ?? '',
                  ...(adopting.latitude !== null ? { latitude: adopting.latitude } : {}),
                  ...(adopting.longitude !== null ? { longitude: adopting.longitude } : {}),
                  lanSubnets: [],
                  // A city group of remote workers has no egress range of its own: adoption maps the city.
                  egressRanges: adopting.grouping === 'egress' ? [adopting.egressPrefix] : [],
                })}
                submitLabel="Adopt as office"
                onCancel={() => setAdopting(null)}
                onSubmit={async (input) => {
                  const o = await api<Office>(`/discovered/${encodeURIComponent(adopting.id)}/adopt`, {
                    method: 'POST',
                    body: input,
                  });
                  setAdopting(null);
                  setAdopted(o);
                  discovered.reload();
                }}
              />
            </CardBody>
          </Card>
        )}
        <Card>
          <ResourceView
            resource={discovered}
            empty={
              <Empty title="Nothing waiting to be adopted">
                <p>Every report maps to one of your offices.</p>
              </Empty>
            }
          >
            {(data) => (
              <DataTable
                rows={data.items}
                rowKey={(d) => d.id}
                columns={[
                  ...DISCOVERED_COLUMNS,
                  { head: 'First seen', at: (d) => d.firstSeenAt },
                  { head: 'Last seen', at: (d) => d.lastSeenAt },
                  {
                    head: ACTIONS,
                    cell: (d) =>
                      canEdit && (
                        <button type="button" className="small primary" onClick={() => setAdopting(d)}>
                          Adopt…
                        </button>
                      ),
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
