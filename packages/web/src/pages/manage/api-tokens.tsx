/**
 * @module pages/manage/api-tokens
 * API tokens for scripts and integrations: read-only or read-write, shown
 * once when created, revocable.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedToken, List, TokenRecord } from '../../api/types.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { useApi } from '../../lib/use-api.ts';
import { TokenTable } from './token-table.tsx';

export function ManageApiTokens() {
  const { data, error, reload } = useApi<List<TokenRecord>>('/api-tokens');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'read-write'>('read');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setActionError(null);
    try {
      setCreated(
        await api<CreatedToken>('/api-tokens', { method: 'POST', body: { name: name.trim(), scope } }),
      );
      setName('');
      reload();
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(t: TokenRecord) {
    if (!window.confirm(`Revoke “${t.name}”? Anything using it loses access immediately.`)) return;
    setActionError(null);
    try {
      await api(`/api-tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  }

  const example = created
    ? `curl -H "Authorization: Bearer ${created.token}" ${window.location.origin}/api/v1/insights?status=active`
    : '';
  return (
    <>
      <PageHead
        title="API tokens"
        sub="For scripts and integrations that read (or change) this organisation's data."
      />
      <div className="stack">
        <section className="card" aria-labelledby="new-api-title">
          <div className="card-head">
            <h2 id="new-api-title">Create a token</h2>
          </div>
          <div className="card-body">
            <form className="filters" onSubmit={create}>
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor="api-name">Name</label>
                <input
                  id="api-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="e.g. SIEM export"
                />
              </div>
              <div className="field">
                <label htmlFor="api-scope">Access</label>
                <select
                  id="api-scope"
                  value={scope}
                  onChange={(e) => setScope(e.target.value as 'read' | 'read-write')}
                >
                  <option value="read">Read only</option>
                  <option value="read-write">Read and write</option>
                </select>
              </div>
              <button type="submit" className="primary" disabled={busy || !name.trim()}>
                {busy ? 'Creating…' : 'Create token'}
              </button>
            </form>
            {created && (
              <div className="notice ok" role="status">
                <div style={{ flex: 1, minWidth: 0 }}>
                  <strong>Token “{created.name}” created. Copy it now: it will not be shown again.</strong>
                  <code className="secret">{created.token}</code>
                  <p className="small">For example:</p>
                  <code className="secret">{example}</code>
                  <div className="row" style={{ marginTop: 8 }}>
                    <CopyButton text={created.token} label="Copy token" />
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
        <section className="card">
          {error && (
            <div className="card-body">
              <ErrorNotice error={error} retry={reload} />
            </div>
          )}
          {!data && !error && <Loading />}
          {data && data.items.length === 0 && <Empty title="No API tokens yet" />}
          {data && data.items.length > 0 && (
            <TokenTable
              items={data.items}
              extra={{
                title: 'Access',
                cell: (t) => (t.scope === 'read-write' ? 'Read and write' : 'Read only'),
              }}
              onRevoke={(t) => void revoke(t)}
            />
          )}
        </section>
      </div>
    </>
  );
}
