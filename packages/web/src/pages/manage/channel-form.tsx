/**
 * @module pages/manage/channel-form
 * The "add a notification channel" form: a name, a channel type, that
 * type's settings, and what the channel hears about (insight kinds, event
 * types, digest). The types and their settings' fields come from the server
 * (GET /api/v1/notification-channel-types), so a new channel type needs no
 * code here. It sends exactly the shape the server's channel parser accepts
 * and shows the server's own refusal (a bad field, or a target the SSRF
 * guard does not allow) as is.
 */
import type { ChannelFormField, ChannelTypeInfo } from '@netinsights/protocol/channel-form.ts';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { CreatedChannel } from '../../api/types.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { useApi } from '../../lib/use-api.ts';
import { configOf, type FieldValues, initialValues } from './channel-form/config-values.ts';
import { FieldRows } from './channel-form/fields.tsx';
import { DEFAULT_EVENTS, FilterFields, type Filters } from './channel-form/filter-fields.tsx';

const NAME: ChannelFormField = {
  key: 'name',
  label: 'Name',
  input: 'text',
  placeholder: 'e.g. NOC on-call',
  required: true,
};

/** The name and type row of the form. */
function headRow(types: readonly ChannelTypeInfo[]): ChannelFormField[][] {
  const options = types.map((t) => ({ value: t.type, label: t.label }));
  return [[NAME, { key: 'type', label: 'Type', input: 'select', options }]];
}

const NO_FILTERS: Filters = { kinds: new Set(), events: DEFAULT_EVENTS, digest: '0' };

interface FormProps {
  onCreated: (c: CreatedChannel) => void;
}

/** Loads the channel types, then shows the form. */
export function ChannelForm({ onCreated }: FormProps) {
  const { data, error, reload } = useApi<ChannelTypeInfo[]>('/notification-channel-types');
  if (error) return <ErrorNotice error={error} retry={reload} title="The channel types did not load" />;
  if (!data) return <Loading />;
  return <LoadedChannelForm types={data} onCreated={onCreated} />;
}

function LoadedChannelForm({ types, onCreated }: FormProps & { types: ChannelTypeInfo[] }) {
  const [head, setHead] = useState<FieldValues>({ name: '', type: types[0]?.type ?? '' });
  const name = head.name ?? '';
  const type = head.type ?? '';
  const [values, setValues] = useState<FieldValues>(() => initialValues(types));
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const chosen = types.find((t) => t.type === type);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api<CreatedChannel>('/notification-channels', {
        method: 'POST',
        body: {
          name: name.trim(),
          type,
          config: configOf(chosen?.rows ?? [], values),
          // No kinds ticked means every kind (the server reads an empty list as "all").
          filters: {
            ...(filters.kinds.size ? { kinds: [...filters.kinds] } : {}),
            eventTypes: [...filters.events],
          },
          digestMinutes: Number(filters.digest),
        },
      });
      setHead((h) => ({ ...h, name: '' }));
      setValues(initialValues(types));
      onCreated(created);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-channel-title" data-testid="channel-form">
      {error && (
        <div style={{ marginBottom: 12 }}>
          <ErrorNotice error={error} title="The channel was not saved" />
        </div>
      )}
      <FieldRows rows={headRow(types)} values={head} onChange={(c) => setHead((h) => ({ ...h, ...c }))} />
      {chosen && (
        <FieldRows
          rows={chosen.rows}
          values={values}
          onChange={(changes) => setValues((v) => ({ ...v, ...changes }))}
        />
      )}
      <FilterFields value={filters} onChange={setFilters} />
      <button type="submit" className="primary" disabled={busy || !name.trim()}>
        {busy ? 'Saving…' : 'Add channel'}
      </button>
    </form>
  );
}
