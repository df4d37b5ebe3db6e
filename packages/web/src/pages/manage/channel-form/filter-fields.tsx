/**
 * @module pages/manage/channel-form/filter-fields
 * What a channel hears about, the same for every channel type: which
 * insight kinds (none ticked means all), which event types, and whether
 * events are batched into a digest.
 */
import type { ChannelFormField } from '@netinsights/protocol/channel-form.ts';
import type { ReactNode } from 'react';
import type { InsightKind } from '../../../api/types.ts';
import { INSIGHT_KINDS, KIND_LABEL } from '../../../lib/insight-kinds.ts';
import { Field } from './fields.tsx';

/** The server's event types; "updated" (severity or hosts changed while open) is opt-in there too. */
const EVENT_TYPES = ['opened', 'reopened', 'resolved', 'updated'] as const;
export const DEFAULT_EVENTS: ReadonlySet<string> = new Set(['opened', 'reopened', 'resolved']);

const DIGEST: ChannelFormField = {
  key: 'digest',
  label: 'Digest',
  input: 'select',
  options: [
    { value: '0', label: 'Off: one message per event' },
    { value: '15', label: 'Every 15 minutes' },
    { value: '60', label: 'Every hour' },
    { value: '240', label: 'Every 4 hours' },
    { value: '1440', label: 'Once a day' },
  ],
};

export interface Filters {
  kinds: ReadonlySet<InsightKind>;
  events: ReadonlySet<string>;
  /** Minutes, as the select's value ('0': off). */
  digest: string;
}

/** A fieldset of checkboxes; `onChange` gets the new set. */
function Checks<T extends string>(props: {
  legend: string;
  hint?: string;
  choices: readonly T[];
  label: (c: T) => ReactNode;
  checked: ReadonlySet<T>;
  onChange: (next: Set<T>) => void;
}) {
  const toggle = (c: T) => {
    const next = new Set(props.checked);
    if (next.has(c)) next.delete(c);
    else next.add(c);
    props.onChange(next);
  };
  return (
    <fieldset className="field checks">
      <legend>{props.legend}</legend>
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.choices.map((c) => (
        <label key={c} className="choice">
          <input type="checkbox" checked={props.checked.has(c)} onChange={() => toggle(c)} />
          {props.label(c)}
        </label>
      ))}
    </fieldset>
  );
}

export function FilterFields({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  return (
    <div className="form-grid">
      <Checks
        legend="Insight kinds"
        hint="None ticked: every kind."
        choices={INSIGHT_KINDS}
        label={(k) => KIND_LABEL[k]}
        checked={value.kinds}
        onChange={(kinds) => onChange({ ...value, kinds })}
      />
      <div>
        <Checks
          legend="Events"
          choices={EVENT_TYPES}
          label={(t) => t}
          checked={value.events}
          onChange={(events) => onChange({ ...value, events })}
        />
        <Field
          field={DIGEST}
          values={{ digest: value.digest }}
          onChange={(v) => onChange({ ...value, digest: v.digest ?? value.digest })}
        />
      </div>
    </div>
  );
}
