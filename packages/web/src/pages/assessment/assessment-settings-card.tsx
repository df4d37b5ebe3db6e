/**
 * @module pages/assessment/assessment-settings-card
 * The assessment's settings (PUT /api/v1/settings/assessment): how many days
 * the score looks back over (3, as Microsoft's) and how many days of daily
 * history are kept. The server checks the bounds and names the field; every
 * office is scored over the new window at the engine's next run.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { AssessmentSettings } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { InputField } from '../../components/fields.tsx';
import { SaveBar } from '../../components/save-bar.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

export function AssessmentSettingsCard({ onSaved }: { onSaved: () => void }) {
  const { data } = useApi<AssessmentSettings>('/settings/assessment');
  const [draft, setDraft] = useState<AssessmentSettings | null>(null);
  const action = useAction();
  useEffect(() => {
    if (data) setDraft({ ...data });
  }, [data]);
  if (!draft) return null;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    await action.submit(async () => {
      setDraft(await api<AssessmentSettings>('/settings/assessment', { method: 'PUT', body: draft }));
      onSaved();
    });
  }
  const set = (key: keyof AssessmentSettings) => (v: string) => {
    setDraft({ ...draft, [key]: Number(v) });
    action.edited();
  };

  return (
    <form onSubmit={save} noValidate>
      <Card title="Settings" titleId="assessment-settings-title">
        <CardBody className="form-grid">
          <InputField
            id="a-window"
            label="Window (days)"
            type="number"
            min={1}
            max={30}
            value={draft.windowDays}
            onChange={set('windowDays')}
          />
          <InputField
            id="a-retention"
            label="Keep daily history (days)"
            type="number"
            min={30}
            max={3650}
            value={draft.retentionDays}
            onChange={set('retentionDays')}
          />
        </CardBody>
        <SaveBar
          action={action}
          label="Save settings"
          savedText="Saved; offices are scored over the new window at the next evaluation."
          onDiscard={() => data && setDraft({ ...data })}
        />
      </Card>
    </form>
  );
}
