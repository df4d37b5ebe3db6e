/**
 * @module dial
 * Opens a raw byte stream to `host:port` along the host's route: resolve and
 * connect when direct; connect to the proxy and CONNECT when proxied (the
 * proxy resolves the name then, so no local DNS lookup is made). Each phase
 * has its own deadline; the result says how long each took.
 */
import type { Socket } from 'node:net';
import type { PhaseTimings } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal, routeOf } from '../context.ts';
import { failed, type Step } from '../step.ts';
import { connectThrough } from './connect-proxy.ts';
import { pinFor } from './pins.ts';
import type { Route } from './proxy-selection.ts';
import type { DnsAnswer } from './resolve.ts';
import { tcpConnect } from './tcp-connect.ts';

export interface Dialled {
  socket: Socket;
  route: Route;
  timings: PhaseTimings;
  remoteAddress?: string;
  dns?: DnsAnswer;
}

/** Prefer IPv4: lab and most corporate paths are IPv4-first, and it keeps runs comparable. */
function pickAddress(addresses: string[]): string | undefined {
  return addresses.find((a) => !a.includes(':')) ?? addresses[0];
}

export async function dial(
  ctx: ProbeContext,
  host: string,
  port: number,
  route = routeOf(ctx, host, port),
): Promise<Step<Dialled>> {
  if (route.type === 'direct') {
    const answer = await ctx.dns.resolve(host, port, phaseSignal(ctx));
    if (!answer.ok) return answer;
    const address = pickAddress(answer.addresses);
    if (!address) return failed(fail('dns', 'nodata', `${host} resolved to no usable address`));
    const conn = await tcpConnect(address, port, host, phaseSignal(ctx), ctx.runSignal, ctx.checkTimeoutMs);
    if (!conn.ok) return { ...conn, timings: { dnsMs: answer.ms, ...conn.timings } };
    ctx.traffic?.socket(conn.socket);
    return {
      ok: true,
      socket: conn.socket,
      route,
      remoteAddress: address,
      dns: answer,
      timings: { dnsMs: answer.ms, connectMs: conn.ms },
    };
  }
  const proxyHost = route.proxy.hostname.replace(/^\[(.*)\]$/, '$1');
  const proxyPort = Number(route.proxy.port || 8080);
  const proxyAddress = pickAddress(pinFor(ctx.pins, proxyHost, proxyPort) ?? []) ?? proxyHost;
  const label = `proxy ${route.proxy.host}`;
  const conn = await tcpConnect(
    proxyAddress,
    proxyPort,
    label,
    phaseSignal(ctx),
    ctx.runSignal,
    ctx.checkTimeoutMs,
  );
  if (!conn.ok) {
    // Whatever stopped the connection, from this host's point of view the proxy is unreachable.
    const outcome =
      conn.outcome.layer === 'probe'
        ? conn.outcome
        : fail('proxy', 'unreachable', `${conn.outcome.message} — the proxy is unreachable`);
    return { ...conn, outcome };
  }
  // Counted from here: the CONNECT request and the proxy's answer are traffic of this check too.
  ctx.traffic?.socket(conn.socket);
  const tunnel = await connectThrough(
    conn.socket,
    route.proxy,
    host,
    port,
    phaseSignal(ctx),
    ctx.runSignal,
    ctx.checkTimeoutMs,
  );
  if (!tunnel.ok) return { ...tunnel, timings: { connectMs: conn.ms, ...tunnel.timings } };
  return {
    ok: true,
    socket: conn.socket,
    route,
    remoteAddress: proxyAddress,
    timings: { connectMs: conn.ms, proxyConnectMs: tunnel.ms },
  };
}
