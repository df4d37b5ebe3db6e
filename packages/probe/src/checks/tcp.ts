/**
 * @module checks/tcp
 * The TCP check of a host: connect time and failure class. Through a proxy
 * it is the path a client really has to the host — TCP to the proxy plus the
 * CONNECT tunnel — so a tunnel the proxy refuses fails here as `proxy/…`.
 */
import type { CheckResult } from '@netinsights/protocol';
import { ok } from '@netinsights/protocol';
import type { Step } from '../step.ts';
import type { Dialled } from '../transport/dial.ts';
import type { begin, Slot } from './check-result.ts';

export function tcpResult(
  _slot: Slot,
  finish: ReturnType<typeof begin>,
  dialled: Step<Dialled>,
): CheckResult {
  if (!dialled.ok)
    return finish(dialled.outcome, {
      timings: dialled.timings ?? {},
      ...(dialled.http ? { http: dialled.http } : {}),
    });
  return finish(ok(), {
    timings: dialled.timings,
    tcp: {
      ...(dialled.remoteAddress ? { remoteAddress: dialled.remoteAddress } : {}),
      ...(dialled.socket.remotePort ? { remotePort: dialled.socket.remotePort } : {}),
    },
  });
}
