/**
 * The measurement traffic budget over a simulated day of one office: 50
 * devices, each running every 15 minutes (±10 % jitter), at the shipped
 * defaults (throughput up to 8 MiB in 3 s, Teams media 2.5 s, WebSocket hold
 * 5 s, the endpoint sweep of the shipped catalog once a day per device; 24
 * samples a day from ≥ 2 devices; 25 MB a day per agent).
 *
 * - What each check costs is measured, not assumed: real probe runs against
 *   the lab on loopback with those lengths, bytes counted at the sockets
 *   (the report's `traffic`), median of the runs.
 * - The day is then played in simulated time through the real planner
 *   (agents/measurement-planner.ts on a SQLite store) and each device's real
 *   TrafficBudget (its state file, its cap), charging every run with the
 *   measured bytes of the checks it ran.
 * - The baseline is the same day without a plan: every run runs every check,
 *   as agents did before the budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '@netinsights/lab';
import { nextDelayMs, runProbe } from '@netinsights/probe';
import {
  BYTES_PER_MB,
  DEFAULT_TRAFFIC_BUDGET,
  HEAVY_CHECKS,
  heavyCheck,
  loadProfile,
  type ServiceProfile,
} from '@netinsights/protocol';
import { SNAPSHOT_DOCUMENT } from '@netinsights/protocol/catalog/snapshot.ts';
import { planSweep } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import { TrafficBudget } from '../packages/probe/src/agent/traffic-budget.ts';
import { CHECKS } from '../packages/probe/src/checks/index.ts';
import { planHeavyChecks } from '../packages/server/src/agents/measurement-planner.ts';
import { openSqliteStore } from '../packages/server/src/store/sqlite/index.ts';
import type { BenchFigure } from './bench-figure.ts';

const DEVICES = 50;
const INTERVAL_SECONDS = 900;
const PROBE_RUNS = 3;
const DAY_START = Date.parse('2026-12-04T00:00:00Z');
const DAY_MS = 86_400_000;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** A seeded generator (mulberry32), so every bench run plays the same day. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes per registered check of one run, median over real lab runs at the shipped lengths. */
async function measureChecks(): Promise<{
  perCheck: Map<string, number>;
  profile: ServiceProfile;
  sweepHosts: number;
}> {
  const lab = await startLab();
  try {
    const shipped = loadProfile('m365');
    const profile: ServiceProfile = {
      ...lab.profile,
      websocket: { ...lab.profile.websocket, holdSeconds: shipped.websocket.holdSeconds },
      throughput: {
        ...lab.profile.throughput,
        maxBytes: shipped.throughput.maxBytes,
        maxSeconds: shipped.throughput.maxSeconds,
      },
      ...(lab.profile.teamsMedia && shipped.teamsMedia
        ? {
            teamsMedia: {
              ...lab.profile.teamsMedia,
              durationSeconds: shipped.teamsMedia.durationSeconds,
              intervalMs: shipped.teamsMedia.intervalMs,
            },
          }
        : {}),
    };
    const samples = new Map<string, number[]>();
    for (let i = 0; i < PROBE_RUNS; i++) {
      // With the sweep of the shipped snapshot (the lab answers every one of its hosts).
      const report = await runProbe(
        lab.probeOptionsFor('healthy-direct', { profile, deadlineMs: 30_000, sweep: {} }),
      );
      for (const t of report.traffic ?? [])
        samples.set(t.check, [...(samples.get(t.check) ?? []), t.sentBytes + t.receivedBytes]);
    }
    const sweepHosts = planSweep(SNAPSHOT_DOCUMENT, profile.sweep?.representativeHosts ?? {}).targets.length;
    return { perCheck: new Map([...samples].map(([k, v]) => [k, median(v)])), profile, sweepHosts };
  } finally {
    await lab.close();
  }
}

interface DayResult {
  bytesPerDevice: number[];
  samples: Map<string, number>;
  devicesPerCheck: Map<string, number>;
  runs: number;
  capped: number;
  planMs: number[];
}

/** The run times of every device over one day: a random start in the first interval, then jittered waits. */
function schedule(random: () => number): { device: number; at: number }[] {
  const runs: { device: number; at: number }[] = [];
  for (let d = 0; d < DEVICES; d++)
    for (let t = DAY_START + random() * INTERVAL_SECONDS * 1000; t < DAY_START + DAY_MS; ) {
      runs.push({ device: d, at: t });
      t += nextDelayMs(INTERVAL_SECONDS, random);
    }
  return runs.sort((a, b) => a.at - b.at);
}

