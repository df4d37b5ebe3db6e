/**
 * @module insights/rules/tls-interception
 * Too many HTTPS connections from the office are served a certificate chain
 * that the service's own CAs did not issue: a device on the path decrypts
 * Microsoft 365 traffic. It opens at 30 % of connections, the figure given
 * for the Microsoft 365 admin center's network intermediary insight.
 * The vendor comes from the chain's issuer (the probe matches it against the
 * profile's vendor table); the issuer is shown as the admin will find it in
 * the device's certificate settings.
 */

import { criticalDomainsOf, links, listOf, pct, plural, windowWords } from './common.ts';
import { tallyRule } from './tally-rule.ts';

function top(names: Record<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const e of Object.entries(names)) if (!best || e[1] > best[1]) best = e;
  return best?.[0];
}

export const tlsInterception = tallyRule('tls-interception', {
  metricName: 'share of HTTPS connections served an interceptor certificate',
  defaults: { enabled: true, openThreshold: 0.3, closeThreshold: 0.15 },
  severity: 'medium',
  tally: (r) => r.tls.tally,
  evidence({ tls }, e) {
    const vendor = top(tls.vendors);
    const issuer = top(tls.issuers);
    return {
      ...(vendor ? { vendor } : {}),
      ...(issuer ? { issuer } : {}),
      affectedDomains: criticalDomainsOf(e.affectedHosts),
    };
  },

  describe(e, ctx) {
    const vendor = e.vendor ?? 'unknown interceptor';
    const known = vendor !== 'unknown interceptor';
    const intercepted = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    const who = known ? `${vendor}` : 'A device on the network path';
    const issuer = e.issuer ? ` The certificates were issued by "${e.issuer}".` : '';
    return {
      title: known
        ? `${vendor} is decrypting Microsoft 365 traffic at ${ctx.officeName}`
        : `A device is decrypting Microsoft 365 traffic at ${ctx.officeName}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${intercepted} of ${e.samples} HTTPS connections (${pct(e.share)}) ` +
        `from ${plural(e.devices, 'device')} were answered with a certificate that Microsoft's certificate ` +
        `authorities did not issue. ${who} terminates TLS in the middle and re-signs the traffic with its own CA.` +
        `${issuer} Hosts affected: ${listOf(
          e.affectedHosts.map((h) => h.host),
          4,
        )}. ` +
        // Only what interception itself does: whether WebSocket or QUIC also fail is other insights' evidence.
        'Decrypting this traffic adds a TLS handshake and a certificate check to every connection and can cause ' +
        'sign-in loops; the traffic is already encrypted and authenticated by Microsoft, so inspection adds ' +
        'little protection.',
      action:
        `In ${known ? `${vendor}'s` : "the intercepting device's"} SSL/TLS inspection policy, add a "do not decrypt" ` +
        'rule for the Microsoft 365 Optimize and Allow endpoints and for *.cloud.microsoft, *.static.microsoft ' +
        'and *.usercontent.microsoft. The bypass list below has the exact names. ' +
        (e.issuer
          ? `Look for the CA named "${e.issuer}" to find the policy that signs these certificates. `
          : '') +
        'Afterwards the probe should report the certificate chain as genuine.',
    };
  },

  actionLinks: (id) => [links.bypass(id), links.pac(id)],
});
