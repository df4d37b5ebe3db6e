/**
 * @module insights/rules/teams-media
 * Teams calls at an office cannot use their media path: the probe's STUN
 * requests to the Teams relay on UDP 3478–3481 get no answer while TCP 443
 * to the relay works (calls fall back to relaying over TCP), or they are
 * answered with more loss, delay or jitter than Microsoft's documented
 * targets for Teams media (loss < 1 %, RTT < 100 ms, jitter < 30 ms; the
 * probe's profile carries the thresholds). Opens when a quarter of the runs
 * are blocked or degraded, closes under a tenth; like every kind it needs
 * samples from at least the settings' minimum of devices (2 by default), so
 * one laptop on a bad hotel Wi-Fi does not open it.
 */
import { teamsMediaEvidence } from '../teams-media-facts.ts';
import { links, pct, plural, windowWords } from './common.ts';
import { tallyRule } from './tally-rule.ts';

/** Two of Microsoft's Teams media Optimize ranges, named as examples; the linked list has the catalog's full set. */
const MEDIA_RANGES = 'such as 52.112.0.0/14 and 52.122.0.0/15';

const ms = (v: number | null) => (v === null ? 'n/a' : `${v} ms`);

export const teamsMedia = tallyRule('teams-media', {
  metricName: 'share of Teams media runs with UDP blocked or over the call-quality targets',
  defaults: { enabled: true, openThreshold: 0.25, closeThreshold: 0.1 },
  severity: 'medium',
  tally: (r) => r.teamsMedia.tally,
  evidence: (w) => ({ teamsMedia: teamsMediaEvidence(w.teamsMedia) }),

  describe(e, ctx) {
    const t = e.teamsMedia;
    const blocked = t?.udpBlocked ?? 0;
    const degraded = t?.degraded ?? 0;
    const answeredPorts = (t?.ports ?? []).filter((p) => p.answered > 0).map((p) => p.port);
    const silentPorts = (t?.ports ?? []).filter((p) => p.answered === 0).map((p) => p.port);
    const parts: string[] = [];
    if (blocked > 0)
      parts.push(
        `${blocked} got no answer on any of UDP ${(t?.ports ?? []).map((p) => p.port).join(', ') || '3478–3481'} ` +
          `while TCP 443 to the relay worked (${t?.tcpFallback.ok ?? 0} of ${t?.tcpFallback.runs ?? 0} TCP fallback tries connected): ` +
          'calls there relay their audio and video over TCP, where a lost packet stalls everything behind it',
      );
    if (degraded > 0)
      parts.push(
        `${degraded} were answered but over the targets (loss < 1 %, RTT < 100 ms, jitter < 30 ms): ` +
          `loss median ${t?.lossPercent.median ?? 'n/a'} % (p95 ${t?.lossPercent.p95 ?? 'n/a'} %), ` +
          `RTT median ${ms(t?.rttMs.median ?? null)} (p95 ${ms(t?.rttMs.p95 ?? null)}), ` +
          `jitter median ${ms(t?.jitterMs.median ?? null)} (p95 ${ms(t?.jitterMs.p95 ?? null)}), ` +
          `estimated MOS ${t?.mos.median ?? 'n/a'}`,
      );
    const ports =
      answeredPorts.length > 0
        ? ` UDP ports that answered at least once: ${answeredPorts.join(', ')}${silentPorts.length ? `; never: ${silentPorts.join(', ')}` : ''}.`
        : '';
    return {
      title: `Teams media ${blocked >= degraded ? 'cannot use UDP' : 'is degraded'} at ${ctx.officeName}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${blocked + degraded} of ${e.samples} Teams media runs ` +
        `(${pct(e.share)}) from ${plural(e.devices, 'device')}: ${parts.join('; ')}.${ports} ` +
        'Teams sends call media over UDP 3478–3481 to its relays; without it, or with this much impairment, ' +
        'users hear choppy audio, frozen video and dropped calls.',
      action:
        `Allow outbound UDP 3478–3481 (and the replies) to the Teams media ranges of the Microsoft 365 ` +
        `Optimize category (${MEDIA_RANGES}) on the perimeter firewall, and keep that traffic off VPN ` +
        'tunnels and proxies: send it out locally, unshaped and uninspected. Where runs are answered but ' +
        'degraded, look for congestion on the office uplink and for media hairpinned through a VPN or a ' +
        'distant egress. The linked firewall list holds exactly the Teams media set.',
    };
  },

  actionLinks: (id) => [
    { ...links.firewall(id), label: 'Firewall allow list for Teams media (UDP 3478–3481)' },
  ],
});
