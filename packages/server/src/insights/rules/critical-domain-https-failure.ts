/**
 * @module insights/rules/critical-domain-https-failure
 * HTTPS from the office to hosts under the critical Microsoft 365 domains
 * (*.cloud.microsoft, *.static.microsoft, *.usercontent.microsoft) fails
 * for 10 % of attempts or more. Evidence per domain, per host and per
 * failure class, so the admin can tell a proxy rule from a DNS filter from a
 * firewall drop.
 */

import { links, listOf, pct, plural, topCodesWords, windowWords } from './common.ts';
import type { ActionLink, InsightEvidence } from './contract.ts';
import { tallyRule } from './tally-rule.ts';

const ALL_CRITICAL = '*.cloud.microsoft, *.static.microsoft and *.usercontent.microsoft';

/** Proxy answers whose cause is not the proxy's allow list get their own step. */
const PROXY_CAUSES: Record<string, string> = {
  'proxy/auth-required': 'proxy-auth',
  'proxy/auth-rejected': 'proxy-auth',
  'proxy/bad-gateway': 'proxy-upstream',
  'proxy/upstream-dns': 'proxy-upstream',
};

/** The artifacts that fix each cause: sending the domains direct, allowing them, or not decrypting them. */
const CAUSE_LINKS: Record<string, ((id: string) => ActionLink)[]> = {
  proxy: [links.pac],
  'proxy-auth': [links.pac],
  // The proxy's own egress: the firewall in front of it must allow the destinations.
  'proxy-upstream': [links.firewall],
  tcp: [links.firewall],
  tls: [links.bypass],
  http: [links.pac],
};

/** The failure causes in the evidence, most frequent first. */
function causesOf(evidence: InsightEvidence): string[] {
  const byLayer = new Map<string, number>();
  for (const c of evidence.failureClasses) {
    const layer = PROXY_CAUSES[c.code] ?? c.code.split('/')[0] ?? '';
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + c.count);
  }
  return [...byLayer.entries()].sort((a, b) => b[1] - a[1]).map(([layer]) => layer);
}

/** One concrete step per failure layer the evidence shows, most frequent first. */
function stepsFor(evidence: InsightEvidence, domains: string): string[] {
  const steps: Record<string, string> = {
    dns: `DNS: make sure the office's resolvers (and any DNS filtering service) answer for names under ${domains}; a filter category that does not know the new domains is a common cause.`,
    tcp: `Firewall: outbound TCP 443 to ${domains} is being refused or dropped. Allow TCP 443 and UDP 443 to these domains by name on the perimeter firewall (the firewall allow list below has the entries).`,
    proxy: `Proxy: the proxy refuses to open tunnels to these hosts. Add ${ALL_CRITICAL} (the domains and every name below them) to the proxy's allow list for TCP 443, or send them direct with the PAC file below.`,
    'proxy-auth': `Proxy authentication: the proxy asks for credentials (HTTP 407) that apps and background services do not send. Exempt ${ALL_CRITICAL} from proxy authentication.`,
    'proxy-upstream': `Proxy upstream: the proxy allows these tunnels but cannot resolve or reach the destinations itself (HTTP 502/503/504, squid's ERR_DNS_FAIL, ERR_CONNECT_FAIL or ERR_CANNOT_FORWARD). Check the proxy's own DNS servers and its outbound path or parent proxy to ${domains}; its allow list is not the cause.`,
    tls: `TLS: the handshake to these hosts fails on the path, usually an inspecting device that cannot re-sign or does not trust the service. Exclude ${ALL_CRITICAL} from TLS inspection.`,
    http: `HTTP: something between the users and the service answers in its place (block page, gateway error or reset). Find the web filter or gateway policy that matches these domains and allow them.`,
    ws: `WebSocket: upgrades to these hosts are refused; allow WebSocket upgrades for ${ALL_CRITICAL}.`,
  };
  return causesOf(evidence)
    .map((layer) => steps[layer])
    .filter((s): s is string => s !== undefined);
}

export const criticalDomainHttpsFailure = tallyRule('critical-domain-https-failure', {
  metricName: 'share of HTTPS attempts to critical domains that failed',
  defaults: { enabled: true, openThreshold: 0.1, closeThreshold: 0.05 },
  severity: 'high',
  tally: (r) => r.https,
  evidence({ https }) {
    const perDomain = new Map<string, { attempts: number; failures: number }>();
    for (const c of Object.values(https.hosts)) {
      if (!c.d) continue;
      const slot = perDomain.get(c.d) ?? { attempts: 0, failures: 0 };
      slot.attempts += c.a;
      slot.failures += c.f;
      perDomain.set(c.d, slot);
    }
    const domains = [...perDomain.entries()]
      .map(([domain, c]) => ({ domain, ...c }))
      .sort((a, b) => b.failures - a.failures || a.domain.localeCompare(b.domain));
    return { domains, affectedDomains: domains.filter((d) => d.failures > 0).map((d) => `*.${d.domain}`) };
  },

  describe(e, ctx) {
    const failures = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    const domains = e.affectedDomains.length ? listOf(e.affectedDomains, 3) : ALL_CRITICAL;
    const hosts = listOf(
      e.affectedHosts.map((h) => `${h.host} (${h.failures} of ${h.attempts} failed)`),
      4,
    );
    const top = e.failureClasses[0];
    return {
      title: `HTTPS to ${domains} is failing at ${ctx.officeName}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${failures} of ${e.samples} HTTPS attempts (${pct(e.share)}) from ` +
        `${plural(e.devices, 'device')} at this office to hosts under ${domains} did not reach the service. ` +
        `The alert threshold is ${pct(ctx.openThreshold)}. Hosts affected: ${hosts}. ` +
        (top ? `Most failures: ${topCodesWords(e.failureClasses)}. ` : '') +
        'Microsoft 365 now serves its apps, their static files and user content from these domains, so users see ' +
        'Outlook, Teams, the Microsoft 365 app and Copilot load partly, fail to sign in, or not load at all.',
      action:
        `${stepsFor(e, domains).join(' ')} ` +
        'Test again from an affected device with `netinsights probe` and check that the failures stop.',
    };
  },

  actionLinks: (id, evidence) => {
    // Most frequent cause first; a cause without an artifact that fixes it (DNS, WebSocket) links none.
    const out: ActionLink[] = [];
    for (const cause of causesOf(evidence)) {
      for (const make of CAUSE_LINKS[cause] ?? []) {
        const link = make(id);
        if (!out.some((l) => l.href === link.href)) out.push(link);
      }
    }
    return out;
  },
});
