/**
 * @module checks/dns
 * The DNS check for one host: the answers, how long they took, or the DNS
 * failure class. Pinned hosts (`--resolve`) report the pin, not a lookup.
 * Without `--dns-server` the answer is the OS resolver's, and the DNS
 * servers' own answer is recorded when it differs (transport/resolve.ts).
 * Critical hosts look themselves up as the first phase of their own chain
 * (checks/https.ts); this check adds one lookup for every other host the run
 * dials directly.
 */
import type { CheckResult } from '@netinsights/protocol';
import { ok } from '@netinsights/protocol';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { begin, type Slot } from './check-result.ts';
import { type Check, type CheckTask, singleResult } from './contract.ts';

export async function runDns(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const answer = await ctx.dns.resolve(slot.target.host, slot.target.port, phaseSignal(ctx));
  const resolvers = ctx.dns.servers.slice(0, 16).map((s) => s.slice(0, 128));
  if (!answer.ok)
    return finish(answer.outcome, { timings: answer.timings ?? {}, dns: { answers: [], resolvers } });
  // Settles within the DNS budget: the servers' view, asked at the same time as the OS.
  const disagreement = await answer.disagreement;
  return finish(ok(), {
    timings: { dnsMs: answer.ms },
    dns: {
      answers: answer.addresses.slice(0, 64),
      resolvers,
      ...(answer.pinned ? { pinned: true } : {}),
      ...(answer.os ? { osResolver: true } : {}),
      ...(disagreement ? { disagreement: disagreement.slice(0, 512) } : {}),
    },
  });
}

export const dnsCheck: Check = {
  name: 'dns',
  endpoints: () => [],
  plan(_profile, planner) {
    const tasks: CheckTask[] = [];
    // One lookup per host, on the first port it is dialled on directly; none through a proxy (it resolves).
    for (const e of planner.endpoints) {
      if (planner.has('dns', e.host) || planner.route(e.host, e.port).type !== 'direct') continue;
      tasks.push(singleResult(planner.slot('dns', e.host, e.port), runDns));
    }
    return tasks;
  },
};
