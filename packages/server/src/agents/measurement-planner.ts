/**
 * @module agents/measurement-planner
 * Which heavy checks one agent runs this time. Without a plan every agent
 * downloads the throughput object and calls the Teams relay on every run
 * (96 times a day at the default interval); the insights need only enough
 * samples per office and window. So the collector grants, per office (its
 * planning unit) and UTC day, `samplesPerDay` samples of each office-planned
 * heavy check, spread over the day, from at least `minDevices` devices when
 * the office has them — and a device-planned check (the endpoint sweep)
 * `runsPerDay` times per device, each device at its own time of day.
 *
 * - Pace: by a fraction f of the UTC day, the unit may have been granted
 *   ⌊f·N⌋ + 1 of its N samples. Grants follow the day evenly; hours when no
 *   agent asked are made up later the same day; never more than N.
 * - Spacing: at most one grant per quarter of a sample's share of the day
 *   (15 minutes at 24 a day), so an office that starts late, or comes back
 *   after a night without agents, catches up over hours, not in one burst.
 * - Devices: one device takes at most ⌈N / minDevices⌉ while another device
 *   of the unit asked recently (so one busy laptop does not provide them all).
 * - Affordability: an agent that says how many bytes its own daily cap has
 *   left is not granted a check whose worst case does not fit (the grant
 *   would be wasted, the office would miss the sample).
 *
 * The counters live in the store (agents/plan-store-contract.ts), and a
 * grant is one conditional statement, so collectors sharing PostgreSQL plan
 * together.
 */
import {
  BYTES_PER_MB,
  HEAVY_CHECKS,
  type HeavyCheck,
  type HeavyCheckGrant,
  type MeasurementPlanAnswer,
  type ServiceProfile,
  type TrafficBudgetPolicy,
  utcDay,
} from '@netinsights/protocol';
import type { Store } from '../store/contract.ts';
import type { PlanDeviceKey } from './plan-store-contract.ts';

const DAY_SECONDS = 86_400;

/** Who asks, for which run. */
export interface PlanRequest {
  tenantId: string;
  /** `office:<id>` or `net:<prefix>` (see planningUnit). */
  unit: string;
  deviceId: string;
  now: Date;
  profile: ServiceProfile;
  budget: TrafficBudgetPolicy;
  /** The organisation's interval: another device counts as present if it asked within two of them. */
  intervalSeconds: number;
  /** What the agent's own daily cap has left, in bytes, when it said. */
  trafficLeftBytes?: number;
  /** Hosts the agent's sweep will dial (agents/sweep-size.ts); the protocol's default guess when absent. */
  sweepHosts?: number;
}

/**
 * The planning unit of an agent: the office its token is bound to, else the
 * office it says it is in, else its network as the collector sees it (a /24
 * or a /48: one site's egress), so unmapped agents on one network share a
 * quota instead of each taking a full one.
 */
export function planningUnit(tokenOffice: string | null, saidOffice: string | undefined, ip: string): string {
  if (tokenOffice) return `office:${tokenOffice}`;
  if (saidOffice) return `office:${saidOffice.slice(0, 128)}`;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `net:${v4[1]}.0/24`;
  return `net:${ip.split(':').slice(0, 3).join(':')}::/48`;
}

/** Samples a unit may have been granted by this second of the UTC day. */
export function allowedByNow(samplesPerDay: number, secondsIntoDay: number): number {
  return Math.min(samplesPerDay, Math.floor((samplesPerDay * secondsIntoDay) / DAY_SECONDS) + 1);
}

/** The shortest time between two grants of one unit: a quarter of one sample's share of the day. */
export function spacingOf(samplesPerDay: number): number {
  return DAY_SECONDS / samplesPerDay / 4;
}

/**
 * The device's own second of the day for device-planned checks: spread by a
 * hash of its id over the first half of the UTC day, so that the check is
 * due while the device's cap still has room (by evening, a device that took
 * two downloads has spent most of it on them and its light runs).
 */
