/**
 * @module notify/channels/contract
 * The one contract every notification channel type implements: how its
 * settings are read and checked, where it sends (what the SSRF guard
 * checks when a channel is saved), what the API may show of it, how it
 * renders and sends a message, and the fields of its dashboard form. The
 * shared suite (test/notify/channels.common.test.ts) holds every entry of
 * `CHANNELS` to it.
 */
import type { ChannelFormField } from '@netinsights/protocol/channel-form.ts';
import type { FieldReader } from '../field-reader.ts';
import type { OutgoingMessage } from '../notice.ts';
import type { GuardOptions, GuardTarget } from '../ssrf-guard.ts';

/** Shared sending settings (from the server configuration). */
export interface SendContext {
  guard: GuardOptions;
  /** The server's public URL, to make links in messages absolute. */
  publicUrl?: string;
  /** Per-send deadline in ms (default 15 000). */
  timeoutMs?: number;
  /** Extra CA certificates trusted for HTTPS receivers (private deployments, tests). */
  ca?: string[];
}

/** How one send attempt ended. */
export interface SendOutcome {
  ok: boolean;
  /** HTTP status, or the SMTP reply code when known. */
  status?: number;
  /** One line for the delivery log: the receiver's answer or the error. */
  detail: string;
  /** False when trying again cannot help (target refused by the guard, 4xx other than 408/429). */
  retryable: boolean;
}

/** One channel type, with settings of type `Config`. */
export interface ChannelDefinition<Config> {
  /** The `type` of its channels (stored, and sent by the API). */
  type: string;
  /** What the dashboard calls it. */
  label: string;
  /**
   * Reads the settings from `config` (a reader at `/config`), reporting each
   * bad field with its path. Returns a value even when there were problems;
   * the caller throws if any were found.
   */
  parse(config: FieldReader): Config;
  /** Where it sends: the URL or host the SSRF guard checks when the channel is saved. */
  target(config: Config): GuardTarget;
  /** The settings as the API shows them: secrets and passwords never leave. */
  redact(config: Config): Record<string, unknown>;
  /** Secrets shown once, in the answer that created the channel (a webhook's signing secret). */
  shownOnce?(config: Config): Record<string, string>;
  /** The message as its receiver gets it (a JSON body, a card, a mail's subject, text and HTML). */
  render(msg: OutgoingMessage, publicUrl?: string): Record<string, unknown>;
  /** Renders and sends one message; never throws (failures are outcomes). */
  send(config: Config, msg: OutgoingMessage, ctx: SendContext): Promise<SendOutcome>;
  /** The fields of its settings in the dashboard's form, row by row. */
  form: ChannelFormField[][];
}
