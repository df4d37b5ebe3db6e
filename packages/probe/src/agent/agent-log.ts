/**
 * @module agent/agent-log
 * One log line per agent run, saying what it did: where its settings came
 * from, what the probe found, what was uploaded and what waits in the spool.
 * Text for a person reading journalctl, JSON lines for a log shipper; the
 * same record either way.
 */
import type { SettingsSource } from './agent-settings.ts';
import type { ConfigFailure } from './config-client.ts';

/** Everything one run did; the agent logs it and keeps nothing of it. */
export interface AgentRunRecord {
  /** ISO time the run ended. */
  at: string;
  /** 1 for the first run since start. */
  run: number;
  /**
   * `done`: probed (and delivered or spooled); `aborted`: stopped by a signal; `failed`: see `error`;
   * `capped`: not probed, the daily traffic cap has no room left today (UTC).
   */
  outcome: 'done' | 'aborted' | 'failed' | 'capped';
  settings: { source: SettingsSource; profile: string; version: string; intervalSeconds: number };
  /** Why the collector's settings were not used this run (the run went on with `settings.source`). */
  configError?: { failure: ConfigFailure | 'cache'; message: string };
  report?: { reportId: string; healthy: boolean; checks: number; passed: number; headline: string };
  upload?: {
    /** Reports the collector acknowledged this run (spooled ones included). */
    sent: number;
    /** Of those, already stored before (a retry of a report whose answer was lost). */
    duplicates: number;
    /** Spooled reports among `sent`. */
    fromSpool: number;
    /** Rejected for good (schema, size): dropped. */
    dropped: number;
    /** Waiting in the spool after this run. */
    waiting: number;
    /** Why the upload failed, when it did. */
    failure?: string;
    /** Of `waiting`, the reports the spool could not take (a full disk), kept in memory. */
    heldInMemory?: number;
    /** Why the spool could not take them. */
    spoolError?: string;
    /** The oldest spooled reports dropped to keep the spool within its bound (it was full). */
    droppedOldest?: number;
  };
  /** The daily traffic cap (UTC day): this run's bytes, the day's, the cap, and heavy checks not run with why. */
  traffic?: { runBytes: number; usedTodayBytes: number; capBytes: number; notRun: Record<string, string> };
  /**
   * The endpoint sweep of this run, when the plan granted it and the cap had room: the catalog it
   * swept (`collector`: fetched now; `disk-cache`: the last one fetched; `snapshot`: the shipped
   * one), why the collector's was not used, and how many hosts were swept and failed.
   */
  sweep?: {
    catalog: 'collector' | 'disk-cache' | 'snapshot';
    catalogProblem?: string;
    hosts: number;
    failing: number;
  };
  /** An unexpected error of this run (the agent goes on). */
  error?: string;
  durationMs: number;
  /** Delay until the next run; absent when the agent stops after this run. */
  nextRunInMs?: number;
}

export type AgentLogFormat = 'text' | 'json';

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function textLine(r: AgentRunRecord): string {
  const parts = [
    `${r.at} run ${r.run} ${r.outcome}`,
    `settings from ${r.settings.source} (${r.settings.profile} ${r.settings.version}, every ${r.settings.intervalSeconds} s)`,
  ];
  if (r.configError)
    parts.push(`collector config not used: ${r.configError.failure}: ${r.configError.message}`);
  if (r.report)
    parts.push(
      `report ${r.report.reportId}: ${r.report.healthy ? 'healthy' : r.report.headline}, ${r.report.passed}/${r.report.checks} checks passed`,
    );
  if (r.upload) {
    const u = r.upload;
    const sent = `uploaded ${u.sent}${u.fromSpool ? ` (${u.fromSpool} from the spool)` : ''}${u.duplicates ? `, ${u.duplicates} already stored` : ''}`;
    parts.push(
      `${sent}${u.dropped ? `, ${u.dropped} rejected and dropped` : ''}, ${u.waiting} waiting${u.failure ? `; upload failed: ${u.failure}` : ''}`,
    );
    if (u.heldInMemory)
      parts.push(`${u.heldInMemory} kept in memory: ${u.spoolError ?? 'the spool cannot take them'}`);
    if (u.droppedOldest)
      parts.push(
        `spool full: the ${u.droppedOldest} oldest report${u.droppedOldest === 1 ? '' : 's'} dropped`,
      );
  }
  if (r.traffic) {
    const t = r.traffic;
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    const skipped = Object.keys(t.notRun);
    parts.push(
      `traffic ${mb(t.runBytes)} this run, ${mb(t.usedTodayBytes)} of ${mb(t.capBytes)} today (UTC)${skipped.length ? `; not run: ${skipped.join(', ')}` : ''}`,
    );
  }
  if (r.sweep)
    parts.push(
      `sweep of ${r.sweep.hosts} required endpoints (catalog: ${r.sweep.catalog}${r.sweep.catalogProblem ? `, ${r.sweep.catalogProblem}` : ''}): ${r.sweep.failing} failing`,
    );
  if (r.error) parts.push(`error: ${r.error}`);
  parts.push(`took ${seconds(r.durationMs)}`);
  if (r.nextRunInMs !== undefined) parts.push(`next run in ${seconds(r.nextRunInMs)}`);
  return parts.join('; ');
}

/** The record as one line (no trailing newline). */
export function formatRunRecord(record: AgentRunRecord, format: AgentLogFormat): string {
  return format === 'json' ? JSON.stringify(record) : textLine(record);
}
