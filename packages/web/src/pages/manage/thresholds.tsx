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
import { ErrorNotice } from '../../components/states.tsx';
import { INSIGHT_KINDS, KIND_LABEL, KIND_SUMMARY } from '../../lib/insight-kinds.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

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
  // Every threshold is a share (0..1) of samples, or a relative gap for peer-performance: shown as %.
  const shown = (v: number) => Math.round(v * 1000) / 10;
  const stored = (v: number) => v / 100;

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

  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
  return (
    <>
      <PageHead
        title="Insight thresholds"
        sub="When an insight opens and when it closes again. Changes apply from the next evaluation."
      />
      <form onSubmit={save} className="stack" noValidate>
        <Card title="Evidence needed" titleId="basis-title">
          <CardBody className="form-grid">
            <InputField
              id="t-window"
              label="Rolling window (hours)"
              type="number"
              min={1}
              max={720}
              value={draft.windowHours}
              onChange={(v) => setDraft({ ...draft, windowHours: num(v) })}
            />
            <InputField
              id="t-samples"
              label="Minimum samples"
              type="number"
              min={1}
              value={draft.minSamples}
              onChange={(v) => setDraft({ ...draft, minSamples: num(v) })}
            />
            <InputField
              id="t-devices"
              label="Minimum devices"
              type="number"
              min={1}
              value={draft.minDevices}
              onChange={(v) => setDraft({ ...draft, minDevices: num(v) })}
            />
          </CardBody>
        </Card>
        <Card
          title="Per insight"
          titleId="kinds-title"
          aside={<span className="small muted">Opens at or above “open”; closes once below “close”.</span>}
        >
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>On</th>
                  <th>Insight</th>
                  <th>Open at</th>
                  <th>Close below</th>
                  <th>Also</th>
                </tr>
              </thead>
              <tbody>
                {INSIGHT_KINDS.map((k) => {
                  const s = draft.kinds[k];
                  if (!s) return null;
                  const unit = '%';
                  return (
                    <tr key={k}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Enable ${KIND_LABEL[k]}`}
                          checked={s.enabled}
                          onChange={(e) => setKind(k, { enabled: e.target.checked })}
                        />
                      </td>
                      <td>
                        <strong>{KIND_LABEL[k]}</strong>
                        <div className="small muted">{KIND_SUMMARY[k]}</div>
                      </td>
                      <td className="nowrap">
                        <input
                          type="number"
                          step="any"
                          aria-label={`${KIND_LABEL[k]} open threshold`}
                          style={{ width: 90 }}
                          value={shown(s.openThreshold)}
                          onChange={(e) => setKind(k, { openThreshold: stored(num(e.target.value)) })}
                        />{' '}
                        {unit}
                      </td>
                      <td className="nowrap">
                        <input
                          type="number"
                          step="any"
                          aria-label={`${KIND_LABEL[k]} close threshold`}
                          style={{ width: 90 }}
                          value={shown(s.closeThreshold)}
                          onChange={(e) => setKind(k, { closeThreshold: stored(num(e.target.value)) })}
                        />{' '}
                        {unit}
                      </td>
                      <td className="nowrap">
                        {s.distanceKm !== undefined && (
                          <>
                            <input
                              type="number"
                              min={1}
                              aria-label="Backhaul distance limit in kilometres"
                              style={{ width: 90 }}
                              value={s.distanceKm}
                              onChange={(e) => setKind(k, { distanceKm: num(e.target.value) })}
                            />{' '}
                            km from the office
                          </>
                        )}
                        {s.minPeerOffices !== undefined && (
                          <>
                            <input
                              type="number"
                              min={1}
                              aria-label="Peer offices needed for a comparison"
                              style={{ width: 70 }}
                              value={s.minPeerOffices}
                              onChange={(e) => setKind(k, { minPeerOffices: num(e.target.value) })}
                            />{' '}
                            peer offices needed
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>
        {problem && (
          <Notice tone="error" role="alert">
            {problem}
          </Notice>
        )}
        {action.error && <ErrorNotice error={action.error} title="Not saved" />}
        {action.saved && (
          <Notice tone="ok" role="status">
            Saved.
          </Notice>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Saving…' : 'Save thresholds'}
          </button>
          <button type="button" onClick={() => data && setDraft(structuredClone(data))}>
            Discard changes
          </button>
        </div>
      </form>
    </>
  );
}
