/**
 * @module pages/manage/agent-hosts-card
 * The hosts a custom agent profile may name beyond the Microsoft 365
 * endpoints (an organisation's own test targets, say). Agents connect to
 * whatever their profile names, so the collector refuses a profile with any
 * other host, and only an owner can extend this list; admins and API tokens
 * can still change the profile within it.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { Field } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useSignedIn } from '../../session.tsx';

interface AgentHostsPolicy {
  allowed: string[];
}

const toText = (p: AgentHostsPolicy) => p.allowed.join('\n');

export function AgentHostsCard() {
  const isOwner = useSignedIn().user.role === 'owner';
  const { data, error, reload } = useApi<AgentHostsPolicy>('/settings/agent-hosts');
  const [text, setText] = useState<string | null>(null);
  const action = useAction();

  useEffect(() => {
    if (data) setText(toText(data));
  }, [data]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (text === null) return;
    await action.submit(async () => {
      const allowed = text
        .split(/[\s,]+/)
        .map((h) => h.trim())
        .filter(Boolean);
      const stored = await api<AgentHostsPolicy>('/settings/agent-hosts', {
        method: 'PUT',
        body: { allowed },
      });
      setText(toText(stored));
    });
  }

  return (
    <Card
      title="Hosts agents may test"
      titleId="agent-hosts-title"
      aside={<span className="small muted">Beyond the Microsoft 365 endpoints</span>}
    >
      <CardBody>
        {text === null && (error ? <ErrorNotice error={error} retry={reload} /> : <Loading />)}
        {text !== null && (
          <form onSubmit={save} noValidate className="stack">
            <p className="small muted">
              A custom profile may name Microsoft 365 endpoints (the shipped catalog and profile) and the
              hosts listed here, nothing else: agents connect to whatever their profile names, so this keeps a
              changed profile, or a leaked API token, from pointing the fleet at other hosts.
            </p>
            {!isOwner && <Notice tone="info">Only an owner can change this list.</Notice>}
            <Field
              id="agent-hosts"
              label="Host names or wildcards"
              hint="One per line, e.g. *.corp.example or proxytest.corp.example."
            >
              <textarea
                id="agent-hosts"
                rows={4}
                value={text}
                disabled={!isOwner}
                onChange={(e) => {
                  setText(e.target.value);
                  action.edited();
                }}
              />
            </Field>
            {action.error && <ErrorNotice error={action.error} title="Not saved" />}
            {action.saved && (
              <Notice tone="ok" role="status">
                Saved. Profiles naming these hosts are accepted from now on.
              </Notice>
            )}
            {isOwner && (
              <div className="row">
                <button type="submit" className="primary" disabled={action.busy}>
                  {action.busy ? 'Saving…' : 'Save hosts'}
                </button>
              </div>
            )}
          </form>
        )}
      </CardBody>
    </Card>
  );
}
