/**
 * @module agent/traffic-budget
 * The agent's own daily cap on measurement traffic (default 25 MB, sent and
 * received together; `--max-daily-mb` and the organisation's policy, the
 * lower wins). The day is the UTC day, as the collector's plan counts it.
 *
 * Before a run the agent reserves what it may cost: the light checks as the
 * most they cost in one run so far, doubled (1 MB until measured), and each
 * heavy check the plan granted at its worst case from the profile
 * (protocol measurement-plan.ts) — the sweep's from the hosts of the
 * catalog it will sweep, each at the larger of the protocol's allowance and
 * the most one host has cost this agent so far. A check whose reservation does not fit
 * under the cap is not run; a run whose light checks do not fit is not
 * started. After the run what the report's `traffic` counted is charged.
 * The state (`traffic-budget.json` in the state folder, written atomically)
 * outlives a restart, so stopping and starting the agent frees nothing.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  BYTES_PER_MB,
  type CheckTraffic,
  DEFAULT_MAX_DAILY_MB,
  HEAVY_CHECKS,
  type HeavyCheckSizing,
  type ServiceProfile,
  utcDay,
} from '@netinsights/protocol';

/** Reserved for the light checks until one run has been measured. */
export const FIRST_LIGHT_RESERVE_BYTES = 1 * BYTES_PER_MB;

interface BudgetState {
  day: string;
  usedBytes: number;
  /** The most the light (not heavy) checks cost in one run, across days. */
  lightRunMaxBytes: number;
  /** The most one swept host has cost (sweep bytes / hosts of a sweep), across days; absent until a sweep. */
  sweepHostMaxBytes?: number;
}

/** What one run may do. */
export interface RunAllowance {
  /** False: even the light checks do not fit today; the run is not started. */
  run: boolean;
  /** Heavy checks not to run, each with why (for ProbeOptions.notPlanned). */
  notPlanned: Map<string, string>;
  usedBytes: number;
  capBytes: number;
}

/** `<state dir>/traffic-budget.json`, beside the spool. */
export function defaultBudgetFile(spoolDir: string): string {
  return join(dirname(spoolDir), 'traffic-budget.json');
}

/** The cap in force: the lower of the agent's flag and the collector's policy, else the default. */
export function effectiveCapBytes(flagMb: number | undefined, policyBytes: number | undefined): number {
  const flag = flagMb === undefined ? Number.POSITIVE_INFINITY : flagMb * BYTES_PER_MB;
  const policy = policyBytes ?? Number.POSITIVE_INFINITY;
  const cap = Math.min(flag, policy);
  return Number.isFinite(cap) ? cap : DEFAULT_MAX_DAILY_MB * BYTES_PER_MB;
}

const isHeavy = (check: string) => HEAVY_CHECKS.some((h) => h.name === check);
const mb = (bytes: number) => `${Math.round((bytes / BYTES_PER_MB) * 10) / 10} MB`;

export class TrafficBudget {
  readonly file: string;
  /** Why the last charge could not be written to disk, if it could not. */
  problem: string | undefined;
  #state: BudgetState | undefined;

  constructor(file: string) {
    this.file = file;
  }

  async #load(now: Date): Promise<BudgetState> {
    if (!this.#state) {
      let state: BudgetState = { day: utcDay(now), usedBytes: 0, lightRunMaxBytes: 0 };
      try {
        const v = JSON.parse(await readFile(this.file, 'utf8')) as Partial<BudgetState>;
        if (
          typeof v.day === 'string' &&
          Number.isSafeInteger(v.usedBytes) &&
          (v.usedBytes as number) >= 0 &&
          Number.isSafeInteger(v.lightRunMaxBytes) &&
          (v.lightRunMaxBytes as number) >= 0 &&
          (v.sweepHostMaxBytes === undefined ||
            (Number.isSafeInteger(v.sweepHostMaxBytes) && v.sweepHostMaxBytes >= 0))
        )
          state = v as BudgetState;
        else state.usedBytes = Number.MAX_SAFE_INTEGER;
      } catch (err) {
        // No file yet: nothing used. A damaged file: today counts as spent (never more than the cap).
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') state.usedBytes = Number.MAX_SAFE_INTEGER;
      }
      this.#state = state;
    }
    if (this.#state.day !== utcDay(now)) this.#state = { ...this.#state, day: utcDay(now), usedBytes: 0 };
    return this.#state;
  }

