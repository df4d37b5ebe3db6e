/** @module store/sqlite/measurement-plan-repo — the measurement plan's counters on SQLite (store/statements/measurement-plan.ts). */
import '../../agents/plan-store-contract.ts';
import { MEASUREMENT_PLAN } from '../statements/measurement-plan.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('measurementPlan', (db) => {
  const { pruneUnitDays, pruneDeviceDays, ...s } = db.bind(MEASUREMENT_PLAN);
  return {
    ...s,
    pruneBefore(tenantId, unit, day) {
      pruneUnitDays(tenantId, unit, day);
      pruneDeviceDays(tenantId, unit, day);
    },
  };
});
