/**
 * @module notify/channels/webhook
 * The generic webhook: a JSON document describing the insight events,
 * signed (signature.ts) so the receiver can check it came from this server
 * and was not replayed. The delivery id header lets receivers drop the rare
 * duplicate (a crash after sending but before recording success).
 */
import { randomBytes } from 'node:crypto';
import { absoluteLinks, type OutgoingMessage, TEST_TEXT } from '../notice.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../signature.ts';
import type { ChannelDefinition } from './contract.ts';
import { postJson } from './http-post.ts';

/** Generic webhook: JSON body signed with `secret` (see signature.ts). */
export interface WebhookConfig {
  url: string;
  secret: string;
}

/** The JSON body receivers get (documented for integrators). */
export function webhookBody(msg: OutgoingMessage, publicUrl?: string): Record<string, unknown> {
  return {
    version: 1,
    type: msg.test ? 'test' : 'insight.events',
    deliveryId: msg.deliveryId,
    channelId: msg.channelId,
    ...(msg.test ? { message: TEST_TEXT } : {}),
    events: msg.notices.map((n) => ({
      ...n,
      insight: { ...n.insight, links: absoluteLinks(n.insight.links, publicUrl) },
    })),
  };
}

export const webhookChannel: ChannelDefinition<WebhookConfig> = {
  type: 'webhook',
  label: 'Webhook (signed JSON)',
  parse(c) {
    const url = c.httpUrl('url');
    const given = c.get('secret');
    // Without a secret, one is generated (32 random bytes, base64url) and shown once to the caller.
    if (given === undefined) return { url, secret: randomBytes(32).toString('base64url') };
    if (typeof given !== 'string' || given.length < 16) {
      c.add('secret', 'must be a string of at least 16 characters (or leave it out to have one generated)');
      return { url, secret: '' };
    }
    return { url, secret: given };
  },
  target: (config) => ({ url: config.url }),
  redact: ({ secret: _secret, ...shown }) => ({ ...shown, secretSet: true }),
  // Shown this once, so the receiver can be configured to verify signatures.
  shownOnce: (config) => ({ secret: config.secret }),
  render: webhookBody,
  send(config, msg, ctx) {
    return postJson(config.url, webhookBody(msg, ctx.publicUrl), ctx, (body) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body),
        [DELIVERY_HEADER]: msg.deliveryId,
      };
    });
  },
  form: [
    [
      {
        key: 'url',
        label: 'Webhook URL',
        input: 'url',
        placeholder: 'https://alerts.example.com/netinsights',
        hint: 'JSON is POSTed with an HMAC-SHA256 signature; the signing secret is shown once after saving.',
        required: true,
      },
    ],
  ],
};
