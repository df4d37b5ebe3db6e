/**
 * @module notify/metrics/collect
 * Builds the metric families that come from the store at scrape time: per
 * tenant and office, active insights by kind and severity and the latest
 * metric value of every insight (the failure share for the failure kinds);
 * each office's network assessment score (0–100, as of its last
 * evaluation); reports received in the last five minutes; the outbox queue
 * by status.
 */

import type {} from '../../assessment/store-contract.ts';
import { officeNamer } from '../../insights/office-directory.ts';
import type {} from '../../insights/store-contract.ts';
import type { Store } from '../../store/contract.ts';
import type { MetricFamily } from './exposition.ts';

// Five minutes: long enough to smooth 15-minute probe schedules spread over devices, short enough to show an outage.
const RECENT_MS = 5 * 60_000;

export async function collectStoreMetrics(store: Store, now: Date): Promise<MetricFamily[]> {
  const active: MetricFamily['samples'] = [];
  const values: MetricFamily['samples'] = [];
  const recent: MetricFamily['samples'] = [];
  const scores: MetricFamily['samples'] = [];
  const since = new Date(now.getTime() - RECENT_MS).toISOString();
  for (const tenant of await store.tenants.list()) {
    const name = officeNamer(store, tenant.id);
    for (const i of await store.insights.list(tenant.id, {})) {
      const labels = {
        tenant: tenant.name,
        tenant_id: tenant.id,
        office: await name(i.officeKey),
        office_id: i.officeKey,
        kind: i.kind,
      };
      values.push({ labels, value: i.value });
      if (i.status === 'active') active.push({ labels: { ...labels, severity: i.severity }, value: 1 });
    }
    const offices = new Set((await store.offices.list(tenant.id)).map((o) => o.id));
    for (const row of await store.assessment.latest(tenant.id)) {
      if (row.score === null || !offices.has(row.officeKey)) continue;
      scores.push({
        labels: {
          tenant: tenant.name,
          tenant_id: tenant.id,
          office: await name(row.officeKey),
          office_id: row.officeKey,
        },
        value: row.score,
      });
    }
    const counts = await store.reports.countSince(tenant.id, since);
    recent.push({ labels: { tenant: tenant.name, tenant_id: tenant.id }, value: counts.reports });
  }
  const queue = await store.outbox.countByStatus();
  return [
    {
      name: 'netinsights_insight_active',
      help: 'Active insights per tenant, office and kind (1 while active).',
      type: 'gauge',
      samples: active,
    },
    {
      name: 'netinsights_insight_value',
      help: 'Metric of each insight at its last evaluation: the failure share (0-1) for failure kinds.',
      type: 'gauge',
      samples: values,
    },
    {
      name: 'netinsights_office_assessment_score',
      help: 'Network assessment score (0-100) of each office at its last evaluation; offices without data have none.',
      type: 'gauge',
      samples: scores,
    },
    {
      name: 'netinsights_reports_recent',
      help: 'Probe reports stored in the last 5 minutes, per tenant.',
      type: 'gauge',
      samples: recent,
    },
    {
      name: 'netinsights_outbox_deliveries',
      help: 'Notification deliveries by status (pending + sending = queue depth).',
      type: 'gauge',
      samples: Object.entries(queue).map(([status, value]) => ({ labels: { status }, value })),
    },
  ];
}
