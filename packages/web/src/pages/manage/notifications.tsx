/**
 * @module pages/manage/notifications
 * Notification channels and what was sent through them: the channels with
 * their type, target and filters (secrets are never listed), a form to add
 * one (a webhook's signing secret is shown once, like a token), delete,
 * "send a test", and the deliveries with their status, attempts and last error.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedChannel, InsightKind, NotificationChannel } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { ACTIONS, type Column, DataTable } from '../../components/data-table.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { SecretNotice } from '../../components/secret-notice.tsx';
import { Empty, ErrorNotice } from '../../components/states.tsx';
import { KIND_LABEL } from '../../lib/insight-kinds.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { CHANNEL_TYPE_LABEL, ChannelForm } from './channel-form.tsx';
import { DeliveriesTable } from './deliveries.tsx';

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

export function ManageNotifications() {
  const channels = useApi<NotificationChannel[]>('/notification-channels');
  const { reload } = channels;
  const [created, setCreated] = useState<CreatedChannel | null>(null);
  const action = useAction();
  const [status, setStatus] = useState('');
  const [changed, setChanged] = useState(0);

  async function sendTest(c: NotificationChannel) {
    await action.run(async () => {
      await api<{ deliveryId: string }>(`/notification-channels/${encodeURIComponent(c.id)}/test`, {
        method: 'POST',
      });
      setStatus(`Test message queued for “${c.name}”. Its delivery appears below.`);
      setChanged((n) => n + 1);
    });
  }

  async function remove(c: NotificationChannel) {
    if (!window.confirm(`Delete “${c.name}”? Messages not yet sent to it are cancelled.`)) return;
    await action.run(async () => {
      await api(`/notification-channels/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
      setStatus(`Channel “${c.name}” deleted.`);
      reload();
      setChanged((n) => n + 1);
    });
  }

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
    { head: 'Type', className: 'nowrap', cell: (c) => CHANNEL_TYPE_LABEL[c.type] ?? c.type },
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
      cell: (c) => (
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <button type="button" className="small nowrap" onClick={() => void sendTest(c)}>
            Send a test<span className="sr-only"> to {c.name}</span>
          </button>
          <button type="button" className="small danger" onClick={() => void remove(c)}>
            Delete<span className="sr-only"> {c.name}</span>
          </button>
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHead
        title="Notifications"
        sub="Where netinsights tells you when an insight opens, reopens or resolves, and what it sent."
      />
      <div className="stack">
        <Card title="Add a channel" titleId="new-channel-title">
          <CardBody>
            {created ? (
              <SecretNotice
                title={`Channel “${created.name}” added.`}
                copy={created.secret && <CopyButton text={created.secret} label="Copy secret" />}
                onDone={() => setCreated(null)}
              >
                {created.secret && (
                  <>
                    <p>
                      Signing secret: copy it now into the receiver, it will not be shown again. Each request
                      carries an HMAC-SHA256 signature made with it.
                    </p>
                    <code className="secret" data-testid="channel-secret">
                      {created.secret}
                    </code>
                  </>
                )}
              </SecretNotice>
            ) : (
              <ChannelForm
                onCreated={(c) => {
                  setCreated(c);
                  reload();
                }}
              />
            )}
          </CardBody>
        </Card>
        {action.error && <ErrorNotice error={action.error} />}
        <div className="sr-only" role="status" aria-live="polite">
          {status}
        </div>
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
        <Card title="Deliveries" titleId="deliveries-title">
          <DeliveriesTable channels={channels.data ?? []} changed={changed} />
        </Card>
      </div>
    </>
  );
}
