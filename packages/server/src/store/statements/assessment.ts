/**
 * @module store/statements/assessment
 * The daily network assessment per office (assessment/store-contract.ts);
 * both dialects. The two area reads are the only cross-tenant ones: they
 * feed the quintile, which shows a rank, never another tenant's score.
 */
import type { AreaScore, AssessmentDayRow } from '../../assessment/store-contract.ts';
import { num, numOrNull, str, strOrNull } from '../row-decoders.ts';
import { changes, exec, many, type Row } from '../shared/statement.ts';

const toRow = (r: Row): AssessmentDayRow => ({
  tenantId: str(r.tenant_id),
  officeKey: str(r.office_key),
  day: str(r.day),
  score: numOrNull(r.score),
  devices: num(r.devices),
  cityKey: strOrNull(r.city_key),
  countryKey: strOrNull(r.country_key),
  detail: str(r.detail),
  evaluatedAt: str(r.evaluated_at),
});

const toArea = (r: Row): AreaScore => ({
  tenantId: str(r.tenant_id),
  officeKey: str(r.office_key),
  day: str(r.day),
  score: num(r.score),
});

const area = (areaKey: string, fromDay: string, tenantId: string) => ({ areaKey, fromDay, tenantId });

export const ASSESSMENT = {
  putDay: exec(
    `INSERT INTO assessment_days AS a
       (tenant_id, office_key, day, score, devices, city_key, country_key, detail, evaluated_at)
     VALUES ($tenantId, $officeKey, $day, $score, $devices, $cityKey, $countryKey, $detail, $evaluatedAt)
     ON CONFLICT (tenant_id, office_key, day) DO UPDATE SET
       score = $score, devices = $devices, city_key = $cityKey, country_key = $countryKey,
       detail = $detail, evaluated_at = $evaluatedAt`,
    (r: AssessmentDayRow) => r,
  ),
  latest: many(
    `SELECT d.* FROM assessment_days d
     WHERE d.tenant_id = $tenantId AND d.day = (
       SELECT max(m.day) FROM assessment_days m WHERE m.tenant_id = $tenantId AND m.office_key = d.office_key)`,
    (tenantId: string) => ({ tenantId }),
    toRow,
  ),
  officeDays: many(
    `SELECT * FROM assessment_days
     WHERE tenant_id = $tenantId AND office_key = $officeKey AND day >= $fromDay ORDER BY day`,
    (tenantId: string, officeKey: string, fromDay: string) => ({ tenantId, officeKey, fromDay }),
    toRow,
  ),
  tenantDays: many(
    `SELECT office_key, day, score, devices FROM assessment_days
     WHERE tenant_id = $tenantId AND day >= $fromDay ORDER BY day, office_key`,
    (tenantId: string, fromDay: string) => ({ tenantId, fromDay }),
    (r) => ({
      officeKey: str(r.office_key),
      day: str(r.day),
      score: numOrNull(r.score),
      devices: num(r.devices),
    }),
  ),
  areaByCity: many(
    `SELECT a.tenant_id, a.office_key, a.day, a.score FROM assessment_days a
     JOIN offices o ON o.tenant_id = a.tenant_id AND o.id = a.office_key
     WHERE a.city_key = $areaKey AND a.day >= $fromDay AND a.tenant_id <> $tenantId AND a.score IS NOT NULL`,
    area,
    toArea,
  ),
  areaByCountry: many(
    `SELECT a.tenant_id, a.office_key, a.day, a.score FROM assessment_days a
     JOIN offices o ON o.tenant_id = a.tenant_id AND o.id = a.office_key
     WHERE a.country_key = $areaKey AND a.day >= $fromDay AND a.tenant_id <> $tenantId AND a.score IS NOT NULL`,
    area,
    toArea,
  ),
  purgeOffice: changes(
    'DELETE FROM assessment_days WHERE tenant_id = $tenantId AND office_key = $officeKey AND day < $beforeDay',
    (tenantId: string, officeKey: string, beforeDay: string) => ({ tenantId, officeKey, beforeDay }),
  ),
};
