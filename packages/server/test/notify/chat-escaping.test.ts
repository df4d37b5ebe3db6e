/**
 * A vendor string from a report can carry markup: `[Sign in](https://…)`
 * used to arrive in Teams as a clickable link, and `<https://…|click>` in
 * Slack's fallback text as one. Both channels now show such text literally.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slackMessage } from '../../src/notify/channels/slack.ts';
import { teamsMessage } from '../../src/notify/channels/teams.ts';
import { slackText, teamsText } from '../../src/notify/chat-text.ts';
import { sampleNotice } from './helpers.ts';

const EVIL = '[Sign in again](https://evil.example/login) *urgent* <https://evil.example|click>';

test('agent-controlled text is not a link or formatting in Teams or Slack (a vendor string was a Markdown link)', () => {
  const notice = sampleNotice({ type: 'opened', officeName: 'Oslo', summary: EVIL });
  const msg = {
    notices: [{ ...notice, insight: { ...notice.insight, title: `${EVIL} is decrypting traffic` } }],
  };
  const teams = JSON.stringify(teamsMessage(msg as never));
  assert.doesNotMatch(teams, /\[Sign in again\]\(/, 'no Markdown link');
  assert.doesNotMatch(teams, /https:\/\/evil/, 'no bare URL to auto-link');
  const slack = slackMessage(msg as never) as { text: string; blocks: unknown[] };
  const [header, ...rest] = slack.blocks;
  assert.doesNotMatch(JSON.stringify(header), /https:\/\/evil/, 'the plain-text header has no URL either');
  for (const part of [slack.text, JSON.stringify(rest)]) {
    assert.doesNotMatch(part, /<https:/, 'no Slack link syntax');
    assert.doesNotMatch(part, /https:\/\/evil/, 'no bare URL to auto-link');
  }
});

test('the escapes keep the words readable', () => {
  assert.equal(teamsText('Zscaler (Berlin) a_b [x]'), 'Zscaler (Berlin) a\\_b \\[x\\]');
  assert.equal(slackText('R&D <Lab> *x*'), 'R&amp;D &lt;Lab&gt; *\u200bx*\u200b');
  assert.equal(teamsText('see https://x'), 'see https:\u200b//x');
});
