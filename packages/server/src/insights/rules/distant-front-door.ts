/**
 * @module insights/rules/distant-front-door
 * The office's devices reach a workload (Exchange, SharePoint, Teams,
 * sign-in) through a Microsoft front door much slower, or much farther
 * away, than the best front door other organisations' offices in the same
 * city land on. Microsoft routes each connection to the entry point nearest
 * to where it reaches the internet, and to the one DNS names for where the
 * resolver is, so a distant front door points at the office's egress, its
 * proxy or its DNS. The area's best comes from insights/front-door-area.ts
 * (at least 5 offices of 3 other tenants on it, a rounded median of
 * per-tenant medians). Metric: the share of the office's workload
 * connections that land on a worse front door; it opens at half of them.
 * The evidence gives, per workload, the potential gain in ms.
 */
import { estimateDevices, mergeSketch } from '../device-sketch.ts';
import type { AreaFrontDoor } from '../front-door-area.ts';
import { officeFrontDoors } from '../front-door-facts.ts';
import { haversineKm } from '../geo.ts';
import { own } from '../own-keys.ts';
import { links, metricMeasurement, pct, plural, windowWords } from './common.ts';
import type { InsightEvidence, InsightRule, LocatedFrontDoor, Measurement } from './contract.ts';

/**
 * "Much slower": at least 10 ms and 20 % over the area's best. A few ms
 * are jitter, not another front door (the same floor as peer-performance),
 * and the best figure is rounded to 5 ms.
 */
const MIN_GAP_MS = 10;
const MIN_GAP_SHARE = 0.2;
/** "Much farther": 800 km beyond the best, Microsoft's distance for backhauled egress (500 miles). */
const FARTHER_KM = 800;

const UNPLACED = { city: null, country: null, latitude: null, longitude: null };

type FrontDoorEvidence = NonNullable<InsightEvidence['frontDoors']>[number];

const distance = (
  office: { latitude: number | null; longitude: number | null },
  place: { latitude: number | null; longitude: number | null },
): number | null =>
  office.latitude === null || office.longitude === null || place.latitude === null || place.longitude === null
    ? null
    : Math.round(haversineKm(office.latitude, office.longitude, place.latitude, place.longitude));

function compare(
  door: LocatedFrontDoor,
  best: AreaFrontDoor,
  office: { latitude: number | null; longitude: number | null },
): FrontDoorEvidence {
  const inUseKm = distance(office, door);
  const bestKm = distance(office, best);
  const gap = door.latencyMedianMs - best.latencyMs;
  const onBest = door.address === best.address;
  const slower = gap >= MIN_GAP_MS && gap >= best.latencyMs * MIN_GAP_SHARE;
  const farther = inUseKm !== null && bestKm !== null && inUseKm - bestKm >= FARTHER_KM;
  return {
    workload: door.workload,
    inUse: {
      address: door.address,
      city: door.city,
      country: door.country,
      distanceKm: inUseKm,
      medianMs: door.latencyMedianMs,
      samples: door.samples,
    },
    best: {
      address: best.address,
      city: best.city,
      country: best.country,
      distanceKm: bestKm,
      medianMs: best.latencyMs,
      offices: best.offices,
    },
    potentialGainMs: onBest ? 0 : Math.max(0, Math.round(gap)),
    worse: !onBest && (slower || farther),
  };
}

const where = (p: { city: string | null; country: string | null; address: string }) =>
  [p.city, p.country].filter(Boolean).join(', ') || p.address;

