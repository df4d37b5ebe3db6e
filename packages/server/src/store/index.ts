/**
 * @module store
 * Opens the configured store. Callers depend on `Store` (contract.ts) only.
 */
export type * from './contract.ts';
export { dialectOf, openStore, type StoreConfig } from './open-store.ts';
export { type LocksRepo, type TenantLockResult, withTenantLock } from './tenant-lock.ts';
