/**
 * @module pages/manage/channel-list
 * The notification channels with their type, where they send (secrets and
 * passwords are never listed), what they hear about, digest and age, and
 * per channel "Send a test" and "Delete".
 */
import type { ChannelTypeInfo } from '@netinsights/protocol/channel-form.ts';
import type { InsightKind, NotificationChannel } from '../../api/types.ts';
import { Card } from '../../components/card.tsx';
import { ACTIONS, type Column, DataTable } from '../../components/data-table.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty } from '../../components/states.tsx';
import { KIND_LABEL } from '../../lib/insight-kinds.ts';
import { type Resource, useApi } from '../../lib/use-api.ts';
import { useCanEdit } from '../../session.tsx';

/** Where the channel sends, as the admin typed it (the API never returns secrets or passwords). */
function target(c: NotificationChannel): string {
  const cfg = c.config;
  if (c.type !== 'email') return String(cfg.url ?? '');
  const to = Array.isArray(cfg.to) ? (cfg.to as string[]).join(', ') : '';
  return `${to} via ${String(cfg.host)}:${String(cfg.port)}`;
}

function filterText(c: NotificationChannel): string {
  const f = c.filters;
  const kinds = f.kinds?.length
    ? f.kinds.map((k) => KIND_LABEL[k as InsightKind] ?? k).join(', ')
    : 'All kinds';
  const events = f.eventTypes?.length ? f.eventTypes.join(', ') : 'all events';
  const offices = f.officeIds?.length ? `; ${f.officeIds.length} office(s)` : '';
  return `${kinds}; ${events}${offices}`;
}

export function ChannelList({
  channels,
  onTest,
  onRemove,
}: {
  channels: Resource<NotificationChannel[]>;
  onTest: (c: NotificationChannel) => void;
  onRemove: (c: NotificationChannel) => void;
}) {
  const canEdit = useCanEdit();
  // The type names come from the server's channel table, like the form's fields.
  const types = useApi<ChannelTypeInfo[]>('/notification-channel-types');
  const typeLabel = (type: string) => types.data?.find((t) => t.type === type)?.label ?? type;
  const columns: Column<NotificationChannel>[] = [
    {
      head: 'Name',
      cell: (c) => (
        <>
          {c.name}
          {!c.enabled && <span className="badge idle"> Off</span>}
        </>
      ),
    },
    { head: 'Type', className: 'nowrap', cell: (c) => typeLabel(c.type) },
    { head: 'Sends to', className: 'wrap-any', cell: target },
    { head: 'Hears about', cell: filterText },
    {
      head: 'Digest',
      className: 'nowrap',
      cell: (c) => (c.digestMinutes ? `${c.digestMinutes} min` : 'Off'),
    },
    { head: 'Added', className: 'nowrap', at: (c) => c.createdAt },
    {
      head: ACTIONS,
      cell: (c) =>
        canEdit && (
          <div className="row" style={{ flexWrap: 'nowrap' }}>
            <button type="button" className="small nowrap" onClick={() => onTest(c)}>
              Send a test<span className="sr-only"> to {c.name}</span>
            </button>
            <button type="button" className="small danger" onClick={() => onRemove(c)}>
              Delete<span className="sr-only"> {c.name}</span>
            </button>
          </div>
        ),
    },
  ];

  return (
    <Card title="Channels" titleId="channels-title">
      <ResourceView
        resource={channels}
        empty={
          <Empty title="No channels yet">
            <span className="muted">Add a webhook, Teams, Slack or e-mail channel above.</span>
          </Empty>
        }
      >
        {(data) => (
          <DataTable
            testId="channels-table"
            rows={data}
            rowKey={(c) => c.id}
            rowProps={(c) => ({ 'data-channel-name': c.name })}
            columns={columns}
          />
        )}
      </ResourceView>
    </Card>
  );
}
