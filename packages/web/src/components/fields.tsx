/**
 * @module components/fields
 * Labelled form controls: a `field` block with its label (tied to the
 * control by id, so screen readers and tests find the control by its label),
 * the control, and an optional hint below it.
 */
import type { CSSProperties, InputHTMLAttributes, ReactNode, Ref } from 'react';

export interface FieldProps {
  /** The control's id, which the label points at. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The hint's id, when the control is `aria-describedby` it. */
  hintId?: string;
  style?: CSSProperties;
}

export function Field({ id, label, hint, hintId, style, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field" style={style}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <div id={hintId} className="hint">
          {hint}
        </div>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'style'>;

/** A labelled input; `onChange` gets the new text. */
export function InputField({
  id,
  label,
  hint,
  hintId,
  style,
  ref,
  value,
  onChange,
  ...input
}: FieldProps &
  InputProps & { ref?: Ref<HTMLInputElement>; value: string | number; onChange: (value: string) => void }) {
  return (
    <Field id={id} label={label} hint={hint} hintId={hintId} style={style}>
      <input id={id} ref={ref} {...input} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** One choice of a select. */
export interface Option {
  value: string;
  label: string;
}

/** A labelled select; `onChange` gets the chosen value. */
export function SelectField({
  id,
  label,
  style,
  value,
  options,
  onChange,
}: FieldProps & { value: string; options: readonly Option[]; onChange: (value: string) => void }) {
  return (
    <Field id={id} label={label} style={style}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
