/**
 * @module agent/run-agent
 * The probe as a long-running agent: before each run it takes its settings
 * from the collector (else the last good ones, in memory or on disk, else
 * the shipped profile), runs the probe, delivers the report (the spool
 * first, under the original ids), logs one record, and sleeps a jittered
 * interval. When the collector's plan grants the endpoint sweep, the run
 * sweeps the collector's catalog (else the last one kept on disk, else the
 * shipped snapshot), its worst case reserved from the daily cap by the
 * catalog's host count. Runs never overlap (one loop, awaited); an abort stops the run
 * in flight and the loop. Nothing of a run is kept after its record is
 * logged, so memory stays flat however long the agent runs. The probe
 * itself runs where `runProbe` says (see probe-runner: the CLI runs each in
 * a child process).
 */
import { DEFAULT_INTERVAL_SECONDS, HEAVY_CHECKS, type ProbeReport } from '@netinsights/protocol';
import { SNAPSHOT_DOCUMENT } from '@netinsights/protocol/catalog/snapshot.ts';
import { planSweep } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import { CHECKS } from '../checks/index.ts';
import type { ProbeOptions, SweepCatalog } from '../probe-options.ts';
import { diagnose } from '../report/findings.ts';
import { SWEEP_CHECK } from '../run-probe.ts';
import { errorText } from '../step.ts';
import { type CollectorOptions, collectorEndpoint } from '../upload/collector-client.ts';
import { type Delivery, deliver } from '../upload/deliver.ts';
import { Spool } from '../upload/spool.ts';
import type { AgentRunRecord } from './agent-log.ts';
import { type AgentSettings, type SettingsSource, shippedSettings } from './agent-settings.ts';
import { CatalogCache, defaultCatalogCacheFile } from './catalog-cache.ts';
import { fetchAgentCatalog } from './catalog-client.ts';
import { ConfigCache, defaultConfigCacheFile } from './config-cache.ts';
import { fetchAgentSettings } from './config-client.ts';
import { withIdentity } from './device-identity.ts';
import { inlineProbeRunner, type ProbeRunner } from './probe-runner.ts';
import { nextDelayMs, sleep } from './schedule.ts';
import { defaultBudgetFile, effectiveCapBytes, TrafficBudget } from './traffic-budget.ts';

/** Reports kept in memory when the spool cannot take them: a day at the default 15 minutes. */
export const MAX_HELD_IN_MEMORY = 96;

/** How an agent runs; the CLI builds this from its flags, tests from the lab. */
export interface AgentOptions {
  collector: CollectorOptions;
  spoolDir: string;
  /** How many reports the spool keeps (default MAX_SPOOLED, about a week). */
  spoolMax?: number;
  /** Where the last good settings are kept (default: `agent-config.json` beside the spool). */
  configCacheFile?: string;
  /** Where the last catalog the collector gave for the sweep is kept (default: `agent-catalog.json` beside the spool). */
  catalogCacheFile?: string;
  deviceId?: string;
  officeId?: string;
  /** Seconds between runs, overriding the collector's (0: back to back, for tests). */
  intervalSeconds?: number;
  /** Stop after this many runs (`--once` is 1); default: until aborted. */
  maxRuns?: number;
  /**
   * Turns the settings of a run into probe options. Default: the settings'
   * profile and WebSocket hold, with the machine's own network. Tests use
   * the lab's options here. Office and device id are added by the agent.
   */
  probeOptions?: (settings: AgentSettings) => Omit<ProbeOptions, 'signal'>;
  /**
   * Receives one record per run. A returned promise is awaited before the
   * wait for the next run (a slow log sink delays runs, never overlaps them).
   */
  log: (record: AgentRunRecord) => void | Promise<void>;
  /**
   * Where each probe runs: default in this process; `netinsights agent`
   * gives `childProbeRunner()`, a fresh child process per run, so the
   * agent's memory between runs is only the loop's.
   */
  runProbe?: ProbeRunner;
  /** Aborting stops the run in flight (its partial report is not uploaded) and the agent. */
  signal: AbortSignal;
  /** For the jitter; default Math.random. */
  random?: () => number;
  /** `--max-daily-mb`: this agent's own daily traffic cap; the lower of it and the organisation's wins. */
  maxDailyMegabytes?: number;
  /** Where the day's traffic is kept (default: `traffic-budget.json` beside the spool). */
  budgetFile?: string;
  /** The clock of the daily cap (tests step it through days); default the system clock. */
  now?: () => Date;
}

