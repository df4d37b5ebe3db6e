/**
 * @module insights/rules/backhauled-egress
 * The office's internet traffic leaves the network (its egress address,
 * geolocated) far from the office: it is backhauled to a hub or a cloud proxy
 * elsewhere, and users connect to a distant Microsoft entry point. Microsoft's
 * connectivity guidance flags egress more than 500 miles (800 km) away.
 * Metric: the share of reports whose egress is farther than the limit; it
 * opens at half of them.
 */
import { estimateDevices } from '../device-sketch.ts';
import { haversineKm } from '../geo.ts';
import type { EgressPoint, Rollup } from '../rollup.ts';
import { links, metricMeasurement, pct, plural, windowWords } from './common.ts';
import type { InsightRule, Measurement } from './contract.ts';

/** Microsoft's documented "Backhauled network egress" network insight: egress more than 500 miles (800 km) away. */
const DISTANCE_KM = 800;

/** Reports in `egress` that left farther than `limitKm` from the office, and the most common such place. */
function farEgress(
  egress: Rollup['egress'],
  latitude: number,
  longitude: number,
  limitKm: number,
): { far: number; worst: (EgressPoint & { km: number }) | undefined } {
  let far = 0;
  // The most common far egress location is the one the admin needs to recognise.
  let worst: (EgressPoint & { km: number }) | undefined;
  for (const p of Object.values(egress.points)) {
    const km = haversineKm(latitude, longitude, p.lat, p.lon);
    if (km <= limitKm) continue;
    far += p.n;
    if (!worst || p.n > worst.n) worst = { ...p, km };
  }
  return { far, worst };
}

export const backhauledEgress: InsightRule = {
  kind: 'backhauled-egress',
  metricName: 'share of reports egressing beyond the distance limit',
  defaults: { enabled: true, openThreshold: 0.5, closeThreshold: 0.25, distanceKm: DISTANCE_KM },

  bucketShare({ bucket, office, kind }) {
    if (!bucket.egress.n || office.latitude === null || office.longitude === null) return undefined;
    const { far } = farEgress(
      bucket.egress,
      office.latitude,
      office.longitude,
      kind.distanceKm ?? DISTANCE_KM,
    );
    return far / bucket.egress.n;
  },

  measure({ window, office, kind }): Measurement | null {
    if (office.latitude === null || office.longitude === null) return null;
    const limit = kind.distanceKm ?? DISTANCE_KM;
    const { far, worst } = farEgress(window.egress, office.latitude, office.longitude, limit);
    const samples = window.egress.n;
    const devices = estimateDevices(window.egress.devices);
    const value = samples === 0 ? 0 : far / samples;
    const figures = {
      samples,
      devices,
      value,
      severity: 'medium' as const,
      lastProblemAt: far > 0 ? window.lastAt : null,
      exampleReportIds: [...window.egress.examples].reverse(),
    };
    if (!worst) return metricMeasurement(figures, {});
    const { km, city, country } = worst;
    return metricMeasurement(figures, {
      egress: { distanceKm: Math.round(km), thresholdKm: limit, city, country },
    });
  },

  describe(e, ctx) {
    const g = e.egress;
    const where = g
      ? [g.city, g.country].filter(Boolean).join(', ') || 'a distant location'
      : 'a distant location';
    return {
      title: `${ctx.officeName} reaches the internet ${g ? `${g.distanceKm} km away` : 'far away'}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${pct(e.share)} of ${plural(e.samples, 'report')} from ` +
        `${plural(e.devices, 'device')} left the network through an address located in ${where}` +
        (g ? `, ${g.distanceKm} km from the office (the limit is ${g.thresholdKm} km)` : '') +
        '. Microsoft 365 connects users to the entry point nearest to where their traffic reaches the ' +
        'internet, so these users are served from far away and every request pays the extra distance twice.',
      action:
        'Give this office a local internet breakout for Microsoft 365: route at least the Optimize and Allow ' +
        'endpoints out of the local link instead of the WAN or a distant proxy (the PAC file below sends them ' +
        'direct), and resolve their names with a DNS server near the office so the nearest entry point is chosen.',
    };
  },

  actionLinks: (id) => [links.pac(id), links.firewall(id)],
};
