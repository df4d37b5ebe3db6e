/**
 * @module notify/channels
 * One sender per channel type, behind a single `sendToChannel`.
 */
import type { ChannelRow, EmailConfig, IncomingWebhookConfig, WebhookConfig } from '../channel.ts';
import type { OutgoingMessage } from '../notice.ts';
import { sendEmail } from './email.ts';
import type { SendContext, SendOutcome } from './send-context.ts';
import { sendSlack } from './slack.ts';
import { sendTeams } from './teams.ts';
import { sendWebhook } from './webhook.ts';

export type { SendContext, SendOutcome } from './send-context.ts';

/** Sends one message through one channel; never throws (failures are outcomes). */
export function sendToChannel(
  channel: ChannelRow,
  msg: OutgoingMessage,
  ctx: SendContext,
): Promise<SendOutcome> {
  switch (channel.type) {
    case 'webhook':
      return sendWebhook(channel.config as WebhookConfig, msg, ctx);
    case 'teams':
      return sendTeams(channel.config as IncomingWebhookConfig, msg, ctx);
    case 'slack':
      return sendSlack(channel.config as IncomingWebhookConfig, msg, ctx);
    case 'email':
      return sendEmail(channel.config as EmailConfig, msg, ctx);
  }
}
