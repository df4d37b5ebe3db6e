/**
 * @module store/read-routing
 * Which reads may go to a read replica (`--db-read`). The HTTP layer marks
 * the handling of one request (http/read-your-writes.ts) with
 * `readFromReplica`; a store with a replica sends that request's reads made
 * outside a transaction there, and everything else — writes, transactions,
 * ingest, timers, authentication — to the primary. An async context rather
 * than a second store handed to each route: routes keep their one
 * `ctx.store`, so a route cannot pick the wrong database by mistake.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const replicaReads = new AsyncLocalStorage<true>();

/** Runs `fn` (and everything it starts) with reads allowed on the replica. */
export function readFromReplica<T>(fn: () => T): T {
  return replicaReads.run(true, fn);
}

/** True inside `readFromReplica`. */
export function mayReadFromReplica(): boolean {
  return replicaReads.getStore() === true;
}
