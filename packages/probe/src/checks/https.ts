/**
 * @module checks/https
 * The critical-hosts check: every host of every critical domain, end to end,
 * on a single connection the way a browser makes it: DNS → TCP (or the proxy
 * tunnel) → TLS → GET. One task per host yields its dns, tcp, tls, https and
 * (for HTTP/2 hosts) http2 results. The https result carries the first
 * failure on the way, whatever its layer, so "HTTPS to this host fails, and
 * why" is one lookup; later phases that could not run are `probe/skipped`.
 */
import type { HttpDetail, Outcome, ServiceProfile } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { dial } from '../transport/dial.ts';
import { httpGet } from '../transport/http-request.ts';
import { startTls } from '../transport/tls-handshake.ts';
import { servedBy } from '../verdicts/served-by.ts';
import { begin, type Emit, type Slot, skipped } from './check-result.ts';
import type { Check, Endpoint } from './contract.ts';
import { runDns } from './dns.ts';
import { http2Result } from './http2.ts';
import { tcpResult } from './tcp.ts';
import { ALPN_OFFER, tlsResult } from './tls-chain.ts';

/** Enough of an error body to recognise a block page. */
const KEEP_BODY_BYTES = 16 * 1024;

/** A host of a critical domain, as the probe dials it. */
export interface CriticalHost extends Endpoint {
  domain: string;
  path: string;
}

/** Every host of every critical domain, in profile order (names lower-cased). */
export function criticalHosts(profile: ServiceProfile): CriticalHost[] {
  return profile.criticalDomains.flatMap((d) =>
    d.hosts.map((host) => ({
      host: host.toLowerCase(),
      port: d.port ?? 443,
      domain: d.domain,
      path: d.path ?? '/',
    })),
  );
}

export const criticalHostsCheck: Check = {
  name: 'critical-hosts',
  endpoints: criticalHosts,
  plan(profile, planner) {
    const http2Hosts = new Set(
      (profile.http2Hosts ?? profile.criticalDomains.map((d) => d.hosts[0] ?? '')).map((h) =>
        h.toLowerCase(),
      ),
    );
    // A host listed in two domains is probed twice over the same slots; each keeps the first result emitted.
    return criticalHosts(profile).map((c) => {
      const target = { domain: c.domain };
      // Through a proxy the proxy resolves the name; a local lookup would test nothing the client does.
      const direct = planner.route(c.host, c.port).type === 'direct';
      const hostSlots: HostSlots = {
        ...(direct ? { dns: planner.slot('dns', c.host, c.port, target) } : {}),
        tcp: planner.slot('tcp', c.host, c.port, target),
        tls: planner.slot('tls', c.host, c.port, target),
        https: planner.slot('https', c.host, c.port, {
          ...target,
          url: `https://${c.host}${c.port === 443 ? '' : `:${c.port}`}${c.path}`,
        }),
        ...(http2Hosts.has(c.host) ? { http2: planner.slot('http2', c.host, c.port, target) } : {}),
      };
      return {
        slots: Object.values(hostSlots),
        run: (ctx, emit) => probeCriticalHost(ctx, hostSlots, c.path, emit),
      };
    });
  },
};

export interface HostSlots {
  dns?: Slot;
  tcp: Slot;
  tls: Slot;
  https: Slot;
  http2?: Slot;
}

export async function probeCriticalHost(
  ctx: ProbeContext,
  slots: HostSlots,
  path: string,
  emit: Emit,
): Promise<void> {
  const { host, port } = slots.https.target;
  const finishHttps = begin(slots.https);
  const skipRest = (because: Outcome, from: (Slot | undefined)[]) => {
    for (const s of from) if (s) emit(skipped(s, because));
  };

  if (slots.dns) {
    const dnsResult = await runDns(ctx, slots.dns);
    emit(dnsResult);
    if (dnsResult.outcome.status === 'fail') {
      emit(finishHttps(dnsResult.outcome, { timings: dnsResult.timings ?? {} }));
      skipRest(dnsResult.outcome, [slots.tcp, slots.tls, slots.http2]);
      return;
    }
  }

  const finishTcp = begin(slots.tcp);
  const dialled = await dial(ctx, host, port);
  emit(tcpResult(slots.tcp, finishTcp, dialled));
  if (!dialled.ok) {
    emit(
      finishHttps(dialled.outcome, {
        timings: dialled.timings ?? {},
        ...(dialled.http ? { http: dialled.http } : {}),
      }),
    );
    skipRest(dialled.outcome, [slots.tls, slots.http2]);
    return;
  }

  const finishTls = begin(slots.tls);
  const secured = await startTls(ctx, dialled.socket, host, ALPN_OFFER);
  emit(tlsResult(finishTls, secured));
  if (!secured.ok) {
    emit(finishHttps(secured.outcome, { timings: { ...dialled.timings, ...secured.timings } }));
    skipRest(secured.outcome, [slots.http2]);
    return;
  }
  if (slots.http2) emit(http2Result(begin(slots.http2), host, secured.detail));

  const response = await httpGet(ctx, secured.socket, {
    host,
    path,
    maxBytes: KEEP_BODY_BYTES,
    keepBytes: KEEP_BODY_BYTES,
    signal: phaseSignal(ctx),
    timeoutMs: ctx.checkTimeoutMs,
  });
  secured.socket.destroy();
  const timings = { ...dialled.timings, tlsMs: secured.ms };
  if (!response.ok) {
    emit(
      finishHttps(response.outcome, { timings: { ...timings, ...response.timings }, tls: secured.detail }),
    );
    return;
  }
  const who = servedBy(response.status, response.headers, response.body, secured.detail.verdict);
  const http: HttpDetail = {
    method: 'GET',
    status: response.status,
    httpVersion: response.httpVersion,
    headers: who.headers,
    servedBy: who.servedBy,
    ...(who.evidence.length ? { proxyEvidence: who.evidence.slice(0, 8) } : {}),
    bodyBytes: response.bodyBytes,
  };
  let outcome: Outcome = ok();
  if (who.blockPage)
    outcome = fail(
      'http',
      'block-page',
      `a proxy answered ${host} with a block page (HTTP ${response.status}; ${who.evidence.join('; ')})`,
    );
  else if (response.status >= 500 || (response.status >= 400 && who.servedBy !== 'origin'))
    outcome = fail(
      'http',
      'status',
      `${host} answered HTTP ${response.status}${who.servedBy === 'proxy' ? ' (from a proxy)' : ''}`,
    );
  emit(
    finishHttps(outcome, {
      timings: {
        ...timings,
        firstByteMs: response.firstByteMs,
        totalMs: Math.round(
          (timings.dnsMs ?? 0) +
            (timings.connectMs ?? 0) +
            (timings.proxyConnectMs ?? 0) +
            secured.ms +
            response.totalMs,
        ),
      },
      http,
      tls: secured.detail,
    }),
  );
}
