/**
 * @module catalog/version-dir
 * Catalog versions kept in a local directory, for the CLI and for servers
 * without a database-backed catalog:
 *
 *   <dir>/versions/<id>.json   one imported catalog (metadata + sets)
 *   <dir>/current              the id of the catalog in force
 *
 * An import is validated completely before anything is written, and files are
 * written to a temporary name and renamed (atomic on POSIX), so a malformed
 * or interrupted import leaves the catalog in force untouched. With no import
 * yet, the shipped snapshot is in force.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetinsightsError } from '@netinsights/protocol';
import { parseCatalog, parseCatalogText } from '@netinsights/protocol/catalog/parse-catalog.ts';
import { type CatalogVersion, makeVersion, toServiceJson } from './catalog-version.ts';
import { type CatalogDiff, diffCatalogs } from './diff.ts';
import { snapshotCatalog } from './snapshot.ts';

/** What an import did. */
export interface ImportResult {
  version: CatalogVersion;
  /** The catalog that was in force before. */
  previous: CatalogVersion;
  /** False when the same content had been imported before (it becomes current again). */
  created: boolean;
  diff: CatalogDiff;
}

/** Summary of a stored version (without its sets). */
export interface VersionInfo {
  id: string;
  importedAt: string;
  source: string;
  sets: number;
  current: boolean;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** A directory of catalog versions. */
export class CatalogVersionDir {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private versionPath(id: string): string {
    if (!/^c[0-9a-f]{12}$/.test(id))
      throw new NetinsightsError('NI_ERR_USAGE', `"${id}" is not a catalog version id`);
    return join(this.dir, 'versions', `${id}.json`);
  }

  /** The id in force, or undefined when nothing has been imported. */
  async currentId(): Promise<string | undefined> {
    try {
      return (await readFile(join(this.dir, 'current'), 'utf8')).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** The catalog in force: the last import, or the shipped snapshot. */
  async current(): Promise<CatalogVersion> {
    const id = await this.currentId();
    return id ? this.read(id) : snapshotCatalog();
  }

  /** Reads a version by id, by unique id prefix, or `snapshot` / `current`. */
  async read(ref: string): Promise<CatalogVersion> {
    if (ref === 'snapshot') return snapshotCatalog();
    if (ref === 'current') return this.current();
    let id = ref;
    if (!/^c[0-9a-f]{12}$/.test(ref)) {
      const matches = (await this.list()).filter((v) => v.id.startsWith(ref));
      if (matches.length !== 1)
        throw new NetinsightsError(
          'NI_ERR_NOT_FOUND',
          matches.length === 0
            ? `no catalog version "${ref}" in ${this.dir}`
            : `"${ref}" matches ${matches.length} versions; give more of the id`,
        );
      id = matches[0]!.id;
    }
    let text: string;
    try {
      text = await readFile(this.versionPath(id), 'utf8');
    } catch {
      throw new NetinsightsError('NI_ERR_NOT_FOUND', `no catalog version "${id}" in ${this.dir}`);
    }
    const stored = JSON.parse(text) as { id: string; importedAt: string; source: string; sets: unknown };
    return {
      id: stored.id,
      importedAt: stored.importedAt,
      source: stored.source,
      sets: parseCatalog(stored.sets, id),
    };
  }

  /** All stored versions, oldest import first. */
  async list(): Promise<VersionInfo[]> {
    let files: string[];
    try {
      files = (await readdir(join(this.dir, 'versions'))).filter((f) => /^c[0-9a-f]{12}\.json$/.test(f));
    } catch {
      return [];
    }
    const current = await this.currentId();
    const out: VersionInfo[] = [];
    for (const f of files) {
      const stored = JSON.parse(await readFile(join(this.dir, 'versions', f), 'utf8')) as {
        id: string;
        importedAt: string;
        source: string;
        sets: unknown[];
      };
      out.push({
        id: stored.id,
        importedAt: stored.importedAt,
        source: stored.source,
        sets: stored.sets.length,
        current: stored.id === current,
      });
    }
    return out.sort((a, b) => a.importedAt.localeCompare(b.importedAt));
  }

  /**
   * Validates `text` and makes it the catalog in force. Throws CatalogError
   * (naming the index and field) without touching the directory when invalid.
   */
  async import(text: string, source: string, now = new Date()): Promise<ImportResult> {
    const sets = parseCatalogText(text, source);
    const previous = await this.current();
    let version = makeVersion(sets, source, now);
    let created = true;
    await mkdir(join(this.dir, 'versions'), { recursive: true });
    const path = this.versionPath(version.id);
    try {
      version = await this.read(version.id);
      created = false;
    } catch {
      const stored = { ...version, sets: version.sets.map(toServiceJson) };
      await writeAtomic(path, `${JSON.stringify(stored, null, 2)}\n`);
    }
    await writeAtomic(join(this.dir, 'current'), `${version.id}\n`);
    return { version, previous, created, diff: diffCatalogs(previous, version) };
  }
}
