/**
 * @module insights/rules/websocket-failure
 * Secure WebSocket connections (the transport Copilot's chat depends on)
 * are refused at upgrade, or reset / cut while they are held open, for 10 %
 * of attempts or more. A genuine origin that answers an anonymous upgrade
 * with 401/403 is a pass: the path let the upgrade through.
 */

import { criticalDomainsOf, links, listOf, pct, plural, topCodesWords, windowWords } from './common.ts';
import { tallyRule } from './tally-rule.ts';

export const websocketFailure = tallyRule('websocket-failure', {
  metricName: 'share of WebSocket connections that failed or were cut',
  defaults: { enabled: true, openThreshold: 0.1, closeThreshold: 0.05 },
  severity: 'high',
  tally: (r) => r.websocket,
  evidence: (_, e) => ({ affectedDomains: criticalDomainsOf(e.affectedHosts) }),

  describe(e, ctx) {
    const failures = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    const count = (code: string) => e.failureClasses.find((c) => c.code === code)?.count ?? 0;
    const cut = count('ws/reset-after-open') + count('ws/closed-with-code');
    const refused = failures - cut;
    const hosts = listOf(e.affectedHosts.map((h) => h.host));
    const how =
      cut > 0 && refused > 0
        ? `${refused} never opened and ${cut} opened but were cut while held`
        : cut > 0
          ? 'they opened but were reset or closed by something on the path while held open'
          : 'the upgrade to WebSocket never succeeded';
    return {
      title: `Copilot is likely broken at ${ctx.officeName}: WebSocket connections fail`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${failures} of ${e.samples} secure WebSocket connections ` +
        `(${pct(e.share)}) from ${plural(e.devices, 'device')} to ${hosts || 'the service'} failed; ${how}. ` +
        `Failures: ${topCodesWords(e.failureClasses)}. Copilot's chat keeps a WebSocket open for each ` +
        'conversation, so users who click Copilot get no answer or lose it half-way; live features in other ' +
        'apps suffer the same way.',
      action:
        'On the proxy or firewall, allow the HTTP Upgrade to WebSocket (RFC 6455) for *.cloud.microsoft and the ' +
        `Copilot hub (${hosts || 'substrate.office.com'}), and let those connections stay open: raise idle and ` +
        'session timeouts for them well above a few minutes. ' +
        (cut > 0
          ? 'Connections are cut after opening, which points to an idle timeout, a connection limit or content ' +
            'inspection of the WebSocket stream; exclude these hosts from TLS inspection. '
          : 'The upgrade itself is refused, which points to a proxy rule or an inspection device that does not ' +
            'handle WebSocket; exclude these hosts from TLS inspection. ') +
        'Then run `netinsights probe` from an affected device and check that the hold test passes.',
    };
  },

  actionLinks: (id) => [links.bypass(id), links.firewall(id)],
});
