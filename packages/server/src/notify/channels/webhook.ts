/**
 * @module notify/channels/webhook
 * The generic webhook: a JSON document describing the insight events,
 * signed (signature.ts) so the receiver can check it came from this server
 * and was not replayed. The delivery id header lets receivers drop the rare
 * duplicate (a crash after sending but before recording success).
 */
import type { WebhookConfig } from '../channel.ts';
import { postToUrl } from '../http-post.ts';
import { absoluteLinks, type OutgoingMessage, TEST_TEXT } from '../notice.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../signature.ts';
import { errorOutcome, httpOutcome, type SendContext, type SendOutcome } from './send-context.ts';

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

export async function sendWebhook(
  config: WebhookConfig,
  msg: OutgoingMessage,
  ctx: SendContext,
): Promise<SendOutcome> {
  const body = JSON.stringify(webhookBody(msg, ctx.publicUrl));
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await postToUrl(new URL(config.url), body, {
      ...ctx.guard,
      ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      headers: {
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body),
        [DELIVERY_HEADER]: msg.deliveryId,
      },
    });
    return httpOutcome(res.status, res.body);
  } catch (err) {
    return errorOutcome(err);
  }
}
