/**
 * @module pages/manage/agent-budget-fields
 * The measurement traffic budget in the agent settings card: each agent's
 * daily cap, and how many samples of each heavy check (the download, the
 * Teams media call) the collector plans per office and day, from how many
 * devices. The server checks the bounds and names the field that is wrong.
 */
import {
  DEFAULT_MAX_DAILY_MB,
  DEFAULT_MIN_DEVICES,
  DEFAULT_SAMPLES_PER_DAY,
  MAX_DAILY_MB,
  MAX_MIN_DEVICES,
  MAX_SAMPLES_PER_DAY,
  MIN_DAILY_MB,
} from '@netinsights/protocol/measurement-plan.ts';
import type { AgentPolicy } from '../../api/types.ts';
import { InputField } from '../../components/fields.tsx';

/** The three fields as typed. */
export interface BudgetDraft {
  capMb: string;
  samples: string;
  devices: string;
}

export const toBudgetDraft = (b: AgentPolicy['trafficBudget']): BudgetDraft => ({
  capMb: String(b?.maxDailyMegabytes ?? DEFAULT_MAX_DAILY_MB),
  samples: String(b?.samplesPerDay ?? DEFAULT_SAMPLES_PER_DAY),
  devices: String(b?.minDevices ?? DEFAULT_MIN_DEVICES),
});

/** Sent as typed: an empty field becomes NaN, which the server refuses by name. */
const typed = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

export const fromBudgetDraft = (d: BudgetDraft): NonNullable<AgentPolicy['trafficBudget']> => ({
  maxDailyMegabytes: typed(d.capMb),
  samplesPerDay: typed(d.samples),
  minDevices: typed(d.devices),
});

export function AgentBudgetFields({
  draft,
  onChange,
}: {
  draft: BudgetDraft;
  onChange: (d: BudgetDraft) => void;
}) {
  return (
    <div className="form-grid">
      <InputField
        id="agent-cap"
        label="Traffic cap per agent (MB a day)"
        hint={`${MIN_DAILY_MB} to ${MAX_DAILY_MB.toLocaleString('en')}; sent and received, per UTC day. An agent may set a lower one.`}
        type="number"
        min={MIN_DAILY_MB}
        max={MAX_DAILY_MB}
        value={draft.capMb}
        onChange={(v) => onChange({ ...draft, capMb: v })}
      />
      <InputField
        id="agent-samples"
        label="Download and Teams media samples a day"
        hint={`Per office, 1 to ${MAX_SAMPLES_PER_DAY}; the collector spreads them over the day.`}
        type="number"
        min={1}
        max={MAX_SAMPLES_PER_DAY}
        value={draft.samples}
        onChange={(v) => onChange({ ...draft, samples: v })}
      />
      <InputField
        id="agent-devices"
        label="From at least (devices)"
        hint={`1 to ${MAX_MIN_DEVICES}, when the office has that many.`}
        type="number"
        min={1}
        max={MAX_MIN_DEVICES}
        value={draft.devices}
        onChange={(v) => onChange({ ...draft, devices: v })}
      />
    </div>
  );
}
