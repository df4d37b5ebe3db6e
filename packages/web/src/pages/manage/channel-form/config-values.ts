/**
 * @module pages/manage/channel-form/config-values
 * The text typed into a channel's settings fields, and the `config` object
 * it becomes: each field's input kind says how its text is sent (see
 * ChannelFieldInput), an optional field left empty is left out, and a
 * field that requires another one is left out while that one is empty.
 */
import type { ChannelFormField, ChannelTypeInfo } from '@netinsights/protocol/channel-form.ts';

/** What is typed, by field key. Kept across type changes, so a URL survives webhook → Slack. */
export type FieldValues = Record<string, string>;

/** Every field of every type at its initial value (the first type to name a key sets it). */
export function initialValues(types: readonly ChannelTypeInfo[]): FieldValues {
  const values: FieldValues = {};
  for (const field of types.flatMap((t) => t.rows.flat())) values[field.key] ??= field.initial ?? '';
  return values;
}

/** False while the field this one requires is empty (a password without a user name). */
export function fieldEnabled(field: ChannelFormField, values: FieldValues): boolean {
  return !field.requires || (values[field.requires] ?? '').trim() !== '';
}

/** Splits a list typed one per line or separated by commas or semicolons. */
function list(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function sentValue(field: ChannelFormField, text: string): unknown {
  switch (field.input) {
    case 'number':
      return Number(text);
    case 'list':
      return list(text);
    case 'password':
    case 'select':
      return text;
    default:
      return text.trim();
  }
}

/** The `config` of a submission from the typed values of one type's fields. */
export function configOf(rows: ChannelFormField[][], values: FieldValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of rows.flat()) {
    const text = values[field.key] ?? '';
    if (!fieldEnabled(field, values)) continue;
    if (!field.required && !field.requires && text.trim() === '') continue;
    config[field.key] = sentValue(field, text);
  }
  return config;
}
