/**
 * @module pages/manage/delivery-row
 * One delivery in the outbox table: its status, channel, what it carried,
 * attempts, last error and time; "Attempts" opens its attempt log below it.
 */
import type { Delivery, DeliveryAttempt, DeliveryDetail, DeliveryStatus } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { ago, dateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

export const STATUS_BADGE: Record<DeliveryStatus, string> = {
  pending: 'badge info',
  sending: 'badge info',
  delivered: 'badge ok',
  failed: 'badge high',
  cancelled: 'badge idle',
};

const ATTEMPT_COLUMNS: readonly Column<DeliveryAttempt>[] = [
  { head: '#', cell: (a) => a.attempt },
  { head: 'When', className: 'nowrap', cell: (a) => dateTime(a.at) },
  {
    head: 'Result',
    cell: (a) => (
      <>
        {a.ok ? 'OK' : 'Failed'}
        {a.statusCode !== null && ` · HTTP ${a.statusCode}`}
      </>
    ),
  },
  { head: 'Detail', className: 'wrap-any', cell: (a) => a.detail || '—' },
  { head: 'Took', className: 'nowrap', cell: (a) => (a.durationMs === null ? '—' : `${a.durationMs} ms`) },
];

function AttemptLog({ id }: { id: string }) {
  const detail = useApi<DeliveryDetail>(`/deliveries/${encodeURIComponent(id)}`);
  return (
    <ResourceView resource={detail} errorAs="plain" loadingLabel="Loading attempts…">
      {(data) =>
        data.attemptLog.length === 0 ? (
          <p className="small muted">
            No attempt yet{data.nextAttemptAt ? `; next at ${dateTime(data.nextAttemptAt)}` : ''}.
          </p>
        ) : (
          <DataTable
            mini
            label="Attempts"
            rows={data.attemptLog}
            rowKey={(a) => String(a.attempt)}
            columns={ATTEMPT_COLUMNS}
          />
        )
      }
    </ResourceView>
  );
}

function what(d: Delivery): string {
  if (d.test) return 'Test message';
  if (d.events.length === 1) return `${d.events[0]?.kind ?? ''} ${d.events[0]?.type ?? ''}`;
  return `Digest of ${d.events.length} events`;
}

export function DeliveryRow({
  d,
  channel,
  open,
  onToggle,
}: {
  d: Delivery;
  channel: string;
  open: boolean;
  onToggle: () => void;
}) {
  const when = d.deliveredAt ?? d.createdAt;
  return (
    <>
      <tr data-delivery-id={d.id}>
        <td>
          <span className={STATUS_BADGE[d.status]} data-testid="delivery-status">
            {d.status}
          </span>
        </td>
        <td>{channel}</td>
        <td>{what(d)}</td>
        <td>{d.attempts}</td>
        <td className="wrap-any">
          {d.lastError ?? '—'}
          {d.status === 'pending' && d.nextAttemptAt && d.attempts > 0 && (
            <div className="small muted">Next try {dateTime(d.nextAttemptAt)}</div>
          )}
        </td>
        <td className="nowrap" title={dateTime(when)}>
          {ago(when)}
        </td>
        <td>
          <button
            type="button"
            className="small ghost"
            aria-expanded={open}
            aria-controls={`attempts-${d.id}`}
            onClick={onToggle}
          >
            {open ? 'Hide attempts' : 'Attempts'}
          </button>
        </td>
      </tr>
      {open && (
        <tr id={`attempts-${d.id}`}>
          <td colSpan={7}>
            <AttemptLog id={d.id} />
          </td>
        </tr>
      )}
    </>
  );
}
