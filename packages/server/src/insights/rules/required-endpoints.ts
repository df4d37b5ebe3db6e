/**
 * @module insights/rules/required-endpoints
 * The endpoint sweep (`probe --sweep`, or the agent's daily heavy check)
 * finds required Optimize or Allow endpoints of the Microsoft 365 catalog
 * that the office cannot reach, or reaches only through TLS inspection.
 * Microsoft's connectivity test flags each such endpoint; this kind opens
 * when 5 % of the swept hosts fail (about two of the ~45 hosts of the
 * shipped catalog), closes under 2 %, and names the catalog set ids and
 * service areas so the admin finds the exact entries in the linked bypass
 * list (intercepted) or firewall list (unreachable). A kind of its own
 * rather than an extension of `tls-interception` or
 * `critical-domain-https-failure`: those judge the profile's critical hosts
 * on every run, this one the whole catalog at the sweep's own, rarer pace,
 * and its fix is per catalog set.
 */
import { requiredEndpointsEvidence } from '../required-endpoint-facts.ts';
import { links, listOf, pct, plural, topCodesWords, windowWords } from './common.ts';
import type { ActionLink } from './contract.ts';
import { tallyRule } from './tally-rule.ts';

function top(names: Record<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const e of Object.entries(names)) if (!best || e[1] > best[1]) best = e;
  return best?.[0];
}

export const requiredEndpoints = tallyRule('required-endpoints', {
  metricName: 'share of swept required endpoints that were unreachable or intercepted',
  defaults: { enabled: true, openThreshold: 0.05, closeThreshold: 0.02 },
  severity: 'high',
  tally: (r) => r.requiredEndpoints.tally,
  evidence: (w) => {
    const vendor = top(w.requiredEndpoints.vendors);
    return {
      requiredEndpoints: requiredEndpointsEvidence(w.requiredEndpoints),
      ...(vendor ? { vendor } : {}),
    };
  },

  describe(e, ctx) {
    const r = e.requiredEndpoints;
    const failing = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    const sets = (r?.sets ?? []).map((s) => `${s.id} (${s.serviceArea})`);
    const areas = [...new Set((r?.sets ?? []).map((s) => s.serviceArea))];
    const intercepted = r?.intercepted ?? 0;
    const unreachable = r?.unreachable ?? 0;
    const what =
      intercepted > 0 && unreachable === 0
        ? `intercepted${e.vendor ? ` by ${e.vendor}` : ''}`
        : unreachable > 0 && intercepted === 0
          ? 'unreachable'
          : 'unreachable or intercepted';
    const fixes: string[] = [];
    if (intercepted > 0)
      fixes.push(
        `exempt the hosts below from ${e.vendor ? `${e.vendor}'s` : 'the'} TLS inspection (the bypass list has the exact catalog entries of these sets)`,
      );
    if (unreachable > 0)
      fixes.push(
        'allow them through the proxy and firewall (the firewall list has the entries, their ports and address ranges)',
      );
    return {
      title: `Required Microsoft 365 endpoints ${what} at ${ctx.officeName} (${plural(sets.length, 'catalog set')}: ${listOf(areas, 4)})`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${failing} of ${e.samples} endpoint checks (${pct(e.share)}) from ` +
        `${plural(r?.sweeps ?? 0, 'sweep')} on ${plural(e.devices, 'device')} failed: ${intercepted} intercepted, ` +
        `${unreachable} unreachable. Microsoft marks these endpoints required: without them the Microsoft 365 ` +
        `services of ${plural(areas.length, 'area')} (${listOf(areas, 4)}) fail or slow down. Catalog sets: ${listOf(sets, 6)}. Hosts: ${listOf(
          e.affectedHosts.map((h) => h.host),
          4,
        )}. Causes: ${topCodesWords(e.failureClasses)}.`,
      action:
        `${fixes.join('; and ')}. The next sweep should find every required endpoint reachable and genuine.`.replace(
          /^./,
          (c) => c.toUpperCase(),
        ),
    };
  },

  actionLinks: (id, e) => {
    const r = e.requiredEndpoints;
    // Only the required Optimize and Allow entries: a Default set's broad wildcard (`*.microsoft.com`)
    // also covers these hosts, but exempting it from inspection is not what the sweep asks for.
    const exact = (link: ActionLink): ActionLink => ({
      ...link,
      href: `${link.href}&category=Optimize,Allow&requiredOnly=true`,
    });
    const out: ActionLink[] = [];
    if (!r || r.intercepted > 0) out.push(exact(links.bypass(id)));
    if (!r || r.unreachable > 0) out.push(exact(links.firewall(id)));
    out.push(links.pac(id));
    return out;
  },
});
