/**
 * @module sweep/run-sweep
 * The endpoint sweep of one probe run: reads the catalog (the collector's,
 * a file, or the shipped snapshot) into hosts (sweep-catalog.ts), decides
 * each host's route as the run's proxy settings say (a PAC file per host),
 * and dials them with at most `concurrency` in flight, inside the run's
 * deadline: a host not finished when the deadline passes is
 * `probe/deadline`, so the report always lists every host.
 */
import type { FailOutcome, SweepHost, SweepReport } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';
import { SNAPSHOT_DOCUMENT } from '@netinsights/protocol/catalog/snapshot.ts';
import { planSweep, type SweepTarget } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import type { ProbeContext } from '../context.ts';
import type { SweepOptions } from '../probe-options.ts';
import { errorText } from '../step.ts';
import { type ProxySettings, type Route, redactProxy, routeFor } from '../transport/proxy-selection.ts';
import { sweepHost } from './sweep-host.ts';

/**
 * Hosts in flight at once when neither the options nor the profile say:
 * enough to sweep ~100 hosts in a few round trips, few enough that a proxy
 * does not see a burst (browsers open 6 per host, ~256 in all).
 */
export const DEFAULT_SWEEP_CONCURRENCY = 16;

/** The line of a host that was never dialled: cut off by the deadline, or with no route. */
function notDialled(
  target: SweepTarget,
  port: number,
  route: Route | undefined,
  outcome: FailOutcome,
): SweepHost {
  return {
    host: target.host,
    port,
    ...(target.pattern ? { pattern: target.pattern } : {}),
    sets: target.sets,
    serviceAreas: target.serviceAreas,
    category: target.category,
    route: route?.type ?? 'direct',
    ...(route?.type === 'proxy' ? { proxy: redactProxy(route.proxy) } : {}),
    code: `${outcome.layer}/${outcome.class}`,
    message: outcome.message,
    totalMs: 0,
  };
}

export async function runSweep(
  ctx: ProbeContext,
  settings: ProxySettings,
  options: SweepOptions,
): Promise<SweepReport> {
  const started = performance.now();
  const profileSweep = ctx.profile.sweep;
  const port = options.port ?? profileSweep?.port ?? 443;
  const concurrency = Math.max(
    1,
    options.concurrency ?? profileSweep?.concurrency ?? DEFAULT_SWEEP_CONCURRENCY,
  );
  const catalog = options.catalog ?? { source: 'snapshot' as const, document: SNAPSHOT_DOCUMENT };
  const plan = planSweep(catalog.document, profileSweep?.representativeHosts ?? {});
  const lines: (SweepHost | undefined)[] = plan.targets.map(() => undefined);
  // Every host's route first (a PAC file is evaluated per host), so even a host the deadline
  // cuts off is reported on the route it would have taken.
  const routes = await Promise.all(
    plan.targets.map(async (t): Promise<Route | Error> => {
      try {
        return await routeFor(settings, t.host, port);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    }),
  );
  let next = 0;
  let done = 0;

  const sweepOne = async (i: number, target: SweepTarget): Promise<SweepHost> => {
    const route = routes[i];
    if (route === undefined || route instanceof Error)
      return notDialled(
        target,
        port,
        undefined,
        fail('probe', 'internal', `the PAC file failed for ${target.host}: ${errorText(route)}`),
      );
    return sweepHost(ctx, target, port, route);
  };
  const worker = async () => {
    while (!ctx.runSignal.aborted) {
      const i = next++;
      const target = plan.targets[i];
      if (!target) return;
      const line = await sweepOne(i, target);
      // A host cut off by the run deadline is reported by the deadline pass below, with every other.
      if (ctx.runSignal.aborted && line.code !== 'ok') return;
      lines[i] = line;
      done++;
      options.onProgress?.(done, plan.targets.length, line.host, line.code);
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, plan.targets.length) }, worker);
  // The run deadline aborts every socket; stop waiting for stragglers at once then.
  const aborted = new Promise<void>((resolve) => {
    if (ctx.runSignal.aborted) resolve();
    else ctx.runSignal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([Promise.allSettled(workers), aborted]);

  const hosts = plan.targets.map(
    (t, i) =>
      lines[i] ??
      notDialled(
        t,
        port,
        routes[i] instanceof Error ? undefined : routes[i],
        fail('probe', 'deadline', 'the sweep did not finish this host within the run deadline'),
      ),
  );
  return {
    catalog: { source: catalog.source, ...(catalog.version ? { version: catalog.version } : {}) },
    concurrency,
    durationMs: Math.round(performance.now() - started),
    hosts,
    skipped: plan.skipped,
  };
}
