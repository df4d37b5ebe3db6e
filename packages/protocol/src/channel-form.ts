/**
 * @module protocol/channel-form
 * How the dashboard's "add a channel" form is described by the server
 * (`GET /api/v1/notification-channel-types`): each channel type names its
 * label and the fields of its settings as plain data, so the form renders
 * any type generically and a new channel type needs no dashboard code.
 */

/** How a field is typed in and how its text becomes a config value. */
export type ChannelFieldInput =
  /** Text, sent trimmed. */
  | 'text'
  /** A URL (`<input type="url">`), sent trimmed. */
  | 'url'
  /** Digits (`inputMode="numeric"`), sent as a number. */
  | 'number'
  /** Hidden while typed, sent as typed (a password may begin or end with a space). */
  | 'password'
  /** One of `options`, sent as the chosen value. */
  | 'select'
  /** Several values separated by commas, semicolons or new lines, sent as an array of strings. */
  | 'list';

/** One field of a channel's settings. */
export interface ChannelFormField {
  /** The config property the field fills (`config.<key>`). */
  key: string;
  /** The element id is `ch-<id>` (and its hint `ch-<id>-hint`); defaults to `key`. */
  id?: string;
  label: string;
  input: ChannelFieldInput;
  placeholder?: string;
  /** One line under the field. */
  hint?: string;
  /** The form does not submit without it; an optional field left empty is not sent. */
  required?: boolean;
  /** The value the field starts with. */
  initial?: string;
  /** `select` only: the choices, in order. */
  options?: { value: string; label: string }[];
  /** Disabled, and not sent, while the field with this key is empty (a password needs a user name). */
  requires?: string;
  /** `select` only: choosing a value sets another field, e.g. the port that goes with a security mode. */
  sets?: { key: string; values: Record<string, string> };
  /** The input's `autocomplete` attribute. */
  autoComplete?: string;
}

/** A channel type as the dashboard's form needs it. */
export interface ChannelTypeInfo {
  /** The `type` of a channel, e.g. `webhook`. */
  type: string;
  /** What the type is called in the dashboard, e.g. `Webhook (signed JSON)`. */
  label: string;
  /** The settings' fields, row by row (the fields of one row sit side by side). */
  rows: ChannelFormField[][];
}
