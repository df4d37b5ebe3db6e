/**
 * @module notify/insight-notice
 * Builds the notice a channel receives from what the insight engine has at
 * hand when it records a lifecycle event: the insight as the API shows it
 * and the event. The engine calls `enqueueNotice(tx, tenantId,
 * noticeFromInsight(…))` in the transaction that stores the event.
 */
import type { InsightNotice, NoticeType } from './notice.ts';

/** The fields of the API insight a notice needs (see insights/api-insight.ts). */
export interface InsightForNotice {
  id: string;
  kind: string;
  severity: 'high' | 'medium' | 'low';
  title: string;
  officeId: string;
  officeName: string;
  action?: string;
  actionLinks?: { label: string; href: string }[];
}

/** One notice; `eventId` must be unique per tenant (the stored event's id). */
export function noticeFromInsight(
  insight: InsightForNotice,
  event: { type: NoticeType; at: string | number | Date; summary: string },
  eventId: string,
): InsightNotice {
  return {
    eventId,
    type: event.type,
    at: new Date(event.at).toISOString(),
    insight: {
      id: insight.id,
      kind: insight.kind,
      severity: insight.severity,
      title: insight.title,
      officeId: insight.officeId,
      officeName: insight.officeName,
      summary: event.summary,
      ...(insight.action ? { action: insight.action } : {}),
      links: [
        ...(insight.actionLinks ?? []),
        { label: 'Open the insight', href: `/insights/${encodeURIComponent(insight.id)}` },
      ],
    },
  };
}