async function playDay(
  perCheck: Map<string, number>,
  profile: ServiceProfile,
  sweepHosts: number,
  planned: boolean,
  dir: string,
): Promise<DayResult> {
  const store = await openSqliteStore({ file: join(dir, `plan-${planned}.db`) });
  await store.migrate();
  await store.tenants.create({ id: 'bench', name: 'Bench', createdAt: new Date(DAY_START).toISOString() });
  // The sweep runs from ProbeOptions.sweep, after the registry's checks: the agent registers it too.
  const registered = new Set([...CHECKS.map((c) => c.name), 'sweep']);
  const heavy = new Set(HEAVY_CHECKS.map((h) => h.name));
  const budgets = Array.from(
    { length: DEVICES },
    (_, d) => new TrafficBudget(join(dir, `budget-${planned}-${d}.json`)),
  );
  const cap = DEFAULT_TRAFFIC_BUDGET.maxDailyMegabytes * BYTES_PER_MB;
  const result: DayResult = {
    bytesPerDevice: Array(DEVICES).fill(0),
    samples: new Map(),
    devicesPerCheck: new Map(),
    runs: 0,
    capped: 0,
    planMs: [],
  };
  const contributors = new Map<string, Set<number>>();
  try {
    for (const { device, at } of schedule(seeded(14))) {
      const now = new Date(at);
      result.runs++;
      let notRun = new Map<string, string>();
      if (planned) {
        const budget = budgets[device] as TrafficBudget;
        const t0 = performance.now();
        const plan = await planHeavyChecks(store, {
          tenantId: 'bench',
          unit: 'office:bench',
          deviceId: `device:${device}`,
          now,
          profile,
          budget: DEFAULT_TRAFFIC_BUDGET,
          intervalSeconds: INTERVAL_SECONDS,
          trafficLeftBytes: await budget.left(now, cap),
          sweepHosts,
        });
        result.planMs.push(performance.now() - t0);
        const grants = new Map(
          Object.entries(plan.heavyChecks).map(([k, g]) => [k, g.run ? (true as const) : (g.why ?? 'no')]),
        );
        const allowance = await budget.allow(now, cap, profile, grants, registered, { sweepHosts });
        if (!allowance.run) {
          result.capped++;
          continue;
        }
        notRun = allowance.notPlanned;
      }
      const traffic = [...perCheck]
        .filter(([check]) => !notRun.has(check))
        .map(([check, bytes]) => ({ check, sentBytes: 0, receivedBytes: bytes }));
      if (planned)
        await (budgets[device] as TrafficBudget).charge(
          now,
          traffic,
          traffic.some((t) => t.check === 'sweep') ? sweepHosts : 0,
        );
      for (const t of traffic) {
        result.bytesPerDevice[device] = (result.bytesPerDevice[device] ?? 0) + t.receivedBytes;
        if (heavy.has(t.check)) {
          result.samples.set(t.check, (result.samples.get(t.check) ?? 0) + 1);
          contributors.set(t.check, (contributors.get(t.check) ?? new Set()).add(device));
        }
      }
    }
  } finally {
    await store.close();
  }
  for (const [check, set] of contributors) result.devicesPerCheck.set(check, set.size);
  return result;
}

export default async function trafficBudgetBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-budget-bench-'));
  try {
    const { perCheck, profile, sweepHosts } = await measureChecks();
    const unplanned = await playDay(perCheck, profile, sweepHosts, false, dir);
    const planned = await playDay(perCheck, profile, sweepHosts, true, dir);
    const mb = (b: number) => b / BYTES_PER_MB;
    const worst = Math.max(...planned.bytesPerDevice);
    const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const costs = [...perCheck].map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} kB`).join(', ');
    const figures: BenchFigure[] = [
      {
        name: `bytes per device per day, ${DEVICES}-device office, every ${INTERVAL_SECONDS / 60} min (worst device)`,
        value: mb(worst),
        unit: 'MB',
        target: '≤ 25',
        pass: worst <= 25 * BYTES_PER_MB,
        baseline: {
          name: 'unplanned (every run runs every check)',
          value: mb(Math.max(...unplanned.bytesPerDevice)),
          unit: 'MB',
        },
        note: `mean ${mb(meanOf(planned.bytesPerDevice)).toFixed(1)} MB; ${planned.runs} runs, ${planned.capped} not started (cap); one run measured: ${costs}`,
      },
    ];
    for (const check of ['throughput', 'teams-media']) {
      const n = planned.samples.get(check) ?? 0;
      figures.push({
        name: `${check} samples per office per day`,
        value: n,
        unit: 'samples',
        target: '≥ 24 from ≥ 2 devices',
        pass: n >= 24 && (planned.devicesPerCheck.get(check) ?? 0) >= 2,
        baseline: { name: 'unplanned', value: unplanned.samples.get(check) ?? 0, unit: 'samples' },
        note: `from ${planned.devicesPerCheck.get(check) ?? 0} devices`,
      });
    }
    // The sweep, planned once a day per device: its share of each device's day, beside every run sweeping.
    const sweepBytes = perCheck.get('sweep') ?? 0;
    const sweeps = planned.samples.get('sweep') ?? 0;
    const unplannedSweeps = unplanned.samples.get('sweep') ?? 0;
    figures.push({
      name: `endpoint sweep bytes per device per day (${sweepHosts} hosts, once a day per device)`,
      value: mb((sweeps / DEVICES) * sweepBytes),
      unit: 'MB',
      target: '1 sweep a day per device',
      pass: sweeps === DEVICES && (planned.devicesPerCheck.get('sweep') ?? 0) === DEVICES,
      baseline: {
        name: 'unplanned (every run sweeps)',
        value: mb((unplannedSweeps / DEVICES) * sweepBytes),
        unit: 'MB',
      },
      note: `${sweeps} sweeps by ${planned.devicesPerCheck.get('sweep') ?? 0} devices (unplanned: ${unplannedSweeps}); one sweep ${(sweepBytes / 1000).toFixed(0)} kB measured on the lab, ${(sweepBytes / sweepHosts / 1000).toFixed(1)} kB a host; reserved at ${((heavyCheck('sweep')?.worstCaseBytes(profile, { sweepHosts }) ?? 0) / BYTES_PER_MB).toFixed(1)} MB`,
    });
    figures.push({
      name: 'plan for one run (config fetch share), SQLite',
      value: median(planned.planMs),
      unit: 'ms',
      note: `median of ${planned.planMs.length}; p99 ${[...planned.planMs].sort((a, b) => a - b)[Math.floor(planned.planMs.length * 0.99)]?.toFixed(2)} ms`,
    });
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
