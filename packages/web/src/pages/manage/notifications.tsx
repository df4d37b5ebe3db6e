/**
 * @module pages/manage/notifications
 * Notification channels and what was sent through them: the channels with
 * their type, target and filters (secrets are never listed), a form to add
 * one (a webhook's signing secret is shown once, like a token), delete,
 * "send a test", silences (maintenance windows), and the deliveries with their
 * status, attempts and last error.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedChannel, NotificationChannel } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { SecretNotice } from '../../components/secret-notice.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCanEdit } from '../../session.tsx';
import { ChannelForm } from './channel-form.tsx';
import { ChannelList } from './channel-list.tsx';
import { DeliveriesTable } from './deliveries.tsx';
import { SilencesCard } from './silences-card.tsx';

export function ManageNotifications() {
  const canEdit = useCanEdit();
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

  return (
    <>
      <PageHead
        title="Notifications"
        sub="Where netinsights tells you when an insight opens, reopens or resolves, and what it sent."
      />
      <div className="stack">
        {canEdit && (
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
                        Signing secret: copy it now into the receiver, it will not be shown again. Each
                        request carries an HMAC-SHA256 signature made with it.
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
        )}
        {action.error && <ErrorNotice error={action.error} />}
        <div className="sr-only" role="status" aria-live="polite">
          {status}
        </div>
        <ChannelList channels={channels} onTest={(c) => void sendTest(c)} onRemove={(c) => void remove(c)} />
        <SilencesCard />
        <Card title="Deliveries" titleId="deliveries-title">
          <DeliveriesTable channels={channels.data ?? []} changed={changed} />
        </Card>
      </div>
    </>
  );
}