  /** Bytes left today under `capBytes`. */
  async left(now: Date, capBytes: number): Promise<number> {
    return Math.max(0, capBytes - (await this.#load(now)).usedBytes);
  }

  /**
   * What this run may do: `granted` maps each heavy check to true or why
   * not (undefined: the collector sent no plan, so every heavy check is
   * allowed); `registered` are the probe's own check names; `sizing`
   * what the sweep's worst case depends on (its catalog's host count).
   */
  async allow(
    now: Date,
    capBytes: number,
    profile: ServiceProfile,
    granted: ReadonlyMap<string, string | true> | undefined,
    registered: ReadonlySet<string>,
    sizing: HeavyCheckSizing = {},
  ): Promise<RunAllowance> {
    const state = await this.#load(now);
    const light = state.lightRunMaxBytes > 0 ? 2 * state.lightRunMaxBytes : FIRST_LIGHT_RESERVE_BYTES;
    const notPlanned = new Map<string, string>();
    const base = { usedBytes: state.usedBytes, capBytes };
    if (state.usedBytes + light > capBytes) {
      for (const h of HEAVY_CHECKS) notPlanned.set(h.name, 'the daily traffic cap is reached');
      return { run: false, notPlanned, ...base };
    }
    let reserved = state.usedBytes + light;
    // Only checks this probe has (the plan may name one a newer probe runs: nothing to reserve).
    for (const h of HEAVY_CHECKS.filter((c) => registered.has(c.name))) {
      const grant = granted ? granted.get(h.name) : true;
      if (grant !== true) {
        notPlanned.set(h.name, grant ?? "the collector's measurement plan did not grant it this run");
        continue;
      }
      const worst = h.worstCaseBytes(profile, {
        ...sizing,
        ...(state.sweepHostMaxBytes !== undefined ? { sweepHostBytes: state.sweepHostMaxBytes } : {}),
      });
      if (reserved + worst > capBytes)
        notPlanned.set(
          h.name,
          `the agent's daily traffic cap (${mb(capBytes)}, UTC day) has ${mb(capBytes - reserved)} left after the other checks, and one run may take ${mb(worst)}`,
        );
      else reserved += worst;
    }
    return { run: true, notPlanned, ...base };
  }

  /** Charges what a run's report counted (`sweptHosts`: hosts its sweep listed); returns the day's total. */
  async charge(now: Date, traffic: readonly CheckTraffic[], sweptHosts = 0): Promise<number> {
    const state = await this.#load(now);
    let light = 0;
    let all = 0;
    for (const t of traffic) {
      const bytes = t.sentBytes + t.receivedBytes;
      all += bytes;
      if (!isHeavy(t.check)) light += bytes;
    }
    const swept = traffic.find((t) => t.check === 'sweep');
    const perHost =
      swept && sweptHosts > 0 ? Math.ceil((swept.sentBytes + swept.receivedBytes) / sweptHosts) : 0;
    const sweepHostMaxBytes = Math.max(state.sweepHostMaxBytes ?? 0, perHost);
    this.#state = {
      day: state.day,
      usedBytes: state.usedBytes + all,
      lightRunMaxBytes: Math.max(state.lightRunMaxBytes, light),
      ...(sweepHostMaxBytes > 0 ? { sweepHostMaxBytes } : {}),
    };
    try {
      await this.#save();
      this.problem = undefined;
    } catch (err) {
      // Counted in memory all the same (this process never passes the cap); said in the run's log.
      this.problem = `cannot keep the day's traffic in ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    }
    return this.#state.usedBytes;
  }

  async #save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.#state), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
