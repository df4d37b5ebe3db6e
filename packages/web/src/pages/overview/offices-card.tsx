/**
 * @module pages/overview/offices-card
 * Every office with its state, network assessment score and active insights, worst first, searchable
 * by name, city and country, filtered by state, 50 rows per page so a
 * thousand offices stay quick.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { OfficeSummary } from '../../api/types.ts';
import { HealthBadge, KindBadge } from '../../components/badges.tsx';
import { Card } from '../../components/card.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { Pager } from '../../components/pager.tsx';
import { ScoreBadge } from '../../components/score-badge.tsx';
import { SearchBox } from '../../components/search-box.tsx';
import { Empty } from '../../components/states.tsx';
import { count } from '../../lib/format.ts';
import { worstSeverity } from '../../lib/insight-kinds.ts';
import { Link } from '../../router.tsx';

const PAGE = 50;
type Filter = 'all' | 'insights' | 'healthy' | 'nodata';

const COLUMNS: readonly Column<OfficeSummary>[] = [
  {
    head: 'Office',
    cell: (o) => (
      <>
        <Link className="name" to={`/offices/${encodeURIComponent(o.id)}`}>
          {o.name}
        </Link>
        <div className="where">
          {o.city}, {o.country}
        </div>
      </>
    ),
  },
  {
    head: 'State',
    cell: (o) => <HealthBadge worst={worstSeverity(o.activeInsights)} hasData={o.reports24h > 0} />,
  },
  {
    head: 'Score',
    cell: (o) => (
      <ScoreBadge
        score={o.assessment?.score}
        title={o.assessment?.missing.length ? `Without ${o.assessment.missing.join(', ')}` : undefined}
      />
    ),
  },
  {
    head: 'Active insights',
    cell: (o) => (
      <div className="chips">
        {o.activeInsights.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          o.activeInsights.map((i) => <KindBadge key={i.id} kind={i.kind} severity={i.severity} />)
        )}
      </div>
    ),
  },
  { head: 'Devices', headClass: 'num hide-sm', className: 'num hide-sm', cell: (o) => count(o.devices24h) },
  { head: 'Reports', headClass: 'num hide-sm', className: 'num hide-sm', cell: (o) => count(o.reports24h) },
  { head: 'Last report', headClass: 'hide-sm', className: 'nowrap hide-sm', at: (o) => o.lastReportAt },
];

/** `ranked` is every office, worst first. */
export function OfficesCard({ ranked }: { ranked: OfficeSummary[] }) {
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(0);
  const q = useDeferredValue(search.trim().toLowerCase());
  const visible = useMemo(
    () =>
      ranked.filter((o) => {
        if (filter === 'insights' && o.activeInsights.length === 0) return false;
        if (filter === 'healthy' && (o.activeInsights.length > 0 || o.reports24h === 0)) return false;
        if (filter === 'nodata' && o.reports24h > 0) return false;
        if (!q) return true;
        return `${o.name} ${o.city} ${o.country}`.toLowerCase().includes(q);
      }),
    [ranked, filter, q],
  );
  const pageClamped = Math.min(page, Math.max(0, Math.ceil(visible.length / PAGE) - 1));
  const rows = visible.slice(pageClamped * PAGE, (pageClamped + 1) * PAGE);

  const controls = (
    <div className="row">
      <SearchBox
        id="office-search"
        label="Search offices"
        placeholder="Search name, city, country"
        value={search}
        onChange={(v) => {
          setSearch(v);
          setPage(0);
        }}
      />
      <label className="sr-only" htmlFor="office-filter">
        Show
      </label>
      <select
        id="office-filter"
        value={filter}
        onChange={(e) => {
          setFilter(e.target.value as Filter);
          setPage(0);
        }}
        style={{ width: 'auto' }}
      >
        <option value="all">All offices</option>
        <option value="insights">With active insights</option>
        <option value="healthy">Healthy</option>
        <option value="nodata">No data in 24 h</option>
      </select>
    </div>
  );

  return (
    <Card title="Offices" titleId="offices-title" aside={controls}>
      {ranked.length === 0 ? (
        <Empty title="No offices yet">
          <p>
            Add your offices (or import them from CSV) so that reports map to them.{' '}
            <Link to="/manage/offices">Add offices</Link>
          </p>
        </Empty>
      ) : visible.length === 0 ? (
        <Empty title="No office matches" />
      ) : (
        <DataTable
          testId="office-table"
          rows={rows}
          rowKey={(o) => o.id}
          rowProps={() => ({ className: 'office-row' })}
          columns={COLUMNS}
        />
      )}
      <Pager page={pageClamped} pageSize={PAGE} total={visible.length} onPage={setPage} noun="offices" />
    </Card>
  );
}