export interface AgentSummary {
  runs: number;
  /** True when the agent stopped because of the signal. */
  aborted: boolean;
}

/** Reads a Delivery into the record's upload summary. */
function summariseDelivery(d: Delivery): NonNullable<AgentRunRecord['upload']> {
  let sent = 0;
  let duplicates = 0;
  let fromSpool = 0;
  let dropped = 0;
  let failure: string | undefined;
  for (const line of d.lines) {
    if (line.result.ok) {
      sent++;
      if (line.result.duplicate) duplicates++;
      if (line.spooled) fromSpool++;
    } else if (!line.result.retryable) dropped++;
    else failure ??= line.result.message;
  }
  return {
    sent,
    duplicates,
    fromSpool,
    dropped,
    waiting: d.waiting,
    ...(failure ? { failure } : {}),
    ...(d.held.length ? { heldInMemory: d.held.length } : {}),
    ...(d.spoolError ? { spoolError: d.spoolError } : {}),
    ...(d.droppedOldest.length ? { droppedOldest: d.droppedOldest.length } : {}),
  };
}

/**
 * Runs the agent loop until `maxRuns` or the signal. Throws only before the
 * first run, for a collector URL the token may not be sent to (plain http to
 * a non-loopback host); a run's trouble is logged, never thrown.
 */
