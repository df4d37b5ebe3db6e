/**
 * @module pages/manage/channel-form/filter-fields
 * What a channel hears about, the same for every channel type: which
 * insight kinds (none ticked means all), which event types, and whether
 * events are batched into a digest.
 */
import type { InsightKind } from '../../../api/types.ts';
import { INSIGHT_KINDS, KIND_LABEL } from '../../../lib/insight-kinds.ts';

/** The server's event types; "updated" (severity or hosts changed while open) is opt-in there too. */
const EVENT_TYPES = ['opened', 'reopened', 'resolved', 'updated'] as const;
export const DEFAULT_EVENTS: ReadonlySet<string> = new Set(['opened', 'reopened', 'resolved']);

/** A copy of `set` with `value` added or removed. */
function toggled<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

export interface Filters {
  kinds: ReadonlySet<InsightKind>;
  events: ReadonlySet<string>;
  /** Minutes, as the select's value ('0': off). */
  digest: string;
}

export function FilterFields({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  return (
    <div className="form-grid">
      <fieldset className="field checks">
        <legend>Insight kinds</legend>
        <div className="hint">None ticked: every kind.</div>
        {INSIGHT_KINDS.map((k) => (
          <label key={k} className="choice">
            <input
              type="checkbox"
              checked={value.kinds.has(k)}
              onChange={() => onChange({ ...value, kinds: toggled(value.kinds, k) })}
            />
            {KIND_LABEL[k]}
          </label>
        ))}
      </fieldset>
      <div>
        <fieldset className="field checks">
          <legend>Events</legend>
          {EVENT_TYPES.map((t) => (
            <label key={t} className="choice">
              <input
                type="checkbox"
                checked={value.events.has(t)}
                onChange={() => onChange({ ...value, events: toggled(value.events, t) })}
              />
              {t}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="ch-digest">Digest</label>
          <select
            id="ch-digest"
            value={value.digest}
            onChange={(e) => onChange({ ...value, digest: e.target.value })}
          >
            <option value="0">Off: one message per event</option>
            <option value="15">Every 15 minutes</option>
            <option value="60">Every hour</option>
            <option value="240">Every 4 hours</option>
            <option value="1440">Once a day</option>
          </select>
        </div>
      </div>
    </div>
  );
}
