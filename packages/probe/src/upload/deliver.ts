/**
 * @module upload/deliver
 * One delivery round: the spooled reports first (oldest first), then the
 * reports held in memory from earlier rounds (the spool could not take
 * them), then this run's report. What fails and may succeed later goes (or
 * stays) in the spool; what the spool cannot take (a full disk) stays in
 * memory, handed back to the caller for the next round; what the collector
 * rejects for good (its own coded refusal: schema, size) is dropped, and
 * said so.
 */
import type { ProbeReport } from '@netinsights/protocol';
import { errorText } from '../step.ts';
import { type CollectorOptions, type UploadResult, uploadReport } from './collector-client.ts';
import type { Spool } from './spool.ts';

export interface DeliveryLine {
  reportId: string;
  spooled: boolean;
  result: UploadResult;
}

export interface Delivery {
  lines: DeliveryLine[];
  /** Reports waiting after this round: in the spool, and held in memory. */
  waiting: number;
  /** Files in the spool that are not valid reports (left alone). */
  broken: string[];
  /** Not uploaded and not taken by the spool: the caller keeps them for the next round. */
  held: ProbeReport[];
  /** Why the spool could not take a report, when it could not. */
  spoolError?: string;
  /** The oldest spooled reports dropped this round to keep the spool within its bound. */
  droppedOldest: string[];
}

export async function deliver(
  report: ProbeReport,
  collector: CollectorOptions,
  spool: Spool,
  heldBefore: ProbeReport[] = [],
): Promise<Delivery> {
  const { reports: waiting, broken } = await spool.list();
  const lines: DeliveryLine[] = [];
  const held: ProbeReport[] = [];
  const droppedOldest: string[] = [];
  let spoolError: string | undefined;
  let reachable = true;
  const notTried: UploadResult = {
    ok: false,
    retryable: true,
    message: 'not tried: the collector failed for an earlier report',
  };
  for (const old of waiting) {
    // Once the collector is unreachable, the rest would fail the same way: keep them for next time.
    if (!reachable) break;
    const result = await uploadReport(old, collector);
    lines.push({ reportId: old.reportId, spooled: true, result });
    if (result.ok || !result.retryable) await spool.remove(old.reportId);
    else reachable = false;
  }
  for (const r of [...heldBefore, report]) {
    const result = reachable ? await uploadReport(r, collector) : notTried;
    lines.push({ reportId: r.reportId, spooled: r !== report, result });
    if (result.ok || !result.retryable) continue;
    reachable = false;
    try {
      droppedOldest.push(...(await spool.put(r)));
    } catch (err) {
      spoolError = `the spool (${spool.dir}) cannot take report ${r.reportId}: ${errorText(err)}; kept in memory until it can`;
      held.push(r);
    }
  }
  const spooledNow = await spool.list().then(
    (l) => l.reports.length,
    () => 0,
  );
  return {
    lines,
    waiting: spooledNow + held.length,
    broken,
    held,
    droppedOldest,
    ...(spoolError ? { spoolError } : {}),
  };
}
