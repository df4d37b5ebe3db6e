/**
 * @module agent/config-cache
 * The last settings the collector gave, kept on disk next to the spool, so
 * that an agent restarted while the collector is down still measures what
 * the admins last asked for (and not the shipped default). Written
 * atomically (temp file + rename), only when the settings changed, and
 * checked again when read: a damaged file is ignored, not trusted.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type AgentSettings, parseAgentSettings } from './agent-settings.ts';

/** `<state dir>/agent-config.json`, beside the spool and the device id. */
export function defaultConfigCacheFile(spoolDir: string): string {
  return join(dirname(spoolDir), 'agent-config.json');
}

export class ConfigCache {
  readonly file: string;
  /** The JSON last written or read, so an unchanged answer costs no disk write. */
  #text: string | undefined;

  constructor(file: string) {
    this.file = file;
  }

  /** The cached settings, or undefined when there are none or the file is not valid settings. */
  async load(): Promise<{ settings?: AgentSettings; problem?: string }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? {} : { problem: `${this.file}: cannot be read (${code})` };
    }
    try {
      const settings = parseAgentSettings(JSON.parse(text), this.file);
      this.#text = text;
      return { settings };
    } catch (err) {
      return { problem: `${this.file}: ignored, ${(err as Error).message}` };
    }
  }

  async save(settings: AgentSettings): Promise<void> {
    // A plan is good for the run it was fetched for only: the cache keeps the rest.
    const { plan: _plan, ...kept } = settings;
    const text = JSON.stringify(kept);
    if (text === this.#text) return;
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, this.file);
    this.#text = text;
  }
}
