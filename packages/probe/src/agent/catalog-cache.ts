/**
 * @module agent/catalog-cache
 * The last endpoint catalog the collector gave for the sweep, kept on disk
 * beside the settings cache (`agent-catalog.json`), so that an agent whose
 * collector is down on its sweep day sweeps what the tenant last had in
 * force rather than the shipped snapshot. Written atomically (temp file +
 * rename), only when it changed, and checked again when read: a damaged
 * file is ignored, never trusted.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SweepCatalog } from '../probe-options.ts';

/** `<state dir>/agent-catalog.json`, beside the spool and the settings cache. */
export function defaultCatalogCacheFile(spoolDir: string): string {
  return join(dirname(spoolDir), 'agent-catalog.json');
}

export class CatalogCache {
  readonly file: string;
  #text: string | undefined;

  constructor(file: string) {
    this.file = file;
  }

  /** The cached catalog (its source stays `collector`), or why there is none usable. */
  async load(): Promise<{ catalog?: SweepCatalog; problem?: string }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? {} : { problem: `${this.file}: cannot be read (${code})` };
    }
    let json: { version?: unknown; sets?: unknown };
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { problem: `${this.file}: ignored, not JSON (${(err as Error).message})` };
    }
    if (typeof json !== 'object' || json === null || !Array.isArray(json.sets))
      return { problem: `${this.file}: ignored, it holds no catalog sets` };
    this.#text = text;
    return {
      catalog: {
        document: json.sets,
        source: 'collector',
        ...(typeof json.version === 'string' ? { version: json.version.slice(0, 64) } : {}),
      },
    };
  }

  async save(catalog: SweepCatalog): Promise<void> {
    const text = JSON.stringify({ version: catalog.version, sets: catalog.document });
    if (text === this.#text) return;
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, this.file);
    this.#text = text;
  }
}
