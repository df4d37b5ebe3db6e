/**
 * @module checks/dns
 * The DNS check for one host: the answers, how long they took, or the DNS
 * failure class. Pinned hosts (`--resolve`) report the pin, not a lookup.
 */
import type { CheckResult } from '@netinsights/protocol';
import { ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { begin, type Slot } from './check-result.ts';

export async function dnsCheck(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const answer = await ctx.dns.resolve(slot.target.host, slot.target.port, phaseSignal(ctx));
  const resolvers = ctx.dns.servers.slice(0, 16).map((s) => s.slice(0, 128));
  if (!answer.ok)
    return finish(answer.outcome, { timings: answer.timings ?? {}, dns: { answers: [], resolvers } });
  return finish(ok(), {
    timings: { dnsMs: answer.ms },
    dns: { answers: answer.addresses.slice(0, 64), resolvers, ...(answer.pinned ? { pinned: true } : {}) },
  });
}
