/** @module store/postgres/measurement-plan-repo — the measurement plan's counters on PostgreSQL (store/statements/measurement-plan.ts). */
import '../../agents/plan-store-contract.ts';
import { MEASUREMENT_PLAN } from '../statements/measurement-plan.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('measurementPlan', (db) => {
  const { pruneUnitDays, pruneDeviceDays, ...s } = db.bind(MEASUREMENT_PLAN);
  return {
    ...s,
    async pruneBefore(tenantId, unit, day) {
      await pruneUnitDays(tenantId, unit, day);
      await pruneDeviceDays(tenantId, unit, day);
    },
  };
});
