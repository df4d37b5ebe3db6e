/**
 * @module http/audited-change
 * An admin change and its audit entry as one step: the change runs in one
 * store transaction at one instant (the server clock, read once), and the
 * entry it records, named after the caller, commits or rolls back with it.
 */
import { audit } from '../audit/audit-log.ts';
import type { Principal } from '../auth/principal.ts';
import type { Store } from '../store/contract.ts';
import type { ServerContext } from './context.ts';

/** What the work of an audited change is given. */
export interface Change {
  /** The transaction: every read and write of the change goes through it. */
  tx: Store;
  /** The instant of the change, for its rows and its audit entry. */
  now: Date;
  /** Appends the audit entry (the action done, to which target, with what details) in `tx`. */
  record(action: string, target: string, details?: unknown): Promise<void>;
}

/** Runs `work` as one audited change by `principal`; its result is the change's. */
export function auditedChange<T>(
  ctx: ServerContext,
  principal: Principal,
  work: (change: Change) => Promise<T>,
): Promise<T> {
  const now = ctx.now();
  return ctx.store.transaction((tx) =>
    work({
      tx,
      now,
      record: (action, target, details) => audit(tx, principal, action, target, details, now),
    }),
  );
}
