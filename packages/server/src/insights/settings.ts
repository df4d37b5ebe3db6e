/**
 * @module insights/settings
 * Per-tenant insight settings: the rolling window, the evidence base an
 * insight needs before it opens, and per kind an on/off switch with open and
 * close thresholds (close below open gives hysteresis, so an insight does not
 * flap on noise). Each kind's defaults are its rule's (rules/<kind>.ts);
 * the settings API validates an admin's document here and gets errors that
 * name the JSON path.
 */
import {
  type InsightSettings,
  type KindSettings,
  SchemaError,
  type SchemaIssue,
} from '@netinsights/protocol';
import { INSIGHT_KINDS, type InsightKind } from './kinds.ts';
import { RULES } from './rules/index.ts';

export type { InsightSettings, KindSettings } from '@netinsights/protocol';

/**
 * Product defaults: a 24-hour window, and at least 24 samples from 2
 * devices before an insight opens, so one device alone never opens one.
 * Per kind, its rule's defaults (close thresholds there are half the open
 * ones).
 */
export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  windowHours: 24,
  minSamples: 24,
  minDevices: 2,
  kinds: Object.fromEntries(INSIGHT_KINDS.map((k) => [k, { ...RULES[k].defaults }])) as Record<
    InsightKind,
    KindSettings
  >,
};

const LIMITS = {
  windowHours: [1, 720],
  minSamples: [1, 1_000_000],
  minDevices: [1, 100_000],
} as const;

/** Integer parameters a kind may have; a kind accepts one when its rule's defaults set it. */
const KIND_PARAMETER_LIMITS = {
  distanceKm: [1, 20_000],
  minPeerOffices: [1, 1_000],
  // Below 20 ms the difference is the probe's own jitter (load-latency-facts.ts keeps no examples under it).
  addedLatencyMs: [20, 5_000],
} as const;

function isKindParameter(field: string, kind: InsightKind): field is keyof typeof KIND_PARAMETER_LIMITS {
  return (
    Object.hasOwn(KIND_PARAMETER_LIMITS, field) &&
    RULES[kind].defaults[field as keyof KindSettings] !== undefined
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function cloneDefaults(): InsightSettings {
  return structuredClone(DEFAULT_INSIGHT_SETTINGS);
}

/**
 * Validates a (possibly partial) settings document and fills what it omits
 * from the defaults. Returns the issues found (JSON pointers) and, when there
 * are none, the complete settings.
 */
export function checkInsightSettings(doc: unknown): { settings?: InsightSettings; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  const out = cloneDefaults();
  if (!isObject(doc)) return { issues: [{ path: '/', message: 'must be an object' }] };

  const integer = (path: string, v: unknown, [lo, hi]: readonly [number, number]): number | undefined => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      issues.push({ path, message: 'must be an integer' });
      return undefined;
    }
    if (v < lo || v > hi) {
      issues.push({ path, message: `must be between ${lo} and ${hi}` });
      return undefined;
    }
    return v;
  };

  for (const [key, value] of Object.entries(doc)) {
    const path = `/${escapePointer(key)}`;
    if (key === 'windowHours' || key === 'minSamples' || key === 'minDevices') {
      const n = integer(path, value, LIMITS[key]);
      if (n !== undefined) out[key] = n;
    } else if (key === 'kinds') {
      if (!isObject(value)) {
        issues.push({ path, message: 'must be an object keyed by insight kind' });
        continue;
      }
      for (const [kind, ks] of Object.entries(value)) {
        checkKind(kind, ks, `/kinds/${escapePointer(kind)}`, out, issues, integer);
      }
    } else {
      issues.push({
        path,
        message: 'is not a setting (expected windowHours, minSamples, minDevices, kinds)',
      });
    }
  }
  return issues.length ? { issues } : { settings: out, issues };
}

function checkKind(
  kind: string,
  ks: unknown,
  path: string,
  out: InsightSettings,
  issues: SchemaIssue[],
  integer: (path: string, v: unknown, range: readonly [number, number]) => number | undefined,
): void {
  if (!(INSIGHT_KINDS as readonly string[]).includes(kind)) {
    issues.push({ path, message: `is not an insight kind (expected one of ${INSIGHT_KINDS.join(', ')})` });
    return;
  }
  if (!isObject(ks)) {
    issues.push({ path, message: 'must be an object' });
    return;
  }
  const target = out.kinds[kind as InsightKind];
  const before = issues.length;
  for (const [field, v] of Object.entries(ks)) {
    const p = `${path}/${escapePointer(field)}`;
    if (field === 'enabled') {
      if (typeof v === 'boolean') target.enabled = v;
      else issues.push({ path: p, message: 'must be true or false' });
    } else if (field === 'openThreshold' || field === 'closeThreshold') {
      if (typeof v !== 'number' || !Number.isFinite(v)) issues.push({ path: p, message: 'must be a number' });
      else if (v < 0 || v > 1)
        issues.push({ path: p, message: 'must be a fraction between 0 and 1 (0.1 = 10 %)' });
      else if (field === 'openThreshold' && v === 0)
        issues.push({ path: p, message: 'must be above 0 (0 would open on every office)' });
      else target[field] = v;
    } else if (isKindParameter(field, kind as InsightKind)) {
      const n = integer(p, v, KIND_PARAMETER_LIMITS[field]);
      if (n !== undefined) target[field] = n;
    } else {
      issues.push({ path: p, message: 'is not a setting of this insight kind' });
    }
  }
  if (issues.length === before && target.closeThreshold > target.openThreshold) {
    issues.push({
      path: `${path}/closeThreshold`,
      message: `must not exceed openThreshold (${target.openThreshold}); a lower close threshold keeps the insight from flapping`,
    });
  }
}

/** Like checkInsightSettings but throws a SchemaError (→ NI_ERR_SCHEMA, 422) on any issue. */
export function parseInsightSettings(doc: unknown): InsightSettings {
  const { settings, issues } = checkInsightSettings(doc);
  if (!settings) throw new SchemaError('insight settings', issues);
  return settings;
}

/** Settings as stored may predate a kind or be missing; never fail the engine on them. */
export function effectiveSettings(stored: unknown): InsightSettings {
  if (stored === null || stored === undefined) return cloneDefaults();
  return checkInsightSettings(stored).settings ?? cloneDefaults();
}
