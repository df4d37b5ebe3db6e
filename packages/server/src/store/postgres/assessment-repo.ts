/** @module store/postgres/assessment-repo — the daily network assessment per office on PostgreSQL (store/statements/assessment.ts). */
import { ASSESSMENT } from '../statements/assessment.ts';
import { defineRepository } from './repository.ts';

export const repository = defineRepository('assessment', (db) => {
  const { areaByCity, areaByCountry, ...rest } = db.bind(ASSESSMENT);
  return {
    ...rest,
    areaScores: (level, areaKey, fromDay, excludeTenantId) =>
      (level === 'city' ? areaByCity : areaByCountry)(areaKey, fromDay, excludeTenantId),
  };
});
