/**
 * @module assessment/queries
 * The API's reads of the recorded assessment (all tenant-scoped): each
 * office's current assessment (its newest day's row), the tenant's score —
 * the device-weighted mean of its offices — and the daily history, for the
 * tenant (each day's rows weighted the same way) or for one office. Only
 * offices that still exist count.
 */
import type { AssessmentAnswer, AssessmentDay, OfficeAssessment } from '@netinsights/protocol';
import type { OfficeRow, Store } from '../store/contract.ts';
import { dayOf } from './record-assessment.ts';
import { readAssessmentSettings } from './settings.ts';
import type { AssessmentDayRow } from './store-contract.ts';
import { tenantScore } from './tenant-score.ts';

const DAY_MS = 86_400_000;
/** Days of history the dashboard shows. */
export const HISTORY_DAYS = 30;

function parseDetail(row: AssessmentDayRow): OfficeAssessment | null {
  try {
    return JSON.parse(row.detail) as OfficeAssessment;
  } catch {
    return null;
  }
}

/** Each office's current assessment, by office id (offices never evaluated are absent). */
export async function currentAssessments(
  store: Store,
  tenantId: string,
): Promise<Map<string, OfficeAssessment>> {
  const out = new Map<string, OfficeAssessment>();
  for (const row of await store.assessment.latest(tenantId)) {
    const a = parseDetail(row);
    if (a) out.set(row.officeKey, a);
  }
  return out;
}

const fromDay = (now: Date, days: number) => dayOf(now.getTime() - (days - 1) * DAY_MS);

/** The tenant's score now and its daily history over `days` days (today included). */
export async function tenantAssessment(
  store: Store,
  tenantId: string,
  offices: readonly Pick<OfficeRow, 'id'>[],
  now: Date,
  days: number,
): Promise<AssessmentAnswer> {
  const exists = new Set(offices.map((o) => o.id));
  const [settings, current, rows] = await Promise.all([
    readAssessmentSettings(store, tenantId),
    currentAssessments(store, tenantId),
    store.assessment.tenantDays(tenantId, fromDay(now, days)),
  ]);
  const live = tenantScore([...current].filter(([id]) => exists.has(id)).map(([, a]) => a));
  const byDay = new Map<string, { score: number | null; devices: number }[]>();
  for (const r of rows) {
    if (!exists.has(r.officeKey)) continue;
    const list = byDay.get(r.day);
    if (list) list.push(r);
    else byDay.set(r.day, [r]);
  }
  const history: AssessmentDay[] = [];
  for (const [day, list] of byDay) {
    const t = tenantScore(list);
    if (t.score !== null) history.push({ day, score: t.score, offices: t.scored, devices: t.devices });
  }
  return {
    score: live.score,
    window: { days: settings.windowDays },
    offices: { scored: live.scored, total: offices.length, devices: live.devices },
    history,
  };
}

/** One office's assessment now and its daily history over `days` days. */
export async function officeAssessment(
  store: Store,
  tenantId: string,
  office: Pick<OfficeRow, 'id' | 'name'>,
  now: Date,
  days: number,
): Promise<AssessmentAnswer> {
  const [settings, rows] = await Promise.all([
    readAssessmentSettings(store, tenantId),
    store.assessment.officeDays(tenantId, office.id, fromDay(now, days)),
  ]);
  const history: AssessmentDay[] = [];
  for (const row of rows) {
    const a = parseDetail(row);
    if (!a || a.score === null) continue;
    const components: AssessmentDay['components'] = {};
    for (const [name, c] of Object.entries(a.components))
      components[name as keyof typeof components] = c.score;
    history.push({ day: row.day, score: a.score, components });
  }
  // The newest row is in the history unless the office has not been evaluated for `days` days.
  const last = rows[rows.length - 1];
  const newest = last
    ? parseDetail(last)
    : ((await currentAssessments(store, tenantId)).get(office.id) ?? null);
  return {
    score: newest?.score ?? null,
    window: { days: settings.windowDays },
    office: { id: office.id, name: office.name, assessment: newest },
    history,
  };
}
