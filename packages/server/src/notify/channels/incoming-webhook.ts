/**
 * @module notify/channels/incoming-webhook
 * What Microsoft Teams and Slack channels have in common: the settings are
 * one incoming-webhook URL (the secret is the URL itself, which the admin
 * sees where it was issued), checked by the SSRF guard like any other.
 * Each of the two adds its own message format and the name in its form.
 */
import type { ChannelFormField } from '@netinsights/protocol/channel-form.ts';
import type { ChannelDefinition } from './contract.ts';

/** A Microsoft Teams or Slack incoming-webhook URL. */
export interface IncomingWebhookConfig {
  url: string;
}

/** Reading, target and view of an incoming-webhook channel. */
export const incomingWebhook: Pick<
  ChannelDefinition<IncomingWebhookConfig>,
  'parse' | 'target' | 'redact'
> = {
  parse: (c) => ({ url: c.httpUrl('url') }),
  target: (config) => ({ url: config.url }),
  redact: (config) => ({ ...config }),
};

/** The form of an incoming-webhook channel: the URL the service (`Teams`, `Slack`) issued. */
export function incomingWebhookForm(service: string, placeholder: string): ChannelFormField[][] {
  return [
    [
      {
        key: 'url',
        label: 'Incoming webhook URL',
        input: 'url',
        placeholder,
        hint: `The URL ${service} gives you when you add an incoming webhook.`,
        required: true,
      },
    ],
  ];
}
