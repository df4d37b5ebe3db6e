/**
 * @module notify/silence-contract
 * Silences (maintenance windows): while one is in force for an insight's
 * office and kind, the event pump pages nobody about it. Insights still open,
 * update and resolve, and their history keeps every event; the silence counts
 * what it held back. Added to `Store` by module augmentation (store/README.md).
 */
import type { InsightKind } from '../insights/kinds.ts';

export interface SilenceRow {
  tenantId: string;
  id: string;
  /** One office, or null for every office. */
  officeId: string | null;
  /** One insight kind, or null for every kind. */
  kind: InsightKind | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  /** Who set it (the audit log's actor name). */
  createdBy: string;
  createdAt: string;
  /** Events that would have paged, held back by this silence. */
  suppressed: number;
  lastSuppressedAt: string | null;
}

export interface SilencesRepo {
  create(row: SilenceRow): Promise<void>;
  /** The tenant's silences that have not ended before `since`, by start. */
  list(tenantId: string, since: string): Promise<SilenceRow[]>;
  get(tenantId: string, id: string): Promise<SilenceRow | undefined>;
  /** Ends a silence now (or removes one not started yet): sets its end to `at` if that is earlier. */
  end(tenantId: string, id: string, at: string): Promise<boolean>;
  /** A silence in force at `at` that covers this office and kind, if any. */
  covering(tenantId: string, officeId: string, kind: string, at: string): Promise<string | undefined>;
  /** Counts one held-back event against the silence. */
  countSuppressed(tenantId: string, id: string, at: string): Promise<void>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    silences: SilencesRepo;
  }
}
