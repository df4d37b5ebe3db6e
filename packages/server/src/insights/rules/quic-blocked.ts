/**
 * @module insights/rules/quic-blocked
 * UDP/443 gets no QUIC answer while TCP/443 to the same host works: the
 * firewall drops QUIC, and apps fall back to TLS over TCP. The probe sends a
 * Version Negotiation trigger (RFC 9000 §6) and repeats it, so a single lost
 * datagram does not count as blocked. Opens when half the probes go
 * unanswered.
 */

import { links, listOf, pct, plural, windowWords } from './common.ts';
import { tallyRule } from './tally-rule.ts';

export const quicBlocked = tallyRule('quic-blocked', {
  metricName: 'share of QUIC probes unanswered while TCP/443 worked',
  defaults: { enabled: true, openThreshold: 0.5, closeThreshold: 0.25 },
  severity: 'low',
  tally: (r) => r.quic,

  describe(e, ctx) {
    const blocked = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    return {
      title: `QUIC (UDP 443) is blocked at ${ctx.officeName}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${blocked} of ${e.samples} QUIC probes (${pct(e.share)}) from ` +
        `${plural(e.devices, 'device')} to ${listOf(e.affectedHosts.map((h) => h.host))} got no answer on ` +
        'UDP port 443, although HTTPS over TCP port 443 to the same host worked in the same run. Outlook, Teams ' +
        'and other Microsoft 365 apps use HTTP/3 over QUIC when they can; here they fall back to TCP, which ' +
        'costs extra round trips and copes worse with packet loss. Nothing is broken, but it is slower.',
      action:
        'Allow outbound UDP 443 (and the replies) to *.cloud.microsoft, *.static.microsoft, ' +
        '*.usercontent.microsoft and the Microsoft 365 Optimize endpoints on the perimeter firewall. If a ' +
        'proxy or inspection device is meant to see all web traffic, exempt these destinations rather than ' +
        'blocking QUIC for everyone.',
    };
  },

  actionLinks: (id) => [links.firewall(id)],
});
