/**
 * @module pages/manage/agent-tokens
 * Agent tokens let a probe submit reports and nothing else. A new token is
 * shown once, with the exact probe command line to paste on the machine
 * that will run it; afterwards only its name and use are listed. Below the
 * tokens: the agents by version, enrollment secrets for a fleet, and the
 * schedule and profile every agent takes from the collector.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedToken, List, OfficeSummary, TokenRecord } from '../../api/types.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { useApi } from '../../lib/use-api.ts';
import { AgentPolicyCard } from './agent-policy-card.tsx';
import { EnrollmentCard } from './enrollment-card.tsx';
import { FleetCard } from './fleet-card.tsx';
import { TokenTable } from './token-table.tsx';

export function probeCommand(token: string, origin = window.location.origin): string {
  return `netinsights probe --collector ${origin} --token ${token}`;
}

export function ManageAgentTokens() {
  const { data, error, reload } = useApi<List<TokenRecord>>('/agent-tokens');
  const offices = useApi<List<OfficeSummary>>('/offices');
  const [name, setName] = useState('');
  const [officeId, setOfficeId] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);
  const officeName = (id: string | null | undefined) =>
    id ? (offices.data?.items.find((o) => o.id === id)?.name ?? id) : 'Any (mapped by network)';

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setActionError(null);
    try {
      const t = await api<CreatedToken>('/agent-tokens', {
        method: 'POST',
        body: { name: name.trim(), ...(officeId ? { officeId } : {}) },
      });
      setCreated(t);
      setName('');
      reload();
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(t: TokenRecord) {
    if (!window.confirm(`Revoke “${t.name}”? Probes using it can no longer send reports.`)) return;
    setActionError(null);
    try {
      await api(`/agent-tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
      if (created?.id === t.id) setCreated(null);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  }

  return (
    <>
      <PageHead
        title="Agent tokens"
        sub="A probe needs an agent token to send its reports. An agent token can do nothing else."
      />
      <div className="stack">
        <section className="card" aria-labelledby="new-agent-title">
          <div className="card-head">
            <h2 id="new-agent-title">Create a token</h2>
          </div>
          <div className="card-body">
            <form className="filters" onSubmit={create}>
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor="agent-name">Name</label>
                <input
                  id="agent-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. Berlin office box"
                  required
                />
              </div>
              <div className="field">
                <label htmlFor="agent-office">Office</label>
                <select id="agent-office" value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
                  <option value="">Any (map by network)</option>
                  {offices.data?.items.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="primary" disabled={busy || !name.trim()}>
                {busy ? 'Creating…' : 'Create token'}
              </button>
            </form>
            {created && (
              <div className="notice ok" role="status" data-testid="new-token">
                <div style={{ flex: 1, minWidth: 0 }}>
                  <strong>Token “{created.name}” created. Copy it now: it will not be shown again.</strong>
                  <p className="small">Run this on the machine that will probe:</p>
                  <code className="secret" data-testid="probe-command">
                    {probeCommand(created.token)}
                  </code>
                  <div className="row" style={{ marginTop: 8 }}>
                    <CopyButton text={probeCommand(created.token)} label="Copy command" />
                    <CopyButton text={created.token} label="Copy token only" />
                    <button type="button" className="small ghost" onClick={() => setCreated(null)}>
                      Done
                    </button>
                  </div>
                </div>
              </div>
            )}
          </div>
        </section>
        {actionError && <ErrorNotice error={actionError} />}
        <section className="card" aria-labelledby="agent-list-title">
          <div className="card-head">
            <h2 id="agent-list-title">Tokens</h2>
          </div>
          {error && (
            <div className="card-body">
              <ErrorNotice error={error} retry={reload} />
            </div>
          )}
          {!data && !error && <Loading />}
          {data && data.items.length === 0 && <Empty title="No agent tokens yet" />}
          {data && data.items.length > 0 && (
            <TokenTable
              items={data.items}
              extra={{ title: 'Office', cell: (t) => officeName(t.officeId) }}
              onRevoke={(t) => void revoke(t)}
            />
          )}
        </section>
        <FleetCard />
        <EnrollmentCard offices={offices.data?.items ?? []} />
        <AgentPolicyCard />
      </div>
    </>
  );
}
