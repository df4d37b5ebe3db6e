/**
 * @module notify/channels/teams
 * Microsoft Teams: an Adaptive Card posted to an incoming webhook (or a
 * Workflows "post to a channel when a webhook request is received" URL,
 * which takes the same message shape: `type: message` with the card as an
 * attachment of content type application/vnd.microsoft.card.adaptive).
 */

import { teamsText } from '../chat-text.ts';
import { absoluteLinks, headline, type OutgoingMessage, shownNotices, TEST_TEXT } from '../notice.ts';
import { incomingWebhookChannel } from './incoming-webhook.ts';

const SEVERITY_COLOR = { high: 'Attention', medium: 'Warning', low: 'Accent' } as const;

/** Builds the Teams message (Adaptive Card 1.4, the version Teams renders everywhere). */
export function teamsMessage(msg: OutgoingMessage, publicUrl?: string): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, text: teamsText(headline(msg)) },
  ];
  const actions: Record<string, unknown>[] = [];
  if (msg.test) body.push({ type: 'TextBlock', wrap: true, text: TEST_TEXT });
  const { shown, more } = shownNotices(msg);
  for (const n of shown) {
    body.push(
      {
        type: 'TextBlock',
        wrap: true,
        weight: 'Bolder',
        color: n.type === 'resolved' ? 'Good' : SEVERITY_COLOR[n.insight.severity],
        text: teamsText(`${n.insight.title} — ${n.insight.officeName}`),
        separator: true,
      },
      { type: 'TextBlock', wrap: true, text: teamsText(n.insight.summary) },
      {
        type: 'FactSet',
        facts: [
          { title: 'Event', value: n.type },
          { title: 'Severity', value: n.insight.severity },
          { title: 'Kind', value: n.insight.kind },
          { title: 'When', value: n.at },
        ],
      },
    );
    if (n.insight.action && n.type !== 'resolved')
      body.push({ type: 'TextBlock', wrap: true, isSubtle: true, text: teamsText(n.insight.action) });
    for (const link of absoluteLinks(n.insight.links, publicUrl)) {
      // Teams only opens absolute URLs, and a card allows a handful of actions.
      if (/^https?:\/\//.test(link.href) && actions.length < 5)
        actions.push({ type: 'Action.OpenUrl', title: link.label, url: link.href });
    }
  }
  if (more)
    body.push({ type: 'TextBlock', wrap: true, isSubtle: true, text: teamsText(more), separator: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}

export const teamsChannel = incomingWebhookChannel({
  type: 'teams',
  label: 'Microsoft Teams',
  service: 'Teams',
  placeholder: 'https://…webhook.office.com/…',
  message: teamsMessage,
});
