/**
 * @module pages/overview
 * The tenant at a glance: its network assessment score and totals, the world map of offices coloured by their
 * worst active insight, what needs attention, every office with its active
 * insights (`OfficesCard`), and the discovered locations waiting to be
 * adopted. Refreshes every 30 s.
 */
import { useMemo } from 'react';
import type { AssessmentAnswer, Overview } from '../api/types.ts';
import { Card } from '../components/card.tsx';
import { PageHead } from '../components/page-head.tsx';
import { PagePending } from '../components/page-pending.tsx';
import { ErrorNotice } from '../components/states.tsx';
import { MapLegend, WorldMap } from '../components/world-map.tsx';
import { useApi } from '../lib/use-api.ts';
import { Link } from '../router.tsx';
import { AttentionCard } from './overview/attention-card.tsx';
import { DiscoveredCard } from './overview/discovered-card.tsx';
import { mapMarkers } from './overview/map-markers.ts';
import { byAttention } from './overview/office-order.ts';
import { OfficesCard } from './overview/offices-card.tsx';
import { TenantStats } from './overview/tenant-stats.tsx';

export function OverviewPage() {
  const { data, error, loading, reload } = useApi<Overview>('/overview', { refreshMs: 30_000 });
  const assessment = useApi<AssessmentAnswer>('/assessment?days=1', { refreshMs: 60_000 });
  const ranked = useMemo(() => byAttention(data?.offices ?? []), [data]);
  const markers = useMemo(() => (data ? mapMarkers(data) : []), [data]);

  if (!data)
    return <PagePending title="Overview" error={error} retry={reload} loadingLabel="Loading the overview…" />;

  const affected = data.offices.filter((o) => o.activeInsights.length > 0).length;
  return (
    <>
      <PageHead
        title="Overview"
        sub={
          <>
            {data.tenant.name} · last 24 hours{loading && <span className="muted"> · refreshing…</span>}
          </>
        }
        actions={
          <Link to="/manage/offices" className="button">
            Manage offices
          </Link>
        }
      />
      {error && (
        <ErrorNotice error={error} retry={reload} title="Could not refresh; showing the last answer" />
      )}
      <TenantStats totals={data.totals} affected={affected} assessment={assessment.data} />
      <div className="grid" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <div className="overview-top">
          <Card title="Offices worldwide" titleId="map-title" aside={<MapLegend />}>
            <WorldMap
              markers={markers}
              label={`Map of ${data.offices.length} offices; ${affected} with active insights`}
            />
          </Card>
          <AttentionCard totals={data.totals} ranked={ranked} />
        </div>
        <OfficesCard ranked={ranked} />
        <DiscoveredCard discovered={data.discovered} />
      </div>
    </>
  );
}
