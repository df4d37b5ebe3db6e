/**
 * @module pages/manage/silences-card
 * Silences on the notifications page: the maintenance windows in force or
 * to come (and those ended this week) with how many notifications each held
 * back, a form to silence an office, a kind or everything for some hours,
 * and "End now". Insights still update during a silence; nothing pages.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { List, Office, Silence } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { ACTIONS, DataTable } from '../../components/data-table.tsx';
import { InputField, SelectField } from '../../components/fields.tsx';
import { ResourceView } from '../../components/resource-view.tsx';
import { Empty, ErrorNotice } from '../../components/states.tsx';
import { INSIGHT_KINDS, kindLabel } from '../../lib/insight-kinds.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useCanEdit } from '../../session.tsx';

const ALL = '';

export function SilencesCard() {
  const canEdit = useCanEdit();
  const silences = useApi<List<Silence>>('/silences');
  const offices = useApi<List<Office>>('/offices');
  const [officeId, setOfficeId] = useState(ALL);
  const [kind, setKind] = useState(ALL);
  const [hours, setHours] = useState('2');
  const [reason, setReason] = useState('');
  const action = useAction();
  const officeName = (id: string | null) =>
    id === null ? 'All offices' : (offices.data?.items.find((o) => o.id === id)?.name ?? id);

  async function add(e: FormEvent) {
    e.preventDefault();
    await action.submit(async () => {
      await api('/silences', {
        method: 'POST',
        body: {
          officeId: officeId || null,
          kind: kind || null,
          endsAt: new Date(Date.now() + Number(hours) * 3_600_000).toISOString(),
          reason: reason.trim(),
        },
      });
      setReason('');
      silences.reload();
    });
  }

  async function end(s: Silence) {
    await action.run(async () => {
      await api(`/silences/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
      silences.reload();
    });
  }

  return (
    <Card title="Silences" titleId="silences-title">
      <CardBody>
        <p className="muted">
          During maintenance, silence an office, an insight kind or everything: insights still update, but
          nothing pages until the silence ends.
        </p>
        {canEdit && (
          <form className="filters" onSubmit={add} aria-label="Add a silence">
            <SelectField
              id="silence-office"
              label="Office"
              value={officeId}
              onChange={setOfficeId}
              options={[
                { value: ALL, label: 'All offices' },
                ...(offices.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
              ]}
            />
            <SelectField
              id="silence-kind"
              label="Insight kind"
              value={kind}
              onChange={setKind}
              options={[
                { value: ALL, label: 'All kinds' },
                ...INSIGHT_KINDS.map((k) => ({ value: k, label: kindLabel(k) })),
              ]}
            />
            <InputField
              id="silence-hours"
              label="Hours"
              type="number"
              min={1}
              max={744}
              value={hours}
              onChange={setHours}
            />
            <InputField
              id="silence-reason"
              label="Reason"
              style={{ flex: 1 }}
              value={reason}
              onChange={setReason}
            />
            <button
              type="submit"
              className="primary"
              disabled={action.busy || !reason.trim() || !(Number(hours) > 0)}
            >
              Silence
            </button>
          </form>
        )}
        {action.error && <ErrorNotice error={action.error} />}
      </CardBody>
      <ResourceView resource={silences} empty={<Empty title="No silences" />}>
        {(data) => (
          <DataTable
            rows={data.items}
            rowKey={(s) => s.id}
            testId="silences-table"
            columns={[
              { head: 'Office', cell: (s) => officeName(s.officeId) },
              { head: 'Kind', cell: (s) => (s.kind ? kindLabel(s.kind) : 'All kinds') },
              { head: 'From', at: (s) => s.startsAt },
              { head: 'Until', at: (s) => s.endsAt },
              { head: 'Reason', cell: (s) => s.reason },
              {
                head: 'Held back',
                className: 'num',
                cell: (s) => (s.active ? `${s.suppressed} (in force)` : String(s.suppressed)),
              },
              {
                head: ACTIONS,
                cell: (s) =>
                  canEdit &&
                  s.active && (
                    <button type="button" className="small" onClick={() => void end(s)}>
                      End now
                    </button>
                  ),
              },
            ]}
          />
        )}
      </ResourceView>
    </Card>
  );
}
