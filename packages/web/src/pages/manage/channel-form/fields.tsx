/**
 * @module pages/manage/channel-form/fields
 * Form fields rendered from plain data (ChannelFormField): a label, an input
 * or a select, and a hint, row by row. A channel type's settings come this
 * way from the server (GET /api/v1/notification-channel-types); the form's
 * own name, type and digest fields use the same pieces. Ids are `ch-<id>`
 * and `ch-<id>-hint`.
 */
import type { ChannelFormField } from '@netinsights/protocol/channel-form.ts';
import { Fragment } from 'react';
import { type FieldValues, fieldEnabled } from './config-values.ts';

interface FieldProps {
  field: ChannelFormField;
  values: FieldValues;
  /** Sets one or more fields at once (a security mode also sets its port). */
  onChange: (changes: FieldValues) => void;
}

export function Field({ field, values, onChange }: FieldProps) {
  const id = `ch-${field.id ?? field.key}`;
  const hintId = field.hint ? `${id}-hint` : undefined;
  const value = values[field.key] ?? '';
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {field.input === 'select' ? (
        <select
          id={id}
          value={value}
          onChange={(e) => {
            const v = e.target.value;
            const also = field.sets?.values[v];
            onChange({
              [field.key]: v,
              ...(field.sets && also !== undefined ? { [field.sets.key]: also } : {}),
            });
          }}
          aria-describedby={hintId}
        >
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={field.input === 'url' || field.input === 'password' ? field.input : undefined}
          inputMode={field.input === 'number' ? 'numeric' : undefined}
          autoComplete={field.autoComplete}
          value={value}
          disabled={!fieldEnabled(field, values)}
          onChange={(e) => onChange({ [field.key]: e.target.value })}
          placeholder={field.placeholder}
          aria-describedby={hintId}
          required={field.required}
        />
      )}
      {field.hint && (
        <div className="hint" id={hintId}>
          {field.hint}
        </div>
      )}
    </div>
  );
}

/** Rows of fields side by side; a row of one field takes the whole width. */
export function FieldRows({
  rows,
  values,
  onChange,
}: Omit<FieldProps, 'field'> & { rows: ChannelFormField[][] }) {
  return (
    <>
      {rows.map((row) => {
        const fields = row.map((f) => <Field key={f.key} field={f} values={values} onChange={onChange} />);
        const key = row.map((f) => f.key).join(' ');
        return row.length === 1 ? (
          <Fragment key={key}>{fields}</Fragment>
        ) : (
          <div key={key} className="form-grid">
            {fields}
          </div>
        );
      })}
    </>
  );
}