export const distantFrontDoor: InsightRule = {
  kind: 'distant-front-door',
  metricName:
    'share of workload connections landing on a front door much slower or farther than the best nearby',
  defaults: { enabled: true, openThreshold: 0.5, closeThreshold: 0.25 },
  // The metric compares the whole window with other offices; a bucket alone says nothing.
  bucketShare: null,

  measure({ frontDoors, office, window }): Measurement | null {
    if (!frontDoors || !office.city) return null;
    const compared: { door: LocatedFrontDoor; e: FrontDoorEvidence }[] = [];
    for (const d of officeFrontDoors(window.frontDoors)) {
      const door = { ...d, ...(own(frontDoors.places, d.address) ?? UNPLACED) };
      const best = Object.hasOwn(frontDoors.area, door.workload) ? frontDoors.area[door.workload] : undefined;
      if (best) compared.push({ door, e: compare(door, best, office) });
    }
    // No workload has a best front door nearby yet: nothing to judge.
    if (compared.length === 0) return null;
    const samples = compared.reduce((n, c) => n + c.door.samples, 0);
    const worse = compared.filter((c) => c.e.worse);
    const affected = worse.reduce((n, c) => n + c.door.samples, 0);
    const sketch = compared.reduce<number[]>((s, c) => mergeSketch(s, c.door.sketch), []);
    const value = samples === 0 ? 0 : affected / samples;
    const maxGain = Math.max(0, ...worse.map((c) => c.e.potentialGainMs));
    // One entry per workload: the front door most of its connections used, the worse ones first.
    const byWorkload = new Map<string, FrontDoorEvidence>();
    for (const { e } of [...worse, ...compared.filter((c) => !c.e.worse)])
      if (!byWorkload.has(e.workload)) byWorkload.set(e.workload, e);
    return metricMeasurement(
      {
        samples,
        devices: estimateDevices(sketch),
        value,
        severity: maxGain >= 50 ? 'medium' : 'low',
        // The window's newest report, when something is worse (front doors keep no per-report times).
        lastProblemAt: affected > 0 ? window.lastAt : null,
        exampleReportIds: [],
      },
      {
        frontDoors: [...byWorkload.values()].sort(
          (a, b) => Number(b.worse) - Number(a.worse) || b.potentialGainMs - a.potentialGainMs,
        ),
      },
    );
  },

  describe(e, ctx) {
    const worse = (e.frontDoors ?? []).filter((f) => f.worse);
    const gain = Math.max(0, ...worse.map((f) => f.potentialGainMs));
    const farther = Math.max(
      0,
      ...worse.map((f) =>
        f.inUse.distanceKm !== null && f.best.distanceKm !== null
          ? f.inUse.distanceKm - f.best.distanceKm
          : 0,
      ),
    );
    const km = (d: number | null) => (d !== null ? `, ${d} km away` : '');
    const lines = worse.map(
      (f) =>
        `${f.workload}: ${f.inUse.address} (${where(f.inUse)}${km(f.inUse.distanceKm)}) answers in about ` +
        `${Math.round(f.inUse.medianMs)} ms against about ${f.best.medianMs} ms at ${f.best.address} ` +
        `(${where(f.best)}${km(f.best.distanceKm)})` +
        (f.potentialGainMs > 0
          ? `: up to ${f.potentialGainMs} ms faster per connection`
          : ': no faster by the numbers right now, but much farther away'),
    );
    // The headline names what there is to gain: milliseconds, or else the distance.
    const stake =
      gain > 0 ? `up to ${gain} ms to gain` : farther > 0 ? `${farther} km farther than the best` : '';
    return {
      title:
        worse.length > 0
          ? `${ctx.officeName} lands on a distant Microsoft front door for ${worse.map((f) => f.workload).join(', ')}${stake ? ` (${stake})` : ''}`
          : `${ctx.officeName} lands on a distant Microsoft front door`,
      meaning:
        `Over the last ${windowWords(ctx.windowHours)} (${plural(e.samples, 'connection')} from ` +
        `${plural(e.devices, 'device')}), ${pct(ctx.value)} of this office's connections to Microsoft 365 workloads ` +
        `reached a front door much slower or farther away than the one other organisations' offices in the same city use. ` +
        `${lines.join('. ')}. The best front door is the one with the lowest median TLS handshake time among at least ` +
        `${worse[0]?.best.offices ?? 5} offices of at least 3 other organisations; their individual figures are not shown. ` +
        'Microsoft sends each connection to the entry point nearest to where it reaches the internet and to where ' +
        'its DNS resolver is, so a distant one means the traffic or the DNS lookups leave the network far away.',
      action:
        'Let this office reach Microsoft 365 from where it is: a local internet breakout for at least the Optimize ' +
        'and Allow endpoints (the PAC file below sends them direct, around the proxy), and a DNS resolver near the ' +
        'office, so that DNS hands out the nearest front door. Then compare again here.',
    };
  },

  actionLinks: (id) => [links.pac(id), links.firewall(id)],
};
