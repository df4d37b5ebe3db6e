/**
 * @module run-probe
 * One probe run: decide each host's route, plan every check (so that the
 * deadline can account for each), run them all concurrently — each phase
 * with its own deadline, the whole run with an overall one — and assemble
 * the ProbeReport. Checks cut off by the run deadline end as
 * `probe/deadline`; the run never waits past its deadline plus a short grace.
 */
import type { CheckKind, CheckResult, CriticalDomain, ProbeReport, Target } from '@netinsights/protocol';
import { fail, NetinsightsError, newReportId } from '@netinsights/protocol';
import pkg from '../package.json' with { type: 'json' };
import { begin, checkId, type Emit, type Slot } from './checks/check-result.ts';
import { dnsCheck } from './checks/dns.ts';
import { probeCriticalHost } from './checks/https.ts';
import { latencyCheck } from './checks/latency.ts';
import { quicCheck } from './checks/quic.ts';
import { throughputCheck } from './checks/throughput.ts';
import { websocketCheck } from './checks/websocket.ts';
import type { ProbeContext } from './context.ts';
import { collectEnvironment } from './environment.ts';
import type { ProbeOptions } from './probe-options.ts';
import { errorText } from './step.ts';
import { loadPac } from './transport/pac.ts';
import { PinError, parsePins } from './transport/pins.ts';
import { networkPath, proxySettings, type Route, routeFor } from './transport/proxy-selection.ts';
import { DnsClient } from './transport/resolve.ts';
import { createTrustStore } from './verdicts/trust-store.ts';

export const DEFAULT_DEADLINE_MS = 20_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;
/** After the run deadline, how long checks get to notice their aborted signal. */
const GRACE_MS = 300;

function portOf(url: URL): number {
  return url.port ? Number(url.port) : 443;
}

function assertPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new NetinsightsError(
      'NI_ERR_USAGE',
      `${name} must be a positive number of milliseconds, got ${value}`,
    );
}

