/**
 * @module insights/rules/protocol-downgrade
 * The genuine origin offers HTTP/2 (ALPN h2, RFC 7301) but the client's
 * connection ends on HTTP/1.1: a device on the path terminates the connection
 * and speaks only the older protocol. There is no published figure for this;
 * it opens at 30 %, the interception figure (tls-interception.ts), because a
 * downgrade is nearly always the work of the same intermediating device.
 */

import { links, listOf, pct, plural, windowWords } from './common.ts';
import { tallyRule } from './tally-rule.ts';

export const protocolDowngrade = tallyRule('protocol-downgrade', {
  metricName: 'share of connections downgraded from HTTP/2 to HTTP/1.1',
  defaults: { enabled: true, openThreshold: 0.3, closeThreshold: 0.15 },
  severity: 'low',
  tally: (r) => r.http2,

  describe(e, ctx) {
    const downgraded = e.affectedHosts.reduce((n, h) => n + h.failures, 0);
    return {
      title: `Connections are downgraded to HTTP/1.1 at ${ctx.officeName}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${downgraded} of ${e.samples} connections (${pct(e.share)}) from ` +
        `${plural(e.devices, 'device')} to ${listOf(e.affectedHosts.map((h) => h.host))} ended on HTTP/1.1 ` +
        'although the service offers HTTP/2. Something on the path answers the TLS handshake itself and only ' +
        'speaks the older protocol. HTTP/1.1 needs a connection per parallel request, so pages and apps load ' +
        'more slowly.',
      action:
        'Find the proxy or inspection device that terminates these connections and either exclude the Microsoft ' +
        '365 endpoints from TLS inspection (the bypass list below) or enable HTTP/2 on it. After the change, ' +
        'the probe should report h2 for these hosts.',
    };
  },

  actionLinks: (id) => [links.bypass(id)],
});
