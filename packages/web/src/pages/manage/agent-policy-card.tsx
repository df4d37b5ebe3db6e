/**
 * @module pages/manage/agent-policy-card
 * How often every agent of the organisation runs, how long its WebSocket
 * check holds the connection, and which service profile it measures — the
 * shipped Microsoft 365 one or a custom profile file — and whether their
 * reports name the device's hostname and OS user. Agents read this from
 * the collector before each run, so a change reaches them at their next run.
 * The server checks everything and names the field that is wrong.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { AgentPolicy } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { InputField } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { SaveBar } from '../../components/save-bar.tsx';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { ProfileChoice } from './profile-choice.tsx';

interface Draft {
  minutes: string;
  holdSeconds: string;
  profile: AgentPolicy['profile'];
  reportIdentity: boolean;
  /** Why the chosen file is not usable as a profile (before it is sent). */
  fileProblem: string | null;
}

const toDraft = (p: AgentPolicy): Draft => ({
  minutes: String(p.intervalSeconds / 60),
  holdSeconds: p.wsHoldSeconds === null ? '' : String(p.wsHoldSeconds),
  profile: p.profile,
  reportIdentity: p.reportIdentity === true,
  fileProblem: null,
});

export function AgentPolicyCard() {
  const { data, error, reload } = useApi<AgentPolicy>('/settings/agents');
  const [draft, setDraft] = useState<Draft | null>(null);
  const action = useAction();

  useEffect(() => {
    if (data) setDraft(toDraft(data));
  }, [data]);

  const edit = (patch: Partial<Draft>) => {
    if (!draft) return;
    setDraft({ ...draft, ...patch });
    action.edited();
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft || draft.fileProblem) return;
    await action.submit(async () => {
      const body: AgentPolicy = {
        // Sent as typed: the server refuses what is out of range and says which field.
        intervalSeconds: draft.minutes.trim() === '' ? Number.NaN : Math.round(Number(draft.minutes) * 60),
        wsHoldSeconds: draft.holdSeconds.trim() === '' ? null : Number(draft.holdSeconds),
        profile: draft.profile,
        reportIdentity: draft.reportIdentity,
      };
      const stored = await api<AgentPolicy>('/settings/agents', { method: 'PUT', body });
      setDraft(toDraft(stored));
    });
  }

  return (
    <Card
      title="Agent schedule and profile"
      titleId="agent-policy-title"
      aside={<span className="small muted">Agents pick up a change at their next run.</span>}
    >
      <CardBody>
        {!draft && (error ? <ErrorNotice error={error} retry={reload} /> : <Loading />)}
        {draft && (
          <form onSubmit={save} noValidate className="stack">
            <div className="form-grid">
              <InputField
                id="agent-interval"
                label="Run every (minutes)"
                hint="1 to 1,440; each agent adds ±10 % so they do not all run at once."
                type="number"
                min={1}
                max={1440}
                value={draft.minutes}
                onChange={(v) => edit({ minutes: v })}
              />
              <InputField
                id="agent-hold"
                label="WebSocket hold (seconds)"
                hint="How long an open Teams-style WebSocket must stay up."
                type="number"
                min={0}
                max={600}
                placeholder="as the profile says"
                value={draft.holdSeconds}
                onChange={(v) => edit({ holdSeconds: v })}
              />
            </div>
            <ProfileChoice profile={draft.profile} onChange={edit} />
            <label className="choice">
              <input
                type="checkbox"
                checked={draft.reportIdentity}
                onChange={(e) => edit({ reportIdentity: e.target.checked })}
              />
              Agents report the device’s hostname and OS user, so the help desk can find a person’s reports
              (off: reports carry only the random device id)
            </label>
            {draft.fileProblem && (
              <Notice tone="error" role="alert">
                {draft.fileProblem}
              </Notice>
            )}
            <SaveBar
              action={action}
              label="Save agent settings"
              savedText="Saved. Agents use these settings from their next run."
              blocked={Boolean(draft.fileProblem)}
              onDiscard={() => data && setDraft(toDraft(data))}
            />
          </form>
        )}
      </CardBody>
    </Card>
  );
}
