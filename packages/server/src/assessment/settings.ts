/**
 * @module assessment/settings
 * The tenant's assessment settings (GET/PUT /api/v1/settings/assessment):
 * the window the score looks back over — 3 days by default, as Microsoft's
 * network assessment — and how many days of daily history are kept (long by
 * default: 400 days, so this month can be compared with the same month last
 * year). A partial document keeps the defaults for what it omits; problems
 * are reported with their JSON path.
 */
import type { AssessmentSettings, SchemaIssue } from '@netinsights/protocol';
import type { Store } from '../store/contract.ts';

/** The settings key (store.settings). */
export const ASSESSMENT_SETTINGS_KEY = 'assessment';

export const DEFAULT_ASSESSMENT_SETTINGS: AssessmentSettings = { windowDays: 3, retentionDays: 400 };

/**
 * windowDays ≤ 30: hour rollups are kept 31 days (insights/engine.ts), so a
 * longer window would silently read less than it says. retentionDays ≥ 30:
 * the dashboard shows 30 days of history.
 */
export const ASSESSMENT_LIMITS = {
  windowDays: [1, 30],
  retentionDays: [30, 3650],
} as const satisfies Record<keyof AssessmentSettings, readonly [number, number]>;

const FIELDS = Object.keys(ASSESSMENT_LIMITS) as (keyof AssessmentSettings)[];

/** A complete, checked document, or the problems with their JSON paths. */
export function checkAssessmentSettings(value: unknown): {
  settings?: AssessmentSettings;
  issues: SchemaIssue[];
} {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      issues: [{ path: '/', message: 'must be an object like {"windowDays": 3, "retentionDays": 400}' }],
    };
  const out: AssessmentSettings = { ...DEFAULT_ASSESSMENT_SETTINGS };
  const issues: SchemaIssue[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = FIELDS.find((f) => f === key);
    if (!field) {
      issues.push({ path: `/${key}`, message: `is not a setting (expected ${FIELDS.join(', ')})` });
      continue;
    }
    const [lo, hi] = ASSESSMENT_LIMITS[field];
    if (typeof v !== 'number' || !Number.isInteger(v))
      issues.push({ path: `/${key}`, message: 'must be an integer' });
    else if (v < lo || v > hi) issues.push({ path: `/${key}`, message: `must be between ${lo} and ${hi}` });
    else out[field] = v;
  }
  return issues.length ? { issues } : { settings: out, issues };
}

/** The tenant's settings; a stored document this version cannot read falls back to the defaults. */
export async function readAssessmentSettings(store: Store, tenantId: string): Promise<AssessmentSettings> {
  const stored = await store.settings.get(tenantId, ASSESSMENT_SETTINGS_KEY);
  if (stored === null || stored === undefined) return { ...DEFAULT_ASSESSMENT_SETTINGS };
  return checkAssessmentSettings(stored).settings ?? { ...DEFAULT_ASSESSMENT_SETTINGS };
}
