/**
 * @module audit/audit-log
 * Writes one entry of a tenant's audit log: who (named from the principal),
 * did what, to which target, when. Callers that change data pass their
 * transaction as the store, so the entry commits or rolls back with the change.
 */
import { randomUUID } from 'node:crypto';
import { actorName, type Principal } from '../auth/principal.ts';
import type { Store } from '../store/contract.ts';

/** Appends to the audit log, in the caller's transaction when it passes one. */
export function audit(
  store: Store,
  principal: Principal,
  action: string,
  target: string,
  details?: unknown,
  at = new Date(),
): Promise<void> {
  return store.audit.append({
    tenantId: principal.tenantId,
    id: randomUUID(),
    at: at.toISOString(),
    actor: actorName(principal),
    action,
    target,
    details: details ?? null,
  });
}
