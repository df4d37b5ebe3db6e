/**
 * @module pages/manage/users
 * The administrators of this organisation. Owners add and remove them;
 * admins see the list.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { List, Role, UserRecord } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { ACTIONS, type Column, DataTable } from '../../components/data-table.tsx';
import { InputField, SelectField } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty, ErrorNotice } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useSignedIn } from '../../session.tsx';
import { SsoCard } from './sso-card.tsx';

const ROLES = [
  { value: 'admin', label: 'Admin' },
  { value: 'owner', label: 'Owner (can manage administrators)' },
  { value: 'viewer', label: 'Viewer (read-only)' },
];
const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };

export function ManageUsers() {
  const me = useSignedIn();
  const isOwner = me.user.role === 'owner';
  const users = useApi<List<UserRecord>>('/users');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  async function add(e: FormEvent) {
    e.preventDefault();
    await action.submit(async () => {
      await api('/users', { method: 'POST', body: { email: email.trim(), password, role } });
      setNotice(`Added ${email.trim()}. Give them their password through a safe channel.`);
      setEmail('');
      setPassword('');
      users.reload();
    });
  }

  async function remove(u: UserRecord) {
    if (!window.confirm(`Remove ${u.email}? They are signed out and can no longer sign in.`)) return;
    await action.run(async () => {
      await api(`/users/${encodeURIComponent(u.id)}`, { method: 'DELETE' });
      users.reload();
    });
  }

  const columns: Column<UserRecord>[] = [
    {
      head: 'Email',
      cell: (u) => (
        <>
          {u.email} {u.id === me.user.id && <span className="badge plain info">you</span>}
        </>
      ),
    },
    { head: 'Role', cell: (u) => ROLE_LABEL[u.role] },
    { head: 'Added', at: (u) => u.createdAt },
    {
      head: ACTIONS,
      cell: (u) =>
        isOwner &&
        u.id !== me.user.id && (
          <button type="button" className="small danger" onClick={() => void remove(u)}>
            Remove
          </button>
        ),
    },
  ];

  return (
    <>
      <PageHead title="Administrators" sub="People who can sign in to this organisation's dashboard." />
      <div className="stack">
        {isOwner ? (
          <Card title="Add an administrator" titleId="add-user-title">
            <CardBody>
              <form className="filters" onSubmit={add}>
                <InputField
                  id="user-email"
                  label="Email"
                  style={{ flex: 1 }}
                  type="email"
                  value={email}
                  onChange={setEmail}
                />
                <InputField
                  id="user-password"
                  label="Initial password"
                  style={{ flex: 1 }}
                  hintId="user-password-hint"
                  hint="At least 12 characters"
                  type="password"
                  autoComplete="new-password"
                  aria-describedby="user-password-hint"
                  value={password}
                  onChange={setPassword}
                />
                <SelectField
                  id="user-role"
                  label="Role"
                  value={role}
                  onChange={(v) => setRole(v as Role)}
                  options={ROLES}
                />
                <button
                  type="submit"
                  className="primary"
                  disabled={action.busy || !email.trim() || !password}
                >
                  {action.busy ? 'Adding…' : 'Add'}
                </button>
              </form>
            </CardBody>
          </Card>
        ) : (
          <Notice tone="info">Only an owner can add or remove administrators.</Notice>
        )}
        {notice && (
          <Notice tone="ok" role="status">
            {notice}
          </Notice>
        )}
        {action.error && <ErrorNotice error={action.error} />}
        <Card>
          <ResourceView resource={users} empty={<Empty title="No administrators" />}>
            {(data) => <DataTable rows={data.items} rowKey={(u) => u.id} columns={columns} />}
          </ResourceView>
        </Card>
        <SsoCard />
      </div>
    </>
  );
}
