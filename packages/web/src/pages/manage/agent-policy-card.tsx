/**
 * @module pages/manage/agent-policy-card
 * How often every agent of the organisation runs, how long its WebSocket
 * check holds the connection, which file its speed test downloads, which
 * service profile it measures — the shipped Microsoft 365 one or a custom
 * profile file — the measurement traffic budget (agent-budget-fields.tsx),
 * and the organisation's SharePoint tenant name, without which the
 * SharePoint and OneDrive hosts are not tested, and whether reports name the
 * device's hostname and OS user. Agents read this from
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
import {
  AgentBudgetFields,
  type BudgetDraft,
  fromBudgetDraft,
  toBudgetDraft,
} from './agent-budget-fields.tsx';
import { ProfileChoice } from './profile-choice.tsx';

interface Draft {
  minutes: string;
  holdSeconds: string;
  tenantName: string;
  downloadUrl: string;
  profile: AgentPolicy['profile'];
  budget: BudgetDraft;
  reportIdentity: boolean;
  /** Why the chosen file is not usable as a profile (before it is sent). */
  fileProblem: string | null;
}

const toDraft = (p: AgentPolicy): Draft => ({
  minutes: String(p.intervalSeconds / 60),
  holdSeconds: p.wsHoldSeconds === null ? '' : String(p.wsHoldSeconds),
  tenantName: p.tenantName ?? '',
  downloadUrl: p.downloadUrl ?? '',
  profile: p.profile,
  budget: toBudgetDraft(p.trafficBudget),
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
        trafficBudget: fromBudgetDraft(draft.budget),
        // Sent as typed too (only trimmed): a wrong name comes back refused, naming /tenantName.
        tenantName: draft.tenantName.trim() === '' ? null : draft.tenantName.trim(),
        downloadUrl: draft.downloadUrl.trim() === '' ? null : draft.downloadUrl.trim(),
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
              <InputField
                id="agent-tenant-name"
                label="SharePoint tenant"
                hint="NAME in NAME.sharepoint.com (lower-case letters and digits). Without it the SharePoint and OneDrive hosts are not tested."
                placeholder="e.g. contoso"
                value={draft.tenantName}
                onChange={(v) => edit({ tenantName: v })}
              />
            </div>
            <AgentBudgetFields draft={draft.budget} onChange={(budget) => edit({ budget })} />
            <InputField
              id="agent-download-url"
              label="Download object for the speed test (https URL)"
              hint="A large file (a few MB or more) on your own tenant that answers without sign-in, e.g. a SharePoint or OneDrive file shared with “Anyone with the link”, in its direct-download form. Empty: the profile’s URL — the shipped one only tests reachability, so speeds show as “not measured”."
              type="url"
              placeholder="https://contoso.sharepoint.com/…"
              value={draft.downloadUrl}
              onChange={(v) => edit({ downloadUrl: v })}
            />
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
