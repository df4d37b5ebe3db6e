/**
 * @module pages/overview/tenant-stats
 * The row of tenant totals at the top of the overview.
 */
import type { Overview } from '../../api/types.ts';
import { count } from '../../lib/format.ts';

export function TenantStats({ totals: t, affected }: { totals: Overview['totals']; affected: number }) {
  return (
    <section className="stats" aria-label="Tenant totals">
      <div className="stat">
        <div className="label">Offices</div>
        <div className="value">{count(t.offices)}</div>
      </div>
      <div className={`stat ${t.activeInsights > 0 ? 'bad' : 'ok'}`}>
        <div className="label">Active insights</div>
        <div className="value" data-testid="total-active">
          {count(t.activeInsights)}
        </div>
      </div>
      <div className="stat">
        <div className="label">Offices affected</div>
        <div className="value">{count(affected)}</div>
      </div>
      <div className="stat">
        <div className="label">Reports (24 h)</div>
        <div className="value">{count(t.reports24h)}</div>
      </div>
      <div className="stat">
        <div className="label">Devices (24 h)</div>
        <div className="value">{count(t.devices24h)}</div>
      </div>
    </section>
  );
}
