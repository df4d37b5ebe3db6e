/**
 * @module notify/channels
 * The registry of notification channel types, one file each behind the
 * contract in contract.ts. Adding a type means one file here and its line
 * in `CHANNELS`; the API, the dashboard's form and the shared channel suite
 * (test/notify/channels.common.test.ts) pick it up from this table.
 */
import type { ChannelTypeInfo } from '@netinsights/protocol/channel-form.ts';
import type { FieldReader } from '../field-reader.ts';
import type { OutgoingMessage } from '../notice.ts';
import type { GuardTarget } from '../ssrf-guard.ts';
import type { ChannelDefinition, SendContext, SendOutcome } from './contract.ts';
import { emailChannel } from './email.ts';
import { slackChannel } from './slack.ts';
import { teamsChannel } from './teams.ts';
import { webhookChannel } from './webhook.ts';

export type { ChannelDefinition, SendContext, SendOutcome } from './contract.ts';
export type { EmailConfig } from './email.ts';
export type { IncomingWebhookConfig } from './incoming-webhook.ts';
export type { WebhookConfig } from './webhook.ts';

/** Every channel type by its `type`, in the order the dashboard offers them. */
export const CHANNELS = {
  webhook: webhookChannel,
  teams: teamsChannel,
  slack: slackChannel,
  email: emailChannel,
};

export type ChannelType = keyof typeof CHANNELS;

/** The settings of each channel type. */
export type ChannelConfigs = {
  [K in ChannelType]: (typeof CHANNELS)[K] extends ChannelDefinition<infer C> ? C : never;
};

/** The settings of any channel type. */
export type ChannelConfig = ChannelConfigs[ChannelType];

export const CHANNEL_TYPES: readonly ChannelType[] = Object.keys(CHANNELS) as ChannelType[];

/**
 * The table seen as a mapped type, so that `DEFINITIONS[type]` is known to
 * take `ChannelConfigs[type]` for any one `type` (TypeScript's correlated
 * union pattern): dispatch needs neither a switch nor a cast.
 */
const DEFINITIONS: { [K in ChannelType]: ChannelDefinition<ChannelConfigs[K]> } = CHANNELS;

/** True when `type` names a channel type. */
export function isChannelType(type: unknown): type is ChannelType {
  return typeof type === 'string' && Object.hasOwn(CHANNELS, type);
}

/** A channel's settings bound to its type's definition. */
export interface BoundChannel {
  target(): GuardTarget;
  redact(): Record<string, unknown>;
  shownOnce(): Record<string, string>;
  send(msg: OutgoingMessage, ctx: SendContext): Promise<SendOutcome>;
}

function bind<K extends ChannelType>(type: K, config: ChannelConfigs[K]): BoundChannel {
  const def = DEFINITIONS[type];
  return {
    target: () => def.target(config),
    redact: () => def.redact(config),
    shownOnce: () => def.shownOnce?.(config) ?? {},
    send: (msg, ctx) => def.send(config, msg, ctx),
  };
}

/** The definition of a channel's type, bound to the channel's settings. */
export function channelOf(channel: { type: ChannelType; config: ChannelConfig }): BoundChannel {
  return bind(channel.type, channel.config);
}

/** Reads the settings of a channel of `type` (see ChannelDefinition.parse). */
export function parseChannelConfig<K extends ChannelType>(type: K, config: FieldReader): ChannelConfigs[K] {
  return DEFINITIONS[type].parse(config);
}

/** Sends one message through one channel; never throws (failures are outcomes). */
export function sendToChannel(
  channel: { type: ChannelType; config: ChannelConfig },
  msg: OutgoingMessage,
  ctx: SendContext,
): Promise<SendOutcome> {
  return channelOf(channel).send(msg, ctx);
}

/** The channel types as the dashboard's form needs them. */
export function channelTypeInfos(): ChannelTypeInfo[] {
  return CHANNEL_TYPES.map((t) => ({ type: t, label: CHANNELS[t].label, rows: CHANNELS[t].form }));
}