export function deviceOffsetSeconds(deviceId: string, check: string): number {
  let h = 2166136261;
  for (const c of `${check}\n${deviceId}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h % (DAY_SECONDS / 2);
}

const mb = (bytes: number) => `${Math.round((bytes / BYTES_PER_MB) * 10) / 10} MB`;

/** Decides every heavy check for one run, in one transaction. */
export async function planHeavyChecks(store: Store, req: PlanRequest): Promise<MeasurementPlanAnswer> {
  const day = utcDay(req.now);
  const secondsIntoDay = (req.now.getTime() - Date.parse(`${day}T00:00:00Z`)) / 1000;
  const at = req.now.toISOString();
  const since = new Date(req.now.getTime() - 2 * req.intervalSeconds * 1000).toISOString();
  const heavyChecks: Record<string, HeavyCheckGrant> = {};
  await store.transaction(async (tx) => {
    const t = { day, secondsIntoDay, at, since };
    for (const check of HEAVY_CHECKS) {
      heavyChecks[check.name] = await grantOne(tx, check, req, t);
    }
  });
  return { day, heavyChecks, maxDailyBytes: req.budget.maxDailyMegabytes * BYTES_PER_MB };
}

type PlanTime = { day: string; secondsIntoDay: number; at: string; since: string };

const costOf = (check: HeavyCheck, req: PlanRequest) =>
  check.worstCaseBytes(req.profile, req.sweepHosts !== undefined ? { sweepHosts: req.sweepHosts } : {});

async function grantOne(
  tx: Store,
  check: HeavyCheck,
  req: PlanRequest,
  t: PlanTime,
): Promise<HeavyCheckGrant> {
  const cost = costOf(check, req);
  if (cost <= 0) return { run: false, why: 'the service profile does not measure it' };
  if (req.trafficLeftBytes !== undefined && cost > req.trafficLeftBytes)
    return {
      run: false,
      why: `this agent's daily traffic cap has ${mb(req.trafficLeftBytes)} left, and one run may take ${mb(cost)}`,
    };
  const key: PlanDeviceKey = {
    tenantId: req.tenantId,
    unit: req.unit,
    day: t.day,
    check: check.name,
    deviceId: req.deviceId,
  };
  const quota = check.quota;
  if (quota.per === 'device') {
    if (t.secondsIntoDay < deviceOffsetSeconds(req.deviceId, check.name))
      return { run: false, why: 'planned later today for this device' };
    await tx.measurementPlan.seeDevice(key, t.at);
    return (await tx.measurementPlan.takeDeviceRun(key, quota.runsPerDay))
      ? { run: true }
      : { run: false, why: `this device has run it ${quota.runsPerDay} time(s) today` };
  }
  const { samplesPerDay, minDevices } = req.budget;
  await tx.measurementPlan.seeDevice(key, t.at);
  const device = await tx.measurementPlan.deviceState(key, t.since);
  const share = Math.ceil(samplesPerDay / minDevices);
  if (device.granted >= share && device.othersSeen > 0)
    return {
      run: false,
      why: `this device gave its share today (${share}); other devices of the office take the rest`,
    };
  const allowed = allowedByNow(samplesPerDay, t.secondsIntoDay);
  const spacingSeconds = spacingOf(samplesPerDay);
  const taken = await tx.measurementPlan.takeUnitSample(key, {
    allowed,
    at: t.at,
    lastBefore: new Date(Date.parse(t.at) - spacingSeconds * 1000).toISOString(),
  });
  if (taken === undefined)
    return {
      run: false,
      why: `the office has its samples for now: ${allowed} planned by now today (${samplesPerDay} a day), at most one every ${Math.round(spacingSeconds / 60)} min`,
    };
  await tx.measurementPlan.countDeviceGrant(key);
  // The first grant of a unit's day clears its earlier days (yesterday stays, for a look back).
  if (taken === 1)
    await tx.measurementPlan.pruneBefore(
      req.tenantId,
      req.unit,
      utcDay(new Date(Date.parse(`${t.day}T00:00:00Z`) - DAY_SECONDS * 1000)),
    );
  return { run: true };
}
