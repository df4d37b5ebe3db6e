/**
 * @module assessment/record-assessment
 * Records an office's network assessment where its insights are evaluated
 * (insights/engine.ts `evaluateOffice`, inside that office's transaction):
 * scores the window's buckets, places the score in its area, and writes the
 * day's row — so the history is one per office and day however many
 * collectors share the store, and the day's row always holds the day's last
 * evaluation. Rows older than the tenant's retention go in the same step.
 * Discovered locations are not scored: the score belongs to the offices an
 * admin defined (a location's history follows it when it is adopted).
 */
import type { AreaQuintile, AssessmentSettings, OfficeAssessment } from '@netinsights/protocol';
import { cityKeyOf } from '../insights/office-directory.ts';
import type { Rollup } from '../insights/rollup.ts';
import type { OfficeInfo } from '../insights/rules/contract.ts';
import type { Store } from '../store/contract.ts';
import { areaQuintile } from './area-quintile.ts';
import { scoreOffice } from './office-score.ts';
import type {} from './store-contract.ts';
import { windowFacts } from './window-facts.ts';

const DAY_MS = 86_400_000;
/** Other offices' rows this recent take part in the area comparison (a day's row, or yesterday's just after midnight). */
const AREA_DAYS = 2;

/** YYYY-MM-DD (UTC) of `ms`. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface AssessmentInput {
  tenantId: string;
  officeKey: string;
  office: OfficeInfo;
  /** The score window's hour buckets (any order). */
  buckets: readonly Rollup[];
  /** ISO start of the window's first bucket. */
  windowFrom: string;
  settings: AssessmentSettings;
  /** The tenant's raised peer floor (insight settings, peer-performance), if any. */
  minPeerOffices: number | undefined;
  now: number;
}

export function isDiscovered(officeKey: string): boolean {
  return officeKey.startsWith('discovered:');
}

async function placeInArea(
  tx: Store,
  input: AssessmentInput,
  score: number,
  keys: { city: string | null; country: string | null },
): Promise<AreaQuintile | null> {
  const fromDay = dayOf(input.now - (AREA_DAYS - 1) * DAY_MS);
  const { office, tenantId, minPeerOffices } = input;
  if (keys.city) {
    const rows = await tx.assessment.areaScores('city', keys.city, fromDay, tenantId);
    const q = areaQuintile(score, rows, { level: 'city', area: office.city ?? '', minPeerOffices });
    if (q) return q;
  }
  if (keys.country) {
    const rows = await tx.assessment.areaScores('country', keys.country, fromDay, tenantId);
    return areaQuintile(score, rows, { level: 'country', area: office.country ?? '', minPeerOffices });
  }
  return null;
}

/** Scores the office, writes the day's row and applies retention; returns the assessment (undefined when not scored). */
export async function recordAssessment(
  tx: Store,
  input: AssessmentInput,
): Promise<OfficeAssessment | undefined> {
  if (isDiscovered(input.officeKey)) return undefined;
  const { score, components, missing, devices } = scoreOffice(windowFacts(input.buckets));
  const keys = {
    city: cityKeyOf(input.office),
    country: input.office.country?.trim().toLowerCase() || null,
  };
  const area = score === null ? null : await placeInArea(tx, input, score, keys);
  const at = new Date(input.now).toISOString();
  const assessment: OfficeAssessment = {
    score,
    components,
    missing,
    window: { days: input.settings.windowDays, from: input.windowFrom, to: at },
    devices,
    area,
    evaluatedAt: at,
  };
  await tx.assessment.putDay({
    tenantId: input.tenantId,
    officeKey: input.officeKey,
    day: dayOf(input.now),
    score,
    devices,
    cityKey: keys.city,
    countryKey: keys.country,
    detail: JSON.stringify(assessment),
    evaluatedAt: at,
  });
  await tx.assessment.purgeOffice(
    input.tenantId,
    input.officeKey,
    dayOf(input.now - input.settings.retentionDays * DAY_MS),
  );
  return assessment;
}
