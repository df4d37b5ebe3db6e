/**
 * @module pages/manage/kind-thresholds
 * The per-insight part of the threshold settings: for each kind whether it
 * is on, the share at which it opens and the share below which it closes
 * again, and the kind's own extra limit (backhaul distance, peer offices, added latency).
 */
import type { InsightKind, InsightSettings, KindSettings } from '../../api/types.ts';
import { Card } from '../../components/card.tsx';
import { INSIGHT_KINDS, KIND_LABEL, KIND_SUMMARY } from '../../lib/insight-kinds.ts';

/** A typed number; an empty field is NaN, which the server refuses and names. */
export const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
// Every threshold is a share (0..1) of samples, or a relative gap for peer-performance: shown as %.
const shown = (v: number) => Math.round(v * 1000) / 10;
const stored = (v: number) => v / 100;

/** The two thresholds of every kind, as shares. */
const SHARES = [
  ['openThreshold', 'open'],
  ['closeThreshold', 'close'],
] as const;

/** The limits only some kinds have, shown after their thresholds. */
const EXTRAS = [
  {
    field: 'distanceKm',
    label: 'Backhaul distance limit in kilometres',
    width: 90,
    unit: 'km from the office',
  },
  {
    field: 'minPeerOffices',
    label: 'Peer offices needed for a comparison',
    width: 70,
    unit: 'peer offices needed',
  },
  {
    field: 'addedLatencyMs',
    label: 'Added latency under load that counts as bufferbloat, in ms',
    width: 80,
    unit: 'ms added under load',
  },
] as const;

/** A small number input followed by its unit. */
function UnitInput({
  label,
  width,
  value,
  unit,
  onChange,
  ...limits
}: {
  label: string;
  width: number;
  value: number;
  unit: string;
  onChange: (v: number) => void;
  step?: 'any';
  min?: number;
}) {
  return (
    <>
      <input
        type="number"
        step={limits.step}
        min={limits.min}
        aria-label={label}
        style={{ width }}
        value={value}
        onChange={(e) => onChange(num(e.target.value))}
      />{' '}
      {unit}
    </>
  );
}

function KindRow({
  k,
  s,
  set,
}: {
  k: InsightKind;
  s: KindSettings;
  set: (patch: Partial<KindSettings>) => void;
}) {
  const label = KIND_LABEL[k];
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Enable ${label}`}
          checked={s.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
      </td>
      <td>
        <strong>{label}</strong>
        <div className="small muted">{KIND_SUMMARY[k]}</div>
      </td>
      {SHARES.map(([field, word]) => (
        <td key={field} className="nowrap">
          <UnitInput
            label={`${label} ${word} threshold`}
            step="any"
            width={90}
            value={shown(s[field])}
            unit="%"
            onChange={(v) => set({ [field]: stored(v) })}
          />
        </td>
      ))}
      <td className="nowrap">
        {EXTRAS.map((x) => {
          const value = s[x.field];
          return (
            value !== undefined && (
              <UnitInput
                key={x.field}
                label={x.label}
                min={1}
                width={x.width}
                value={value}
                unit={x.unit}
                onChange={(v) => set({ [x.field]: v })}
              />
            )
          );
        })}
      </td>
    </tr>
  );
}

export function KindThresholds({
  draft,
  setKind,
}: {
  draft: InsightSettings;
  setKind: (k: InsightKind, patch: Partial<KindSettings>) => void;
}) {
  return (
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
              return s && <KindRow key={k} k={k} s={s} set={(patch) => setKind(k, patch)} />;
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
