/**
 * @module pages/manage/offices
 * The office register: every office with its subnets and egress ranges,
 * add, edit (also reached with ?edit=<id> from an office page), delete, and
 * CSV import with per-row errors.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { List, Office, OfficeSummary } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { Notice } from '../../components/notice.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { ErrorNotice } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { navigate, useLocation } from '../../router.tsx';
import { useCanEdit } from '../../session.tsx';
import { CsvImport } from './csv-import.tsx';
import { draftOf, OfficeForm } from './office-form.tsx';
import { OfficeRegister } from './office-register.tsx';

export function ManageOffices() {
  const canEdit = useCanEdit();
  const { search } = useLocation();
  const editId = search.get('edit');
  const offices = useApi<List<OfficeSummary>>('/offices');
  const { data, reload } = offices;
  const [mode, setMode] = useState<'none' | 'add' | 'import'>('none');
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  const editing = editId ? data?.items.find((o) => o.id === editId) : undefined;

  const closeEdit = () => navigate('/manage/offices', { replace: true });

  async function remove(o: Office) {
    if (!window.confirm(`Delete the office “${o.name}”? Its reports stay, but will no longer map to it.`))
      return;
    await action.run(async () => {
      await api(`/offices/${encodeURIComponent(o.id)}`, { method: 'DELETE' });
      setNotice(`Deleted ${o.name}.`);
      reload();
    });
  }

  return (
    <>
      <PageHead
        title="Offices"
        sub="Where your users work. Reports map to an office by the office the probe names, its LAN subnet, or its egress address."
        actions={
          canEdit && (
            <>
              <button type="button" onClick={() => setMode(mode === 'import' ? 'none' : 'import')}>
                Import CSV
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => setMode(mode === 'add' ? 'none' : 'add')}
              >
                Add office
              </button>
            </>
          )
        }
      />
      <div className="stack">
        {notice && (
          <div className="notice ok" role="status">
            <div style={{ flex: 1 }}>{notice}</div>
            <button type="button" className="small ghost" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
        {action.error && <ErrorNotice error={action.error} />}
        {mode === 'add' && (
          <Card title="Add an office" titleId="add-title">
            <CardBody>
              <OfficeForm
                initial={draftOf()}
                submitLabel="Create office"
                onCancel={() => setMode('none')}
                onSubmit={async (input) => {
                  const o = await api<Office>('/offices', { method: 'POST', body: input });
                  setMode('none');
                  setNotice(`Created ${o.name}.`);
                  reload();
                }}
              />
            </CardBody>
          </Card>
        )}
        {mode === 'import' && (
          <Card title="Import offices from CSV" titleId="import-title">
            <CardBody>
              <CsvImport
                onImported={(n) => {
                  setNotice(`Imported ${n} office${n === 1 ? '' : 's'}.`);
                  reload();
                }}
              />
            </CardBody>
          </Card>
        )}
        {editId && data && !editing && (
          <Notice tone="warn" role="alert">
            There is no such office in your organisation.
          </Notice>
        )}
        {editing && (
          <Card title={`Edit ${editing.name}`} titleId="edit-title">
            <CardBody>
              <OfficeForm
                key={editing.id}
                initial={draftOf(editing)}
                submitLabel="Save changes"
                onCancel={closeEdit}
                onSubmit={async (input) => {
                  await api<Office>(`/offices/${encodeURIComponent(editing.id)}`, {
                    method: 'PATCH',
                    body: input,
                  });
                  setNotice(`Saved ${input.name}.`);
                  closeEdit();
                  reload();
                }}
              />
            </CardBody>
          </Card>
        )}
        <OfficeRegister offices={offices} onRemove={(o) => void remove(o)} />
      </div>
    </>
  );
}
