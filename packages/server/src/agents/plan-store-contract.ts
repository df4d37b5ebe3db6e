/**
 * @module agents/plan-store-contract
 * The measurement plan's counters (agents/measurement-planner.ts): how many
 * samples of each heavy check a planning unit (an office, else a network)
 * was granted on a UTC day, and each device's part. Every collector on the
 * database reads and counts the same rows; `takeUnitSample` and
 * `takeDeviceRun` are single conditional statements, so concurrent claims
 * never grant past the quota. Added to `Store` by module augmentation.
 */

/** One heavy check of one unit on one UTC day. */
export interface PlanKey {
  tenantId: string;
  /** `office:<id>` or `net:<prefix>`. */
  unit: string;
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  check: string;
}

export interface PlanDeviceKey extends PlanKey {
  deviceId: string;
}

export interface MeasurementPlanRepo {
  /** Records that the device asked (its row, with nothing granted yet, is made when missing). */
  seeDevice(key: PlanDeviceKey, at: string): Promise<void>;
  /** The device's grants of the day, and how many other devices of the unit asked since `since`. */
  deviceState(key: PlanDeviceKey, since: string): Promise<{ granted: number; othersSeen: number }>;
  /**
   * Grants one sample to the unit, at `at`, if it has fewer than `allowed`
   * today and its last grant was at or before `lastBefore`; the unit's new
   * count, or undefined when it may not have another yet.
   */
  takeUnitSample(
    key: PlanKey,
    limits: { allowed: number; at: string; lastBefore: string },
  ): Promise<number | undefined>;
  /** Counts a grant to the device (after `takeUnitSample`). */
  countDeviceGrant(key: PlanDeviceKey): Promise<void>;
  /** Grants one run to the device if it had fewer than `perDay` today (the device row must exist). */
  takeDeviceRun(key: PlanDeviceKey, perDay: number): Promise<boolean>;
  /** Deletes the unit's counters of days before `day`. */
  pruneBefore(tenantId: string, unit: string, day: string): Promise<void>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    measurementPlan: MeasurementPlanRepo;
  }
}
