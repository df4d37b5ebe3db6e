/**
 * @module run-probe
 * One probe run, a plan-and-run loop over the registered checks
 * (checks/index.ts): decide the route of every endpoint they dial, plan
 * every check's slots (so that the deadline can account for each), run all
 * tasks concurrently — each phase with its own deadline, the whole run with
 * an overall one — and assemble the ProbeReport. Checks cut off by the run
 * deadline end as `probe/deadline`; the run never waits past its deadline
 * plus a short grace.
 */
import type { CheckResult, ProbeReport, SweepReport } from '@netinsights/protocol';
import { fail, isTenantName, NetinsightsError, newReportId, tenantNameProblem } from '@netinsights/protocol';
import pkg from '../package.json' with { type: 'json' };
import { begin, type Emit } from './checks/check-result.ts';
import type { Endpoint } from './checks/contract.ts';
import { CHECKS } from './checks/index.ts';
import { type PlannedTask, planRun, runEndpoints } from './checks/plan.ts';
import type { ProbeContext } from './context.ts';
import { collectEnvironment } from './environment.ts';
import type { ProbeOptions } from './probe-options.ts';
import { errorText } from './step.ts';
import { runSweep } from './sweep/run-sweep.ts';
import { loadPac } from './transport/pac.ts';
import { PinError, parsePins } from './transport/pins.ts';
import { type ProxySettings, proxySettings, type Route, routeFor } from './transport/proxy-selection.ts';
import { DnsClient } from './transport/resolve.ts';
import { machine, systemProxySettings } from './transport/system-proxy/discover.ts';
import { TrafficMeter } from './transport/traffic-meter.ts';
import { createTrustStore } from './verdicts/trust-store.ts';

export const DEFAULT_DEADLINE_MS = 20_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;
/** After the run deadline, how long checks get to notice their aborted signal. */
const GRACE_MS = 300;
/** The endpoint sweep's name in the report's `traffic` and in the measurement plan (protocol HEAVY_CHECKS). */
export const SWEEP_CHECK = 'sweep';

function assertPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `${name} must be a positive number of milliseconds, got ${value}`,
    );
}

/** The route of every distinct `host:port`, decided concurrently (a PAC is evaluated per endpoint). */
async function decideRoutes(
  settings: ProxySettings,
  endpoints: readonly Endpoint[],
): Promise<Map<string, Route>> {
  const routes = new Map<string, Route>();
  const keys = [...new Set(endpoints.map((e) => `${e.host}:${e.port}`))];
  await Promise.all(
    keys.map(async (key) => {
      const colon = key.lastIndexOf(':');
      routes.set(key, await routeFor(settings, key.slice(0, colon), Number(key.slice(colon + 1))));
    }),
  );
  return routes;
}

/**
 * The proxy settings of the run: `--proxy URL`, `--pac`, `--proxy auto`
 * (the system's setting, or WPAD, with where it came from), else the
 * environment's HTTPS_PROXY.
 */
async function chooseProxy(
  options: ProbeOptions,
  env: Record<string, string | undefined>,
  dns: DnsClient,
  signal: AbortSignal,
): Promise<ProxySettings> {
  if (options.proxy !== 'auto') {
    const pac = options.pac ? await loadPac(options.pac) : undefined;
    return proxySettings({
      ...(options.proxy ? { proxy: options.proxy } : {}),
      ...(pac ? { pac } : {}),
      env,
    });
  }
  const lookup = async (host: string, port: number) => {
    const answer = await dns.resolve(host, port, signal);
    return answer.ok ? answer.addresses[0] : undefined;
  };
  return systemProxySettings({ ...machine(env, lookup), ...options.system?.discovery });
}

