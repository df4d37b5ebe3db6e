/**
 * @module pages/manage/thresholds
 * The insight engine's settings for this organisation: the rolling window,
 * the minimum evidence (samples and devices) before an insight opens, and
 * per kind whether it is on and the open / close thresholds (the gap between
 * them is the hysteresis that keeps an insight from flapping).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { InsightKind, InsightSettings, KindSettings } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { InputField } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { PageHead } from '../../components/page-head.tsx';
import { PagePending } from '../../components/page-pending.tsx';
import { SaveBar } from '../../components/save-bar.tsx';
import { INSIGHT_KINDS, KIND_LABEL } from '../../lib/insight-kinds.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { KindThresholds, num } from './kind-thresholds.tsx';

/** The evidence an insight needs before it opens, at least 1 of each. */
const BASIS = [
  { key: 'windowHours', id: 't-window', label: 'Rolling window (hours)', max: 720 },
  { key: 'minSamples', id: 't-samples', label: 'Minimum samples' },
  { key: 'minDevices', id: 't-devices', label: 'Minimum devices' },
] as const;

export function ManageThresholds() {
  const { data, error, reload } = useApi<InsightSettings>('/settings/insights');
  const [draft, setDraft] = useState<InsightSettings | null>(null);
  const action = useAction();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (data) setDraft(structuredClone(data));
  }, [data]);

  if (!draft) return <PagePending title="Insight thresholds" error={error} retry={reload} />;

  const setKind = (k: InsightKind, patch: Partial<KindSettings>) => {
    const cur = draft.kinds[k] ?? { enabled: true, openThreshold: 0, closeThreshold: 0 };
    setDraft({ ...draft, kinds: { ...draft.kinds, [k]: { ...cur, ...patch } } });
    action.edited();
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    for (const k of INSIGHT_KINDS) {
      const s = draft.kinds[k];
      if (s && s.closeThreshold > s.openThreshold) {
        setProblem(`${KIND_LABEL[k]}: the close threshold must not be above the open threshold.`);
        return;
      }
    }
    setProblem(null);
    await action.submit(async () => {
      const r = await api<InsightSettings>('/settings/insights', { method: 'PUT', body: draft });
      setDraft(structuredClone(r));
    });
  }

  return (
    <>
      <PageHead
        title="Insight thresholds"
        sub="When an insight opens and when it closes again. Changes apply from the next evaluation."
      />
      <form onSubmit={save} className="stack" noValidate>
        <Card title="Evidence needed" titleId="basis-title">
          <CardBody className="form-grid">
            {BASIS.map((b) => (
              <InputField
                key={b.id}
                id={b.id}
                label={b.label}
                type="number"
                min={1}
                max={'max' in b ? b.max : undefined}
                value={draft[b.key]}
                onChange={(v) => setDraft({ ...draft, [b.key]: num(v) })}
              />
            ))}
          </CardBody>
        </Card>
        <KindThresholds draft={draft} setKind={setKind} />
        {problem && (
          <Notice tone="error" role="alert">
            {problem}
          </Notice>
        )}
        <SaveBar
          action={action}
          label="Save thresholds"
          savedText="Saved."
          onDiscard={() => data && setDraft(structuredClone(data))}
        />
      </form>
    </>
  );
}