export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const startedAt = new Date();
  const { profile } = options;
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

  // What the run will touch, host by host.
  const critical = profile.criticalDomains.flatMap((d: CriticalDomain) =>
    d.hosts.map((host) => ({
      host: host.toLowerCase(),
      port: d.port ?? 443,
      domain: d.domain,
      path: d.path ?? '/',
    })),
  );
  const http2Hosts = new Set(
    (profile.http2Hosts ?? profile.criticalDomains.map((d) => d.hosts[0] ?? '')).map((h) => h.toLowerCase()),
  );
  const wsUrl = new URL(profile.websocket.url);
  const tpUrl = new URL(profile.throughput.url);
  const ws = { host: wsUrl.hostname.toLowerCase(), port: portOf(wsUrl) };
  const tp = { host: tpUrl.hostname.toLowerCase(), port: portOf(tpUrl) };
  const lat = { host: profile.latency.host.toLowerCase(), port: profile.latency.port };
  const quic = { host: profile.quic.host.toLowerCase(), port: profile.quic.port };
  // "Does TCP work to the QUIC host": on the port the profile uses for that host over HTTPS.
  const quicTcpPort = critical.find((c) => c.host === quic.host)?.port ?? 443;
  const endpoints = [...critical, ws, tp, lat, { host: quic.host, port: quicTcpPort }];

  const env = options.env ?? process.env;
  const routes = new Map<string, Route>();
  let settings: ReturnType<typeof proxySettings>;
  try {
    const pac = options.pac ? await loadPac(options.pac) : undefined;
    settings = proxySettings({
      ...(options.proxy ? { proxy: options.proxy } : {}),
      ...(pac ? { pac } : {}),
      env,
    });
    const keys = [...new Set(endpoints.map((e) => `${e.host}:${e.port}`))];
    await Promise.all(
      keys.map(async (key) => {
        const colon = key.lastIndexOf(':');
        routes.set(key, await routeFor(settings, key.slice(0, colon), Number(key.slice(colon + 1))));
      }),
    );
  } catch (err) {
    // A configuration error (proxy URL, PAC file) ends the run before any check.
    clearTimeout(deadlineTimer);
    options.signal?.removeEventListener('abort', onOuterAbort);
    throw err;
  }
  const route = (host: string, port: number) =>
    routes.get(`${host}:${port}`) ?? ({ type: 'direct', source: 'none' } as Route);

  const dns = new DnsClient({
    ...(options.dnsServers ? { servers: options.dnsServers } : {}),
    pins,
    timeoutMs: checkTimeoutMs,
    runSignal: controller.signal,
  });
  const ctx: ProbeContext = {
    profile,
    dns,
    pins,
    routes,
    trust: createTrustStore(options.extraTrustedCas),
    runSignal: controller.signal,
    checkTimeoutMs,
    wsHoldMs: Math.round((options.wsHoldSeconds ?? profile.websocket.holdSeconds) * 1000),
  };

  // Plan.
  const slots = new Map<string, Slot>();
  const slot = (
    kind: CheckKind,
    host: string,
    port: number,
    extra: Partial<Target> = {},
    transport: 'tcp' | 'udp' = 'tcp',
  ): Slot => {
    const id = checkId(kind, host, port);
    const existing = slots.get(id);
    if (existing) return existing;
    const s: Slot = {
      id,
      kind,
      target: { host, port, ...extra, ...(transport === 'udp' ? { transport } : {}) },
      path: transport === 'udp' ? { type: 'direct', source: 'none' } : networkPath(route(host, port)),
    };
    slots.set(id, s);
    return s;
  };
  const results = new Map<string, CheckResult>();
  let closed = false;
  const emit: Emit = (result) => {
    if (closed || results.has(result.id)) return;
    results.set(result.id, result);
    const s = slots.get(result.id);
    options.onProgress?.({ checkId: result.id, kind: s?.kind ?? result.kind, state: 'finished', result });
  };
  const guard = (slotsOfTask: Slot[], task: () => Promise<void>) => async () => {
    for (const s of slotsOfTask) options.onProgress?.({ checkId: s.id, kind: s.kind, state: 'started' });
    try {
      await task();
    } catch (err) {
      // A bug in a check must not take the run down: it becomes that check's result.
      for (const s of slotsOfTask)
        if (!results.has(s.id))
          emit(
            begin(s)(
              fail('probe', 'internal', `the probe failed while running this check: ${errorText(err)}`),
            ),
          );
    }
  };

  const tasks: (() => Promise<void>)[] = [];
  const dnsPlanned = new Set<string>();
  for (const c of critical) {
    const direct = route(c.host, c.port).type === 'direct';
    const target = { domain: c.domain };
    // Through a proxy the proxy resolves the name; a local lookup would test nothing the client does.
    const dnsSlot = direct ? slot('dns', c.host, c.port, target) : undefined;
    if (dnsSlot) dnsPlanned.add(c.host);
    const hostSlots = {
      ...(dnsSlot ? { dns: dnsSlot } : {}),
      tcp: slot('tcp', c.host, c.port, target),
      tls: slot('tls', c.host, c.port, target),
      https: slot('https', c.host, c.port, {
        ...target,
        url: `https://${c.host}${c.port === 443 ? '' : `:${c.port}`}${c.path}`,
      }),
      ...(http2Hosts.has(c.host) ? { http2: slot('http2', c.host, c.port, target) } : {}),
    };
    tasks.push(guard(Object.values(hostSlots), () => probeCriticalHost(ctx, hostSlots, c.path, emit)));
  }
  for (const e of [ws, tp, lat, { host: quic.host, port: quicTcpPort }]) {
    if (dnsPlanned.has(e.host) || route(e.host, e.port).type !== 'direct') continue;
    dnsPlanned.add(e.host);
    const s = slot('dns', e.host, e.port);
    tasks.push(guard([s], async () => emit(await dnsCheck(ctx, s))));
  }
  const wsSlot = slot('websocket', ws.host, ws.port, { url: profile.websocket.url.slice(0, 2048) });
  tasks.push(guard([wsSlot], async () => emit(await websocketCheck(ctx, wsSlot))));
  const tpSlot = slot('throughput', tp.host, tp.port, { url: profile.throughput.url.slice(0, 2048) });
  tasks.push(guard([tpSlot], async () => emit(await throughputCheck(ctx, tpSlot))));
  const latSlot = slot('latency', lat.host, lat.port);
  tasks.push(guard([latSlot], async () => emit(await latencyCheck(ctx, latSlot))));
  const quicSlot = slot('quic', quic.host, quic.port, {}, 'udp');
  tasks.push(guard([quicSlot], async () => emit(await quicCheck(ctx, quicSlot, quicTcpPort))));

  // Run: everything at once; the deadline (plus grace) bounds the wait.
  let graceTimer: NodeJS.Timeout | undefined;
  const cutOffAll = new Promise<void>((resolve) => {
    const onAbort = () => {
      graceTimer = setTimeout(resolve, GRACE_MS);
    };
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  await Promise.race([Promise.allSettled(tasks.map((t) => t())), cutOffAll]);
  clearTimeout(deadlineTimer);
  clearTimeout(graceTimer);
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
            outerAborted
              ? 'the run was stopped before this check finished'
              : `the check did not finish within the run deadline of ${deadlineMs / 1000} s`,
          ),
        ),
      );
  }
  closed = true;

  const order = [...slots.keys()];
  return {
    schema: 'netinsights.probe-report/v1',
    reportId: newReportId(),
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
  };
}