export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const startedAt = new Date();
  if (options.tenantName !== undefined && !isTenantName(options.tenantName))
    throw new NetinsightsError('NI_ERR_USAGE', tenantNameProblem('tenantName', options.tenantName));
  const profile =
    options.tenantName === undefined
      ? options.profile
      : { ...options.profile, tenantName: options.tenantName };
  assertPositive('deadlineMs', options.deadlineMs);
  assertPositive('checkTimeoutMs', options.checkTimeoutMs);
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const checkTimeoutMs = Math.min(options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, deadlineMs);
  let pins: ReturnType<typeof parsePins>;
  try {
    pins = parsePins(options.resolve);
  } catch (err) {
    if (err instanceof PinError) throw new NetinsightsError('NI_ERR_USAGE', err.message);
    throw err;
  }

  // The deadline clock starts now: loading a PAC file and deciding routes count too.
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const deadlineTimer = setTimeout(() => controller.abort(), deadlineMs);

  // What the run will touch: every check's endpoints, whose routes are decided before planning.
  const endpoints = runEndpoints(CHECKS, profile);
  const env = options.env ?? process.env;
  const dns = new DnsClient({
    ...(options.dnsServers ? { servers: options.dnsServers } : {}),
    ...(options.system?.lookup ? { osLookup: options.system.lookup } : {}),
    ...(options.system?.dnsServers ? { systemServers: options.system.dnsServers } : {}),
    pins,
    timeoutMs: checkTimeoutMs,
    runSignal: controller.signal,
  });
  let settings: ProxySettings;
  let routes: Map<string, Route>;
  try {
    settings = await chooseProxy(options, env, dns, controller.signal);
    if (options.proxyCredentials) settings = { ...settings, credentials: options.proxyCredentials };
    routes = await decideRoutes(settings, endpoints);
  } catch (err) {
    // A configuration error (proxy URL, PAC file) ends the run before any check.
    clearTimeout(deadlineTimer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    throw err;
  }

  const reportId = newReportId();
  // The zone lookup needs the key its name is made with; without one the check uses the whoami name.
  const resolverZone =
    options.resolverZone && options.resolverKey
      ? { zone: options.resolverZone.toLowerCase().replace(/\.$/, ''), key: options.resolverKey }
      : undefined;
  const ctx: ProbeContext = {
    profile,
    dns,
    pins,
    routes,
    trust: createTrustStore(options.extraTrustedCas, options.extraPublicCas),
    runSignal: controller.signal,
    checkTimeoutMs,
    wsHoldMs: Math.round((options.wsHoldSeconds ?? profile.websocket.holdSeconds) * 1000),
    reportId,
    ...(resolverZone ? { resolverZone } : {}),
  };

  const planned = planRun(CHECKS, profile, endpoints, routes, resolverZone?.zone);
  const { slots } = planned;
  // A check left out by the measurement plan keeps its slots (the report says it was not run and
  // why) but none of its tasks: it opens no socket and costs nothing.
  const notPlanned = options.notPlanned ?? new Map<string, string>();
  const tasks = planned.tasks.map((t): PlannedTask => {
    const why = notPlanned.get(t.check);
    if (why === undefined) return t;
    return {
      check: t.check,
      slots: t.slots,
      run: async (_ctx, emitResult) => {
        for (const s of t.slots) emitResult(begin(s)(fail('probe', 'not-planned', `not run: ${why}`)));
      },
    };
  });
  // One meter per check that runs, in registry order: the report's `traffic`.
  const meters = new Map<string, TrafficMeter>();
  for (const t of tasks)
    if (!notPlanned.has(t.check) && !meters.has(t.check)) meters.set(t.check, new TrafficMeter(t.check));
  // The sweep has a meter of its own (`sweep`, the heavy check the plan grants), read with the rest.
  const sweepOptions = options.sweep;
  const sweepMeter = sweepOptions ? new TrafficMeter(SWEEP_CHECK) : undefined;
  if (sweepMeter) meters.set(SWEEP_CHECK, sweepMeter);
  const results = new Map<string, CheckResult>();
  /** Set when the run passed `trafficLimitBytes` and was stopped. */
  let overLimit = false;
  let closed = false;
  const emit: Emit = (given) => {
    if (closed || results.has(given.id)) return;
    const s = slots.get(given.id);
    // A check that ends after the traffic limit stopped the run was cut short: its figures are not
    // a measurement (a download ends "early" and would read as slow).
    const result = overLimit && s ? begin(s)(fail('probe', 'deadline', overLimitMessage())) : given;
    results.set(result.id, result);
    options.onProgress?.({ checkId: result.id, kind: s?.kind ?? result.kind, state: 'finished', result });
  };
  const start = async (task: PlannedTask) => {
    for (const s of task.slots) options.onProgress?.({ checkId: s.id, kind: s.kind, state: 'started' });
    const meter = meters.get(task.check);
    try {
      await task.run(meter ? { ...ctx, traffic: meter } : ctx, emit);
    } catch (err) {
      // A bug in a check must not take the run down: it becomes that check's result.
      for (const s of task.slots)
        if (!results.has(s.id))
          emit(
            begin(s)(
              fail('probe', 'internal', `the probe failed while running this check: ${errorText(err)}`),
            ),
          );
    }
  };

  // Run: the idle phase, then everything else at once; the deadline (plus grace) bounds the wait.
  let graceTimer: NodeJS.Timeout | undefined;
  const cutOffAll = new Promise<void>((resolve) => {
    const onAbort = () => {
      graceTimer = setTimeout(resolve, GRACE_MS);
    };
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  // The cap's last line: the meters are read every 50 ms (reading them changes nothing on the
  // sockets) and the run is stopped once they pass the limit.
  const limit = options.trafficLimitBytes;
  const overLimitMessage = () =>
    `the run was stopped at its traffic limit (${limit} bytes, the daily cap) before this check finished`;
  const limitTimer =
    limit === undefined
      ? undefined
      : setInterval(() => {
          let n = 0;
          for (const m of meters.values()) n += m.sentBytes + m.receivedBytes;
          if (n >= limit) {
            overLimit = true;
            controller.abort();
          }
        }, 50);
  // Idle-phase tasks (idle latency) first and alone, so no other check loads the path they measure.
  const idle = tasks.filter((t) => t.phase === 'idle');
  const rest = tasks.filter((t) => t.phase !== 'idle');
  // The endpoint sweep runs last and alone, under the same deadline: its hundred handshakes
  // would otherwise load the path that throughput, latency and Teams media measure.
  let sweep: SweepReport | undefined;
  const sweepCtx: ProbeContext = sweepMeter ? { ...ctx, traffic: sweepMeter } : ctx;
  const all = Promise.allSettled(idle.map(start))
    .then(() => (controller.signal.aborted ? [] : Promise.allSettled(rest.map(start))))
    .then(async () => {
      if (sweepOptions && !controller.signal.aborted)
        sweep = await runSweep(sweepCtx, settings, sweepOptions);
    });
  await Promise.race([all, cutOffAll]);
  clearTimeout(deadlineTimer);
  clearTimeout(graceTimer);
  clearInterval(limitTimer);
  // Anything still running stops now (its sockets close through their signals).
  const outerAborted = options.signal?.aborted ?? false;
  controller.abort();
  options.signal?.removeEventListener('abort', onOuterAbort);
  for (const s of slots.values()) {
    if (!results.has(s.id))
      emit(
        begin(s)(
          fail(
            'probe',
            'deadline',
            overLimit
              ? overLimitMessage()
              : outerAborted
                ? 'the run was stopped before this check finished'
                : `the check did not finish within the run deadline of ${deadlineMs / 1000} s`,
          ),
        ),
      );
  }
  closed = true;
  // A sweep the deadline stopped before it began still lists every host (as `probe/deadline`).
  if (sweepOptions && !sweep) sweep = await runSweep(sweepCtx, settings, sweepOptions);
  // Hosts the traffic limit cut off say so, not "the run deadline".
  if (sweep && overLimit) {
    const why = overLimitMessage();
    sweep = {
      ...sweep,
      hosts: sweep.hosts.map((h) => (h.code === 'probe/deadline' ? { ...h, message: why } : h)),
    };
  }

  const order = [...slots.keys()];
  return {
    schema: 'netinsights.probe-report/v1',
    reportId,
    probe: { version: pkg.version, profile: profile.id, profileVersion: profile.version },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: collectEnvironment({
      proxy: settings,
      dnsResolvers: dns.servers,
      ...(options.officeId ? { officeId: options.officeId } : {}),
      ...(options.deviceId ? { deviceId: options.deviceId } : {}),
    }),
    results: order.map((id) => results.get(id)).filter((r): r is CheckResult => r !== undefined),
    ...(sweep ? { sweep } : {}),
    traffic: [...meters.values()].map((m) => m.toTraffic()),
  };
}
