/** @module store/statements/measurement-plan — the measurement plan's counters (agents/plan-store-contract.ts); both dialects. */
import type { PlanDeviceKey, PlanKey } from '../../agents/plan-store-contract.ts';
import { changed, exec, first } from '../shared/statement.ts';

export const MEASUREMENT_PLAN = {
  seeDevice: exec(
    `INSERT INTO plan_device_days AS d (tenant_id, unit, day, check_name, device_id, granted, seen_at)
     VALUES ($tenantId, $unit, $day, $check, $deviceId, 0, $at)
     ON CONFLICT (tenant_id, unit, day, check_name, device_id) DO UPDATE SET seen_at = $at`,
    (k: PlanDeviceKey, at: string) => ({ ...k, at }),
  ),
  deviceState: first(
    `SELECT
       coalesce(max(CASE WHEN device_id = $deviceId THEN granted END), 0) AS granted,
       count(CASE WHEN device_id <> $deviceId AND seen_at >= $since THEN 1 END) AS others
     FROM plan_device_days
     WHERE tenant_id = $tenantId AND unit = $unit AND day = $day AND check_name = $check`,
    (k: PlanDeviceKey, since: string) => ({ ...k, since }),
    (r) => ({ granted: Number(r?.granted ?? 0), othersSeen: Number(r?.others ?? 0) }),
  ),
  // One statement: the row is created with the first grant, or counted up only while under the
  // quota. On PostgreSQL the conflicting row is locked and the WHERE re-read after a concurrent
  // grant commits, so two collectors never both take the last sample.
  takeUnitSample: first(
    `INSERT INTO plan_unit_days AS p (tenant_id, unit, day, check_name, granted, last_granted_at)
     VALUES ($tenantId, $unit, $day, $check, 1, $at)
     ON CONFLICT (tenant_id, unit, day, check_name) DO UPDATE SET granted = p.granted + 1, last_granted_at = $at
     WHERE p.granted < $allowed AND p.last_granted_at <= $lastBefore
     RETURNING granted`,
    (k: PlanKey, limits: { allowed: number; at: string; lastBefore: string }) => ({ ...k, ...limits }),
    (r) => (r === undefined ? undefined : Number(r.granted)),
  ),
  countDeviceGrant: exec(
    `UPDATE plan_device_days SET granted = granted + 1
     WHERE tenant_id = $tenantId AND unit = $unit AND day = $day AND check_name = $check AND device_id = $deviceId`,
    (k: PlanDeviceKey) => k,
  ),
  takeDeviceRun: changed(
    `UPDATE plan_device_days SET granted = granted + 1
     WHERE tenant_id = $tenantId AND unit = $unit AND day = $day AND check_name = $check AND device_id = $deviceId
       AND granted < $perDay`,
    (k: PlanDeviceKey, perDay: number) => ({ ...k, perDay }),
  ),
  pruneUnitDays: exec(
    'DELETE FROM plan_unit_days WHERE tenant_id = $tenantId AND unit = $unit AND day < $day',
    (tenantId: string, unit: string, day: string) => ({ tenantId, unit, day }),
  ),
  pruneDeviceDays: exec(
    'DELETE FROM plan_device_days WHERE tenant_id = $tenantId AND unit = $unit AND day < $day',
    (tenantId: string, unit: string, day: string) => ({ tenantId, unit, day }),
  ),
};