export async function runAgent(opts: AgentOptions): Promise<AgentSummary> {
  const { signal } = opts;
  const runProbe = opts.runProbe ?? inlineProbeRunner;
  collectorEndpoint(opts.collector.url);
  const spool = new Spool(opts.spoolDir, opts.spoolMax);
  const cache = new ConfigCache(opts.configCacheFile ?? defaultConfigCacheFile(opts.spoolDir));
  const toProbeOptions =
    opts.probeOptions ??
    ((s: AgentSettings): Omit<ProbeOptions, 'signal'> => ({
      profile: s.profile,
      wsHoldSeconds: s.wsHoldSeconds,
    }));
  let lastGood: { settings: AgentSettings; source: SettingsSource } | undefined;
  // Reports neither uploaded nor taken by the spool (a full disk): sent or spooled at a later run.
  let held: ProbeReport[] = [];
  let runs = 0;
  const budget = new TrafficBudget(opts.budgetFile ?? defaultBudgetFile(opts.spoolDir));
  const now = opts.now ?? (() => new Date());
  // The sweep is not in CHECKS (it runs after them, from ProbeOptions.sweep) but is this probe's too.
  const registered = new Set([...CHECKS.map((c) => c.name), SWEEP_CHECK]);
  const catalogCache = new CatalogCache(opts.catalogCacheFile ?? defaultCatalogCacheFile(opts.spoolDir));
  /** The organisation's cap as the last plan said it (the plan itself is good for one run only). */
  let policyCapBytes: number | undefined;
  const capBytes = () => effectiveCapBytes(opts.maxDailyMegabytes, policyCapBytes);

  /** The heavy checks the collector granted for this run: name → true or why not; undefined: it does not plan. */
  function grantsOf(settings: AgentSettings, source: SettingsSource): Map<string, string | true> | undefined {
    if (source !== 'collector')
      return new Map(
        HEAVY_CHECKS.map((h) => [h.name, 'no measurement plan this run: the collector could not be asked']),
      );
    // An older collector plans nothing: the office checks are left to the cap, but a check planned per
    // device (the sweep, once a day) would run every interval, so it waits for a plan.
    if (!settings.plan)
      return new Map(
        HEAVY_CHECKS.map((h) => [
          h.name,
          h.quota.per === 'device'
            ? 'the collector sends no measurement plan, and this check runs only when planned'
            : true,
        ]),
      );
    return new Map(
      Object.entries(settings.plan.heavyChecks).map(([name, g]) => [
        name,
        g.run ? true : (g.why ?? "the collector's measurement plan did not grant it this run"),
      ]),
    );
  }

  /** The catalog to sweep: the collector's now (kept on disk), else the one kept, else the shipped snapshot. */
  async function catalogForSweep(): Promise<{
    catalog: SweepCatalog;
    from: NonNullable<AgentRunRecord['sweep']>['catalog'];
    problem?: string;
  }> {
    const fetched = await fetchAgentCatalog(opts.collector, signal);
    if (fetched.ok) {
      try {
        await catalogCache.save(fetched.catalog);
        return { catalog: fetched.catalog, from: 'collector' };
      } catch (err) {
        const problem = `cannot keep it in ${catalogCache.file}: ${errorText(err)}`;
        return { catalog: fetched.catalog, from: 'collector', problem };
      }
    }
    const cached = await catalogCache.load();
    if (cached.catalog) return { catalog: cached.catalog, from: 'disk-cache', problem: fetched.message };
    return {
      catalog: { source: 'snapshot', document: SNAPSHOT_DOCUMENT },
      from: 'snapshot',
      problem: cached.problem ? `${fetched.message}; ${cached.problem}` : fetched.message,
    };
  }

  /** The settings for this run, and why the collector's were not used if they were not. */
  async function settingsForRun(): Promise<{
    settings: AgentSettings;
    source: SettingsSource;
    configError?: AgentRunRecord['configError'];
  }> {
    const fetched = await fetchAgentSettings(opts.collector, signal, opts.deviceId, {
      ...(opts.officeId !== undefined ? { officeId: opts.officeId } : {}),
      trafficLeftBytes: await budget.left(now(), capBytes()),
    });
    if (fetched.ok) {
      if (fetched.settings.plan) policyCapBytes = fetched.settings.plan.maxDailyBytes;
      lastGood = { settings: fetched.settings, source: 'memory' };
      try {
        await cache.save(fetched.settings);
      } catch (err) {
        return {
          settings: fetched.settings,
          source: 'collector',
          configError: { failure: 'cache', message: `cannot keep it in ${cache.file}: ${errorText(err)}` },
        };
      }
      return { settings: fetched.settings, source: 'collector' };
    }
    const configError = { failure: fetched.failure, message: fetched.message };
    if (lastGood) return { ...lastGood, configError };
    const cached = await cache.load();
    if (cached.settings) {
      lastGood = { settings: cached.settings, source: 'disk-cache' };
      return { ...lastGood, configError };
    }
    const message = cached.problem ? `${fetched.message}; ${cached.problem}` : fetched.message;
    return { settings: shippedSettings(), source: 'shipped', configError: { ...configError, message } };
  }

  async function oneRun(): Promise<AgentRunRecord> {
    const started = performance.now();
    const run = ++runs;
    let record: Omit<AgentRunRecord, 'at' | 'durationMs'> | undefined;
    try {
      const { settings, source, configError } = await settingsForRun();
      record = {
        run,
        outcome: 'done',
        settings: {
          source,
          profile: settings.profile.id,
          version: settings.profile.version,
          intervalSeconds: opts.intervalSeconds ?? settings.intervalSeconds,
        },
        ...(configError ? { configError } : {}),
      };
      if (signal.aborted) return finish({ ...record, outcome: 'aborted' }, started);
      const probeOptions = toProbeOptions(settings);
      const grants = grantsOf(settings, source);
      // The catalog is fetched only for a granted sweep: its host count sizes the sweep's reservation.
      const forSweep = grants?.get(SWEEP_CHECK) === true ? await catalogForSweep() : undefined;
      const sweepHosts = forSweep
        ? planSweep(forSweep.catalog.document, probeOptions.profile.sweep?.representativeHosts ?? {}).targets
            .length
        : undefined;
      // The daily cap: what this run may cost decides what it runs (agent/traffic-budget.ts).
      const allowance = await budget.allow(
        now(),
        capBytes(),
        settings.profile,
        grants,
        registered,
        sweepHosts !== undefined ? { sweepHosts } : {},
      );
      const sweeping = forSweep !== undefined && !allowance.notPlanned.has(SWEEP_CHECK);
      const traffic = {
        runBytes: 0,
        usedTodayBytes: allowance.usedBytes,
        capBytes: allowance.capBytes,
        notRun: Object.fromEntries(allowance.notPlanned),
      };
      if (!allowance.run) return finish({ ...record, outcome: 'capped', traffic }, started);
      const probed = await runProbe({
        ...probeOptions,
        ...(sweeping
          ? { sweep: { ...probeOptions.sweep, catalog: forSweep.catalog } }
          : { sweep: undefined }),
        ...(opts.officeId !== undefined ? { officeId: opts.officeId } : {}),
        ...(opts.deviceId !== undefined ? { deviceId: opts.deviceId } : {}),
        notPlanned: allowance.notPlanned,
        trafficLimitBytes: Math.max(0, allowance.capBytes - allowance.usedBytes),
        signal,
      }).catch((err: unknown) => {
        // A child runner rejects when stopped: that is an aborted run, not a failure.
        if (signal.aborted) return undefined;
        throw err;
      });
      // Charged whatever happens next: the bytes crossed the network even if the report is not sent.
      const spent = (probed?.traffic ?? []).reduce((n, t) => n + t.sentBytes + t.receivedBytes, 0);
      record.traffic = {
        ...traffic,
        runBytes: spent,
        usedTodayBytes: await budget.charge(
          now(),
          probed?.traffic ?? [],
          // Hosts dialled: a line the deadline or the cap cut off before dialling cost nothing.
          probed?.sweep?.hosts.filter((h) => !h.code.startsWith('probe/')).length ?? 0,
        ),
      };
      if (sweeping && probed?.sweep)
        record.sweep = {
          catalog: forSweep.from,
          ...(forSweep.problem ? { catalogProblem: forSweep.problem } : {}),
          hosts: probed.sweep.hosts.length,
          failing: probed.sweep.hosts.filter((h) => h.code !== 'ok').length,
        };
      if (budget.problem) record.error = budget.problem;
      // A run cut short by the signal measured nothing true: its report is not sent.
      if (signal.aborted || probed === undefined) return finish({ ...record, outcome: 'aborted' }, started);
      // Hostname and OS user only where the organisation's policy asks for them.
      const report = withIdentity(probed, settings.reportIdentity);
      const d = diagnose(report);
      record.report = {
        reportId: report.reportId,
        healthy: d.healthy,
        // A heavy check the plan left out was not run: not counted among the checks.
        checks: d.checks - d.notPlanned,
        passed: d.passed,
        headline: d.headline,
      };
      const delivering = deliver(report, opts.collector, spool, held);
      // The listener goes when the race is over: one left per run would pile up on a long-lived signal.
      let onAbort = () => {};
      const stopped = new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        signal.addEventListener('abort', onAbort, { once: true });
      });
      const delivered = await Promise.race([delivering, stopped]).finally(() =>
        signal.removeEventListener('abort', onAbort),
      );
      if (delivered === 'aborted') {
        // Stopping mid-upload: keep the report for the next start. If the upload did land, the
        // collector stores the re-sent copy once (same report id).
        delivering.catch(() => {});
        await spool.put(report);
        return finish({ ...record, outcome: 'aborted' }, started);
      }
      // Bounded like the spool: past that, the oldest go (said in the record as dropped).
      const overflow = Math.max(0, delivered.held.length - MAX_HELD_IN_MEMORY);
      held = delivered.held.slice(overflow);
      record.upload = summariseDelivery({ ...delivered, held });
      if (overflow) record.upload.dropped += overflow;
    } catch (err) {
      // Whatever broke (a full disk under the spool, a probe bug), the record says so and the agent goes on.
      return finish(
        {
          ...(record ?? {
            run,
            settings: {
              source: lastGood?.source ?? 'shipped',
              profile: lastGood?.settings.profile.id ?? '-',
              version: lastGood?.settings.profile.version ?? '-',
              intervalSeconds:
                opts.intervalSeconds ?? lastGood?.settings.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
            },
          }),
          outcome: signal.aborted ? 'aborted' : 'failed',
          error: errorText(err),
        },
        started,
      );
    }
    return finish(record, started);
  }

  function finish(record: Omit<AgentRunRecord, 'at' | 'durationMs'>, started: number): AgentRunRecord {
    return {
      ...record,
      at: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
    };
  }

  while (!signal.aborted && (opts.maxRuns === undefined || runs < opts.maxRuns)) {
    const record = await oneRun();
    const last = signal.aborted || (opts.maxRuns !== undefined && runs >= opts.maxRuns);
    const delay = last ? undefined : nextDelayMs(record.settings.intervalSeconds, opts.random);
    try {
      await opts.log(delay === undefined ? record : { ...record, nextRunInMs: delay });
    } catch {
      // A broken log sink (closed pipe) must not stop the measurements.
    }
    if (delay !== undefined) await sleep(delay, signal);
  }
  return { runs, aborted: signal.aborted };
}
