/**
 * @module catalog/store-contract
 * Per-tenant catalog versions in the store (see store/README.md); added to
 * `Store` by module augmentation.
 */
import type { CatalogVersion } from './catalog-version.ts';

/** A stored version without its sets. */
export interface CatalogVersionInfo {
  id: string;
  importedAt: string;
  source: string;
  sets: number;
}

export interface CatalogRepo {
  /** Stores a version unless the tenant already has it; true when written. */
  putVersion(tenantId: string, version: CatalogVersion): Promise<boolean>;
  getVersion(tenantId: string, id: string): Promise<CatalogVersion | undefined>;
  /** Oldest import first. */
  listVersions(tenantId: string): Promise<CatalogVersionInfo[]>;
  setCurrent(tenantId: string, id: string, at: string): Promise<void>;
  /** The version in force, or undefined when the shipped snapshot is. */
  currentId(tenantId: string): Promise<string | undefined>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    catalog: CatalogRepo;
  }
}
