/**
 * @module insights/rules/distant-resolver
 * The office's DNS lookups reach the internet through a recursive resolver
 * far from the office. Microsoft 365's DNS hands out the entry point nearest
 * to the resolver that asks, not to the user, so a distant resolver sends
 * users to a distant front door even when their traffic breaks out locally.
 * Microsoft's connectivity test flags a resolver more than 500 miles
 * (800 km) from the user. The resolver is identified per report by the
 * collector's own DNS listener (zone method) or by a public whoami answer
 * (insights/resolver-facts.ts) and placed by the egress geo database.
 * Metric: the share of reports whose resolver is farther than the limit.
 */
import { estimateDevices } from '../device-sketch.ts';
import { haversineKm } from '../geo.ts';
import type { ResolverFacts, ResolverPoint } from '../resolver-facts.ts';
import { metricMeasurement, pct, plural, windowWords } from './common.ts';
import type { InsightRule, Measurement } from './contract.ts';

/** Microsoft's connectivity test: a DNS recursive resolver more than 500 miles (800 km) from the user. */
const DISTANCE_KM = 800;

function farResolvers(
  facts: ResolverFacts,
  latitude: number,
  longitude: number,
  limitKm: number,
): { far: number; worst: (ResolverPoint & { km: number }) | undefined } {
  let far = 0;
  // The most used far resolver is the one the admin must reconfigure.
  let worst: (ResolverPoint & { km: number }) | undefined;
  for (const p of Object.values(facts.points)) {
    const km = haversineKm(latitude, longitude, p.lat, p.lon);
    if (km <= limitKm) continue;
    far += p.n;
    if (!worst || p.n > worst.n) worst = { ...p, km };
  }
  return { far, worst };
}

export const distantResolver: InsightRule = {
  kind: 'distant-resolver',
  metricName: 'share of reports whose DNS resolver is beyond the distance limit',
  defaults: { enabled: true, openThreshold: 0.5, closeThreshold: 0.25, distanceKm: DISTANCE_KM },

  bucketShare({ bucket, office, kind }) {
    if (!bucket.resolver.n || office.latitude === null || office.longitude === null) return undefined;
    const { far } = farResolvers(
      bucket.resolver,
      office.latitude,
      office.longitude,
      kind.distanceKm ?? DISTANCE_KM,
    );
    return far / bucket.resolver.n;
  },

  measure({ window, office, kind }): Measurement | null {
    if (office.latitude === null || office.longitude === null) return null;
    const limit = kind.distanceKm ?? DISTANCE_KM;
    const facts = window.resolver;
    const { far, worst } = farResolvers(facts, office.latitude, office.longitude, limit);
    const samples = facts.n;
    const figures = {
      samples,
      devices: estimateDevices(facts.devices),
      value: samples === 0 ? 0 : far / samples,
      severity: 'medium' as const,
      lastProblemAt: far > 0 ? window.lastAt : null,
      exampleReportIds: [...facts.examples].reverse(),
    };
    if (!worst) return metricMeasurement(figures, {});
    return metricMeasurement(figures, {
      resolver: {
        address: worst.address,
        distanceKm: Math.round(worst.km),
        thresholdKm: limit,
        city: worst.city,
        country: worst.country,
        method: worst.method,
      },
    });
  },

  describe(e, ctx) {
    const r = e.resolver;
    const km = (n: number) => `${n.toLocaleString('en-US')} km`;
    const where = r ? [r.city, r.country].filter(Boolean).join(', ') || 'a distant location' : 'far away';
    const how =
      r?.method === 'zone'
        ? 'as the collector’s own DNS listener saw it'
        : 'as a public “whoami” DNS name reported it';
    return {
      title: `${ctx.officeName} resolves names through a DNS server ${r ? `${km(r.distanceKm)} away` : 'far away'}`,
      meaning:
        `In the last ${windowWords(ctx.windowHours)}, ${pct(e.share)} of ${plural(e.samples, 'report')} from ` +
        `${plural(e.devices, 'device')} resolved names through ` +
        (r
          ? `the resolver ${r.address} (${how}), located in ${where}, ${km(r.distanceKm)} from the office (the limit is ${km(r.thresholdKm)})`
          : 'a resolver far from the office') +
        '. Microsoft 365 answers each lookup with the entry point nearest to the resolver that asks, so these ' +
        'users are sent to a front door near the resolver rather than near themselves.',
      action:
        'Resolve Microsoft 365 names locally: point the office’s DNS forwarders (or the clients) at a resolver ' +
        'that reaches the internet near the office, or let a local resolver answer the Microsoft 365 domains ' +
        'directly instead of forwarding them to a distant hub or cloud DNS service.',
    };
  },

  // A DNS path is fixed in the resolver configuration: no PAC file or firewall list changes it.
  actionLinks: () => [],
};
