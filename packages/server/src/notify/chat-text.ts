/**
 * @module notify/chat-text
 * Agent-controlled text (an interceptor's vendor or issuer from a report, a
 * discovered location's city) reaches Teams and Slack inside insight titles
 * and summaries. Both render markup, so such text is escaped before it goes
 * into a message: a vendor string like `[Sign in again](https://evil.example)`
 * used to arrive as a clickable link.
 * - Teams TextBlocks render a Markdown subset (Adaptive Cards "Text features":
 *   bold, italic and `[text](url)` links): the characters that open them
 *   (`[`, `]`, `*`, `_`, `~`, backtick, backslash) get a backslash.
 * - Slack mrkdwn treats `&`, `<` and `>` as control characters
 *   (api.slack.com "Formatting text": `<url|text>` is a link) and `*_~\``
 *   as formatting: the first three become entities, the rest are broken
 *   with a zero-width space.
 * In both, `scheme://` is broken with a zero-width space so that a URL in
 * the text is not turned into a link automatically.
 */

const ZWSP = '\u200b';
/** `scheme://` broken so no client turns the text into a link (also for plain_text fields). */
export const breakUrls = (s: string) => s.replace(/:\/\//g, `:${ZWSP}//`);

/** Text for a Teams TextBlock: shown literally, no links. */
export function teamsText(s: string): string {
  return breakUrls(s).replace(/[\\`*_[\]~]/g, (c) => `\\${c}`);
}

/** Text for Slack mrkdwn (and the plain `text` fallback, which Slack also formats). */
export function slackText(s: string): string {
  return breakUrls(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (c) => `${c}${ZWSP}`);
}
