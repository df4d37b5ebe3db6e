/**
 * @module agent/enrolled-token
 * The agent token of an agent that enrolls: the one kept in its state
 * folder from an earlier enrollment, else a new one traded for the
 * enrollment secret and kept there (owner-only, written atomically). A
 * refused secret stops the agent with the collector's reason (an admin must
 * act); an unreachable collector is tried again every minute — a service
 * starting at boot may start before the network — except with `--once`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CollectorOptions } from '../upload/collector-client.ts';
import { enroll } from './enroll-client.ts';
import { sleep } from './schedule.ts';

const RETRY_MS = 60_000;

/** Why the agent cannot get a token; exit code 2 with this message. */
export class EnrollmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface EnrolledTokenOptions {
  collector: Omit<CollectorOptions, 'token'>;
  secret: string;
  deviceId: string;
  tokenFile: string;
  once: boolean;
  signal: AbortSignal;
  /** Between tries; default a minute. */
  retryMs?: number;
}

/** The token, or undefined when the signal stopped the wait. */
export async function enrolledToken(opts: EnrolledTokenOptions): Promise<string | undefined> {
  try {
    const kept = (await readFile(opts.tokenFile, 'utf8')).trim();
    if (kept.startsWith('nia_')) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new EnrollmentError(`cannot read ${opts.tokenFile}: ${(err as NodeJS.ErrnoException).code}`);
  }
  for (;;) {
    const r = await enroll(opts.collector, opts.secret, opts.deviceId, opts.signal);
    if (r.ok) {
      await mkdir(dirname(opts.tokenFile), { recursive: true, mode: 0o700 });
      const tmp = `${opts.tokenFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${r.token}\n`, { mode: 0o600 });
      await rename(tmp, opts.tokenFile);
      process.stderr.write(`agent: enrolled; the agent token is kept in ${opts.tokenFile}\n`);
      return r.token;
    }
    if (r.kind === 'refused' || opts.once) throw new EnrollmentError(r.message);
    if (opts.signal.aborted) return undefined;
    process.stderr.write(`agent: ${r.message}; trying again in ${(opts.retryMs ?? RETRY_MS) / 1000} s\n`);
    await sleep(opts.retryMs ?? RETRY_MS, opts.signal);
    if (opts.signal.aborted) return undefined;
  }
}
