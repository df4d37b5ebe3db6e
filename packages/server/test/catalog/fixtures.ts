/**
 * @module test/catalog/fixtures
 * Helpers shared by the catalog tests: the shipped snapshot as raw JSON, to
 * be altered into "newer" or malformed catalogs.
 */
import { readFileSync } from 'node:fs';
import { SNAPSHOT_PATH } from '../../src/catalog/snapshot.ts';

/** A fresh deep copy of the shipped catalog document. */
export function snapshotDoc(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(SNAPSHOT_PATH, 'utf8')) as Record<string, unknown>[];
}

/** The raw set with `id` in `doc`; throws when absent so tests fail loudly. */
export function rawSet(doc: Record<string, unknown>[], id: number): Record<string, unknown> {
  const s = doc.find((x) => x.id === id);
  if (!s) throw new Error(`set ${id} missing from the snapshot`);
  return s;
}
