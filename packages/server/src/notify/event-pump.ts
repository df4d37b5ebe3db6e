/**
 * @module notify/event-pump
 * Feeds the outbox from the insight engine's event log (insight_events,
 * ordered by `seq`). Each pass reads the events after the stored cursor,
 * queues one delivery per interested channel, and advances the cursor — all
 * in one transaction, so after a crash the pass is either entirely done or
 * entirely redone (and a redo queues nothing twice: deliveries are unique per
 * event and channel).
 *
 * Events are paged when they happen, and only then: an event that falls in a
 * silence (maintenance window) for its office and kind is recorded as
 * suppressed — counted on the silence, kept in the insight's history — and
 * not sent later. An insight still active when the silence ends pages again
 * at its next change.
 */
import { toApiInsight } from '../insights/api-insight.ts';
import { officeNamer } from '../insights/office-directory.ts';
import type {} from '../insights/store-contract.ts';
import type { Store } from '../store/contract.ts';
import { noticeFromInsight } from './insight-notice.ts';
import { isNoticeType } from './notice.ts';
import { enqueueNotice } from './outbox.ts';
import type {} from './silence-contract.ts';

export const INSIGHT_EVENTS_CURSOR = 'insight-events';

/** One pass: returns how many events were read (0 when caught up). */
export async function pumpInsightEvents(store: Store, now: Date, batch = 200): Promise<number> {
  return store.transaction(async (tx) => {
    const after = await tx.outbox.getCursor(INSIGHT_EVENTS_CURSOR);
    const events = await tx.insights.eventsAfter(after, batch);
    for (const e of events) {
      // Turning a kind off or on is history, not news about the network: it never pages.
      if (!isNoticeType(e.type)) continue;
      const row = await tx.insights.get(e.tenantId, e.insightId);
      if (!row) continue; // the insight was removed since: nothing to say
      const silence = await tx.silences.covering(e.tenantId, row.officeKey, row.kind, e.at);
      if (silence) {
        await tx.silences.countSuppressed(e.tenantId, silence, now.toISOString());
        continue;
      }
      const insight = toApiInsight(row, await officeNamer(tx, e.tenantId)(row.officeKey));
      // The event's seq is unique instance-wide, so it is a stable id for "send once".
      const notice = noticeFromInsight(
        insight,
        { type: e.type, at: e.at, summary: e.summary },
        `ie-${e.seq}`,
      );
      await enqueueNotice(tx, e.tenantId, notice, now);
    }
    const last = events.at(-1);
    if (last) await tx.outbox.setCursor(INSIGHT_EVENTS_CURSOR, last.seq, now.toISOString());
    return events.length;
  });
}
