/**
 * @module upload/spool
 * Reports that could not be uploaded wait on disk, one JSON file per report
 * id, and are sent first on the next run — under their original id, so the
 * collector stores each once however often it is retried. Writes are atomic
 * (temp file + rename); the spool is bounded so an endpoint offline for weeks
 * does not fill its disk.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProbeReport } from '@netinsights/protocol';
import { compileValidator, ProbeReport as ProbeReportSchema } from '@netinsights/protocol';

/** At 15-minute intervals, about a week of reports. */
export const MAX_SPOOLED = 672;

let validator: ReturnType<typeof compileValidator<ProbeReport>> | undefined;
const UUID_FILE = /^[0-9a-f-]{36}\.json$/i;

/** `$XDG_STATE_HOME/netinsights/spool`, else `~/.local/state/netinsights/spool`. */
export function defaultSpoolDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'netinsights', 'spool');
}

export class Spool {
  readonly dir: string;
  readonly max: number;

  constructor(dir: string, max = MAX_SPOOLED) {
    this.dir = dir;
    this.max = max;
  }

  /**
   * Keeps a report; resolves to the ids of the oldest reports dropped to stay
   * within `max` (said in the agent's log). Rejects when the disk cannot take
   * it (ENOSPC, read-only): nothing half-written is left behind.
   */
  async put(report: ProbeReport): Promise<string[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${report.reportId}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(report), { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      // A partial temp file on a full disk would take the space the next attempt needs.
      await rm(tmp, { force: true }).catch(() => {});
      throw err;
    }
    return this.#trim();
  }

  /** Spooled reports, oldest first; unreadable or invalid files are reported, not sent. */
  async list(): Promise<{ reports: ProbeReport[]; broken: string[] }> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => UUID_FILE.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { reports: [], broken: [] };
      throw err;
    }
    const reports: ProbeReport[] = [];
    const broken: string[] = [];
    for (const name of names) {
      try {
        const value: unknown = JSON.parse(await readFile(join(this.dir, name), 'utf8'));
        validator ??= compileValidator<ProbeReport>(ProbeReportSchema, 'spooled report');
        if (validator.check(value)) reports.push(value);
        else broken.push(name);
      } catch {
        broken.push(name);
      }
    }
    reports.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    return { reports, broken };
  }

  async remove(reportId: string): Promise<void> {
    await rm(join(this.dir, `${reportId}.json`), { force: true });
  }

  async #trim(): Promise<string[]> {
    const names = (await readdir(this.dir)).filter((n) => UUID_FILE.test(n));
    if (names.length <= this.max) return [];
    const withTimes = await Promise.all(
      names.map(async (n) => ({ n, t: (await stat(join(this.dir, n))).mtimeMs })),
    );
    withTimes.sort((a, b) => a.t - b.t);
    const dropped = withTimes.slice(0, names.length - this.max).map(({ n }) => n);
    for (const n of dropped) await rm(join(this.dir, n), { force: true });
    return dropped.map((n) => n.replace(/\.json$/, ''));
  }
}
