/**
 * @module notify/notice
 * What notification channels are told: an insight event as a self-contained
 * notice (no store lookups at send time, so a delivery says what was true
 * when the event happened), and the message a delivery carries — one notice,
 * several for a digest, or a test.
 */

/** The event types a channel can subscribe to (from the insight lifecycle). */
export const NOTICE_TYPES = ['opened', 'updated', 'resolved', 'reopened'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** Whether an insight event is one that pages (`disabled` / `enabled` never do). */
export const isNoticeType = (type: string): type is NoticeType =>
  (NOTICE_TYPES as readonly string[]).includes(type);

/** A link to a remediation artifact or the insight page. */
export interface NoticeLink {
  label: string;
  /** Absolute, or relative to the server's public URL. */
  href: string;
}

/** One insight event, as delivered. */
export interface InsightNotice {
  /** Unique per tenant; with the channel id it is the "send once" key. */
  eventId: string;
  type: NoticeType;
  /** ISO 8601. */
  at: string;
  insight: {
    id: string;
    kind: string;
    severity: 'high' | 'medium' | 'low';
    title: string;
    officeId: string;
    officeName: string;
    /** What changed, in one sentence (the lifecycle event's summary). */
    summary: string;
    /** What to do, in plain words. */
    action?: string;
    links: NoticeLink[];
  };
}

/** What one delivery sends. */
export interface OutgoingMessage {
  deliveryId: string;
  tenantId: string;
  channelId: string;
  /** A "send a test" delivery: no insight behind it. */
  test: boolean;
  notices: InsightNotice[];
}

/** Makes relative links absolute against the server's public URL (when known). */
export function absoluteLinks(links: readonly NoticeLink[], publicUrl: string | undefined): NoticeLink[] {
  return links.map((l) => {
    if (!publicUrl || /^https?:\/\//i.test(l.href)) return l;
    return { label: l.label, href: new URL(l.href, publicUrl).href };
  });
}

const VERB: Record<NoticeType, string> = {
  opened: 'New',
  reopened: 'Back again',
  updated: 'Changed',
  resolved: 'Resolved',
};

/** The one-line headline of a message (subject line, card title). */
export function headline(msg: OutgoingMessage): string {
  if (msg.test) return 'netinsights test notification';
  const first = msg.notices[0];
  if (!first) return 'netinsights';
  if (msg.notices.length === 1)
    return `${VERB[first.type]}: ${first.insight.title} (${first.insight.officeName})`;
  const offices = [...new Set(msg.notices.map((n) => n.insight.officeName))];
  return `${msg.notices.length} insight changes at ${offices.join(', ')}`;
}

/** One line per notice, for plain-text bodies. */
export function noticeLine(n: InsightNotice): string {
  return `[${VERB[n.type]}] ${n.insight.title} — ${n.insight.officeName} (${n.insight.severity}): ${n.insight.summary}`;
}

/**
 * Chat and mail messages show at most this many notices; a digest of a badly
 * flapping office would otherwise exceed Teams' 28 KB and Slack's 50-block
 * limits. The webhook JSON always carries all of them.
 */
export const MAX_NOTICES_SHOWN = 10;

/** The notices a human-facing message shows, and the line about the rest. */
export function shownNotices(msg: OutgoingMessage): { shown: InsightNotice[]; more: string | undefined } {
  const hidden = msg.notices.length - MAX_NOTICES_SHOWN;
  return {
    shown: msg.notices.slice(0, MAX_NOTICES_SHOWN),
    more:
      hidden > 0
        ? `…and ${hidden} more change${hidden === 1 ? '' : 's'}; see the dashboard for all of them.`
        : undefined,
  };
}

/** The sentence a test message carries. */
export const TEST_TEXT =
  'This is a test from netinsights. If you can read it, this channel is set up correctly and will receive insight notifications.';
