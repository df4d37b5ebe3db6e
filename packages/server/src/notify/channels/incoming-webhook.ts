/**
 * @module notify/channels/incoming-webhook
 * What Microsoft Teams and Slack channels have in common: the settings are
 * one incoming-webhook URL (the secret is the URL itself, which the admin
 * sees where it was issued), checked by the SSRF guard like any other.
 * Each of the two adds its own message format and names.
 */
import type { OutgoingMessage } from '../notice.ts';
import type { ChannelDefinition } from './contract.ts';
import { postJson } from './http-post.ts';

/** A Microsoft Teams or Slack incoming-webhook URL. */
export interface IncomingWebhookConfig {
  url: string;
}

/** What tells one incoming-webhook service from the other. */
export interface IncomingWebhookService {
  type: string;
  label: string;
  /** The service's name in the form's hint, e.g. `Teams`. */
  service: string;
  /** What such a URL looks like. */
  placeholder: string;
  /** The service's message for one outgoing message. */
  message(msg: OutgoingMessage, publicUrl?: string): Record<string, unknown>;
}

/** A channel posting the service's message to its incoming-webhook URL. */
export function incomingWebhookChannel(s: IncomingWebhookService): ChannelDefinition<IncomingWebhookConfig> {
  return {
    type: s.type,
    label: s.label,
    parse: (c) => ({ url: c.httpUrl('url') }),
    target: (config) => ({ url: config.url }),
    // The URL is the credential: the API shows only where it points.
    redact: (config) => ({ url: `${new URL(config.url).origin}/…`, urlSet: true }),
    render: s.message,
    send: (config, msg, ctx) => postJson(config.url, s.message(msg, ctx.publicUrl), ctx),
    form: [
      [
        {
          key: 'url',
          label: 'Incoming webhook URL',
          input: 'url',
          placeholder: s.placeholder,
          hint: `The URL ${s.service} gives you when you add an incoming webhook.`,
          required: true,
        },
      ],
    ],
  };
}
