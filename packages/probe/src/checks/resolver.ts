/**
 * @module checks/resolver
 * Which recursive resolver this machine's lookups reach, as Microsoft 365's
 * DNS sees it (it hands out the front door nearest to that resolver). The
 * lookup takes the applications' path: the OS resolver (getaddrinfo), or
 * the `--dns-server` when one is given (transport/resolve.ts).
 *
 * - With a zone delegated to the collector (`--resolver-zone`, and the
 *   agent token's key): one name unique to this report,
 *   `<label>.<zone>` (protocol/resolver-label.ts). The collector's DNS
 *   listener answers with the address that asked and records it, with the
 *   EDNS Client Subnet if any, against the report — so the collector, not
 *   the probe, vouches for the resolver (`method: zone`).
 * - Otherwise, or when that lookup fails: the profile's public whoami name
 *   (`resolver.whoami`, Akamai's in the shipped profile), whose answer is the
 *   resolver's address (`method: whoami`).
 * The probe does not judge the distance: the collector geolocates the
 * resolver against the office (the distant-resolver insight).
 */
import type { CheckResult, ResolverDetail } from '@netinsights/protocol';
import { fail, ok } from '@netinsights/protocol';
import { resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import { type ProbeContext, phaseSignal } from '../context.ts';
import { begin, type Slot } from './check-result.ts';
import { type Check, singleResult } from './contract.ts';

/** DNS's port: the target says what is asked, not a connection (RFC 1035 §4.2). */
const DNS_PORT = 53;

async function runResolver(ctx: ProbeContext, slot: Slot): Promise<CheckResult> {
  const finish = begin(slot);
  const zone = ctx.resolverZone;
  const whoami = ctx.profile.resolver?.whoami;
  const ask = async (method: ResolverDetail['method'], name: string, reported: string) => {
    const answer = await ctx.dns.resolve(name, DNS_PORT, phaseSignal(ctx));
    return { answer, detail: { method, name: reported } satisfies ResolverDetail };
  };
  let tried = zone
    ? await ask('zone', `${resolverLabel(ctx.reportId, zone.key)}.${zone.zone}`, zone.zone)
    : undefined;
  const zoneFailure = tried && !tried.answer.ok ? tried.answer : undefined;
  if ((!tried || !tried.answer.ok) && whoami) tried = await ask('whoami', whoami, whoami);
  if (!tried) throw new Error('the resolver check was planned without a zone or a whoami name');
  const { answer, detail } = tried;
  if (!answer.ok) {
    const outcome =
      zoneFailure && zoneFailure !== answer && zoneFailure.outcome.status === 'fail'
        ? {
            ...answer.outcome,
            message: `${answer.outcome.message}; the delegated zone ${zone?.zone} failed first (${zoneFailure.outcome.message})`,
          }
        : answer.outcome;
    return finish(outcome, { timings: answer.timings ?? {}, resolver: detail });
  }
  if (answer.pinned)
    return finish(
      fail(
        'probe',
        'not-applicable',
        `${detail.name} is pinned (--resolve): no resolver was asked, so none can be identified`,
      ),
      { resolver: detail },
    );
  const address = answer.addresses[0];
  return finish(ok(), {
    timings: { dnsMs: answer.ms },
    resolver: { ...detail, ...(address ? { address: address.slice(0, 64) } : {}) },
  });
}

export const resolverCheck: Check = {
  name: 'resolver',
  endpoints: () => [],
  plan(profile, planner) {
    const name = planner.resolverZone ?? profile.resolver?.whoami;
    if (!name) return [];
    // UDP: DNS goes to the resolver directly, never through an HTTP proxy.
    return [singleResult(planner.slot('resolver', name, DNS_PORT, {}, 'udp'), runResolver)];
  },
};
