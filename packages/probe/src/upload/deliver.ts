/**
 * @module upload/deliver
 * One delivery round: the spooled reports first (oldest first), then this
 * run's report. What fails and may succeed later goes (or stays) in the
 * spool; what the collector rejects for good (a schema or size error) is
 * dropped, and said so.
 */
import type { ProbeReport } from '@netinsights/protocol';
import { type CollectorOptions, type UploadResult, uploadReport } from './collector-client.ts';
import type { Spool } from './spool.ts';

export interface DeliveryLine {
  reportId: string;
  spooled: boolean;
  result: UploadResult;
}

export interface Delivery {
  lines: DeliveryLine[];
  /** Reports waiting in the spool after this round. */
  waiting: number;
  /** Files in the spool that are not valid reports (left alone). */
  broken: string[];
}

export async function deliver(
  report: ProbeReport,
  collector: CollectorOptions,
  spool: Spool,
): Promise<Delivery> {
  const { reports: waiting, broken } = await spool.list();
  const lines: DeliveryLine[] = [];
  let reachable = true;
  for (const old of waiting) {
    // Once the collector is unreachable, the rest would fail the same way: keep them for next time.
    if (!reachable) break;
    const result = await uploadReport(old, collector);
    lines.push({ reportId: old.reportId, spooled: true, result });
    if (result.ok || !result.retryable) await spool.remove(old.reportId);
    else reachable = false;
  }
  const result: UploadResult = reachable
    ? await uploadReport(report, collector)
    : {
        ok: false,
        retryable: true,
        message: 'not tried: the collector failed for an earlier spooled report',
      };
  lines.push({ reportId: report.reportId, spooled: false, result });
  if (!result.ok && result.retryable) await spool.put(report);
  return { lines, waiting: (await spool.list()).reports.length, broken };
}
