/**
 * @module sweep/sweep-host
 * One host of the endpoint sweep, the way the critical-hosts check reaches
 * a host (checks/https.ts) but kept to one compact line: along its route
 * (direct: DNS then TCP; proxied: CONNECT, where a 403 with a proxy's
 * signature or a 407 is the proxy refusing), then TLS with the verdict
 * (genuine, or intercepted naming the vendor), then GET /. The line carries
 * the first failure on the way as its code, and every phase's time.
 */
import type { Outcome, SweepHost } from '@netinsights/protocol';
import { fail, failureCode, ok } from '@netinsights/protocol';
import type { SweepTarget } from '@netinsights/protocol/catalog/sweep-catalog.ts';
import { ALPN_OFFER } from '../checks/tls-chain.ts';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { since } from '../step.ts';
import { dial } from '../transport/dial.ts';
import { httpGet } from '../transport/http-request.ts';
import { type Route, redactProxy } from '../transport/proxy-selection.ts';
import { startTls } from '../transport/tls-handshake.ts';
import { servedBy } from '../verdicts/served-by.ts';

/** Enough of an answer to tell an origin from a block page; the sweep reads no more. */
const KEEP_BODY_BYTES = 8 * 1024;

function codeOf(outcome: Outcome): string {
  return failureCode(outcome) ?? 'ok';
}

export async function sweepHost(
  ctx: ProbeContext,
  target: SweepTarget,
  port: number,
  route: Route,
): Promise<SweepHost> {
  const start = performance.now();
  const line: SweepHost = {
    host: target.host,
    port,
    ...(target.pattern ? { pattern: target.pattern } : {}),
    sets: target.sets.slice(0, 64),
    serviceAreas: target.serviceAreas.slice(0, 16),
    category: target.category,
    route: route.type,
    ...(route.type === 'proxy' ? { proxy: redactProxy(route.proxy) } : {}),
    code: 'ok',
    totalMs: 0,
  };
  const finish = (outcome: Outcome): SweepHost => {
    line.code = codeOf(outcome);
    if (outcome.status === 'fail') line.message = outcome.message.slice(0, 512);
    line.totalMs = since(start);
    return line;
  };

  const dialled = await dial(ctx, target.host, port, route);
  if (!dialled.ok) {
    Object.assign(line, dialled.timings ?? {});
    if (dialled.http?.status !== undefined) {
      line.status = dialled.http.status;
      line.servedBy = dialled.http.servedBy;
    }
    return finish(dialled.outcome);
  }
  Object.assign(line, dialled.timings);
  if (dialled.remoteAddress) line.address = dialled.remoteAddress;

  const secured = await startTls(ctx, dialled.socket, target.host, ALPN_OFFER);
  if (!secured.ok) {
    dialled.socket.destroy();
    return finish(secured.outcome);
  }
  line.tlsMs = secured.ms;
  const { verdict, vendor, issuer } = secured.detail;
  line.tls = { verdict, ...(vendor ? { vendor } : {}), ...(issuer ? { issuer: issuer.slice(0, 1024) } : {}) };

  const response = await httpGet(ctx, secured.socket, {
    host: target.host,
    port,
    path: '/',
    maxBytes: KEEP_BODY_BYTES,
    keepBytes: KEEP_BODY_BYTES,
    signal: phaseSignal(ctx),
    timeoutMs: ctx.checkTimeoutMs,
  });
  secured.socket.destroy();
  // An intercepted or untrusted chain is the host's verdict even when the request went through.
  if (!response.ok) return finish(secured.outcome.status === 'fail' ? secured.outcome : response.outcome);
  line.firstByteMs = response.firstByteMs;
  line.status = response.status;
  const who = servedBy(response.status, response.headers, response.body, verdict);
  line.servedBy = who.servedBy;
  // A proxy that decrypts (squid ssl-bump, Zscaler) refuses inside the tunnel, with its own 403/407:
  // the endpoint is blocked, which matters more than that it was inspected on the way.
  if (who.servedBy === 'proxy' && (response.status === 403 || response.status === 407)) {
    const evidence = who.evidence.length ? ` (${who.evidence.slice(0, 2).join('; ')})` : '';
    const said = `the proxy answered HTTPS to ${target.host} itself with HTTP ${response.status}${evidence}`;
    return finish(
      response.status === 407 ? fail('proxy', 'auth-required', said) : fail('proxy', 'forbidden', said),
    );
  }
  if (secured.outcome.status === 'fail') return finish(secured.outcome);
  if (who.blockPage)
    return finish(
      fail(
        'http',
        'block-page',
        `a proxy answered ${target.host} with a block page (HTTP ${response.status})`,
      ),
    );
  // A genuine origin's 401/403 is a pass (anonymous request); an error from anything else is not.
  if (response.status >= 500 || (response.status >= 400 && who.servedBy !== 'origin'))
    return finish(
      fail(
        'http',
        'status',
        `${target.host} answered HTTP ${response.status}${who.servedBy === 'proxy' ? ' (from a proxy)' : ''}`,
      ),
    );
  return finish(ok());
}
