/**
 * @module notify/channels/slack
 * Slack: a Block Kit message posted to an incoming webhook. `text` is the
 * fallback Slack shows in notifications; the blocks carry the detail.
 * Slack answers 200 with the body `ok` on success.
 */

import { breakUrls, slackText as escapeMrkdwn } from '../chat-text.ts';
import {
  absoluteLinks,
  headline,
  noticeLine,
  type OutgoingMessage,
  shownNotices,
  TEST_TEXT,
} from '../notice.ts';
import { incomingWebhookChannel } from './incoming-webhook.ts';

/** Builds the Slack message. */
export function slackMessage(msg: OutgoingMessage, publicUrl?: string): Record<string, unknown> {
  const title = headline(msg);
  // Slack limits header text to 150 characters.
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: breakUrls(title).slice(0, 150) } },
  ];
  if (msg.test) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(TEST_TEXT) } });
  const { shown, more } = shownNotices(msg);
  for (const n of shown) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(n.insight.title)}* — ${escapeMrkdwn(n.insight.officeName)}\n${escapeMrkdwn(n.insight.summary)}${
          n.insight.action && n.type !== 'resolved' ? `\n_${escapeMrkdwn(n.insight.action)}_` : ''
        }`,
      },
    });
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `${n.type} · severity ${n.insight.severity} · ${n.insight.kind} · ${n.at}` },
      ],
    });
    const buttons = absoluteLinks(n.insight.links, publicUrl)
      .filter((l) => /^https?:\/\//.test(l.href))
      .slice(0, 5)
      .map((l) => ({
        type: 'button',
        text: { type: 'plain_text', text: l.label.slice(0, 75) },
        url: l.href,
      }));
    if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  }
  if (more) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(more) }] });
  // The fallback text is formatted by Slack too, so it is escaped like the blocks.
  const text = msg.test
    ? TEST_TEXT
    : escapeMrkdwn([title, ...shown.map(noticeLine), ...(more ? [more] : [])].join('\n'));
  // 10 notices × 4 blocks + header + more = 42, inside Slack's 50-block limit.
  return { text, blocks };
}

export const slackChannel = incomingWebhookChannel({
  type: 'slack',
  label: 'Slack',
  service: 'Slack',
  placeholder: 'https://hooks.slack.com/services/…',
  message: slackMessage,
});
