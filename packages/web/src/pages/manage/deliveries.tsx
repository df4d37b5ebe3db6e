/**
 * @module pages/manage/deliveries
 * The notification outbox as the admin sees it: every delivery (a test, an
 * insight event or a digest) with its status, attempts, last error and time,
 * newest first, filtered by channel and status and paged with the server's
 * cursor. It refreshes itself while anything is still on its way, and each
 * row opens its attempt log.
 */
import { useEffect, useState } from 'react';
import { query } from '../../api/client.ts';
import type { Delivery, DeliveryStatus, List, NotificationChannel } from '../../api/types.ts';
import { CardBody } from '../../components/card.tsx';
import { SelectField } from '../../components/fields.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty, ErrorNotice } from '../../components/states.tsx';
import { useApi } from '../../lib/use-api.ts';
import { DeliveryRow, STATUS_BADGE } from './delivery-row.tsx';

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  ...(Object.keys(STATUS_BADGE) as DeliveryStatus[]).map((s) => ({ value: s, label: s })),
];

/** How often the table re-reads while deliveries are pending (the worker retries with backoff). */
const REFRESH_MS = 2_000;

/**
 * `changed` is bumped by the page when it queued something (a test), so the
 * table reads again at once instead of at the next refresh.
 */
export function DeliveriesTable({ channels, changed }: { channels: NotificationChannel[]; changed: number }) {
  const [channelId, setChannelId] = useState('');
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  // The cursors of the pages before this one, so "Newer" can step back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const [open, setOpen] = useState<string | null>(null);
  const path = `/deliveries${query({ channelId, status, cursor })}`;
  const [busy, setBusy] = useState(false);
  const deliveries = useApi<List<Delivery>>(path, { refreshMs: busy ? REFRESH_MS : undefined });
  const { data, error, reload } = deliveries;
  const inFlight = !!data?.items.some((d) => d.status === 'pending' || d.status === 'sending');
  useEffect(() => setBusy(inFlight), [inFlight]);
  useEffect(() => {
    if (changed > 0) reload();
  }, [changed, reload]);
  const names = new Map(channels.map((c) => [c.id, c.name]));

  return (
    <>
      <CardBody style={{ paddingBottom: 0 }}>
        <div className="filters">
          <SelectField
            id="dl-channel"
            label="Channel"
            value={channelId}
            onChange={(v) => {
              setChannelId(v);
              setCursors([]);
            }}
            options={[
              { value: '', label: 'All channels' },
              ...channels.map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <SelectField
            id="dl-status"
            label="Status"
            value={status}
            onChange={(v) => {
              setStatus(v as DeliveryStatus | '');
              setCursors([]);
            }}
            options={STATUS_OPTIONS}
          />
          <button type="button" onClick={reload}>
            Refresh
          </button>
        </div>
        {error && <ErrorNotice error={error} retry={reload} />}
      </CardBody>
      <ResourceView
        resource={deliveries}
        errorAs="none"
        loadingLabel="Loading deliveries…"
        empty={
          <Empty title={channelId || status ? 'No deliveries match' : 'Nothing sent yet'}>
            <span className="muted">Send a test to a channel to see it here.</span>
          </Empty>
        }
      >
        {(data) => (
          <div className="table-wrap">
            <table data-testid="deliveries-table">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Channel</th>
                  <th>What</th>
                  <th>Attempts</th>
                  <th>Last error</th>
                  <th>Time</th>
                  <th>
                    <span className="sr-only">Attempt log</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <DeliveryRow
                    key={d.id}
                    d={d}
                    channel={names.get(d.channelId) ?? 'deleted channel'}
                    open={open === d.id}
                    onToggle={() => setOpen(open === d.id ? null : d.id)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceView>
      {(cursors.length > 0 || data?.nextCursor) && (
        <nav className="pager" aria-label="Delivery pages">
          <span />
          <span className="row">
            <button
              type="button"
              className="small"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              ← Newer
            </button>
            <button
              type="button"
              className="small"
              disabled={!data?.nextCursor}
              onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}
            >
              Older →
            </button>
          </span>
        </nav>
      )}
    </>
  );
}
