/**
 * @module insights/settings
 * Per-tenant insight settings: the rolling window, the evidence base an
 * insight needs before it opens, and per kind an on/off switch with open and
 * close thresholds (close below open gives hysteresis, so an insight does not
 * flap on noise). Defaults follow PRODUCT.md; the settings API validates an
 * admin's document here and gets errors that name the JSON path.
 */
import { SchemaError, type SchemaIssue } from '@netinsights/protocol';
import { INSIGHT_KINDS, type InsightKind } from './kinds.ts';

export interface KindSettings {
  enabled: boolean;
  /** The metric at or above which the insight opens (a share 0..1, or a relative gap for peer-performance). */
  openThreshold: number;
  /** An active insight resolves when the metric falls below this. */
  closeThreshold: number;
  /** backhauled-egress only: egress farther than this from the office counts as backhauled. */
  distanceKm?: number;
  /** peer-performance only: distinct other offices in the same city needed for a comparison. */
  minPeerOffices?: number;
}

/** The document GET/PUT /api/v1/settings/insights exchanges. */
export interface InsightSettings {
  windowHours: number;
  minSamples: number;
  minDevices: number;
  kinds: Record<InsightKind, KindSettings>;
}

/**
 * Product defaults. Sources: critical domains and WebSocket 10 % (PRODUCT.md
 * table); interception 30 % (seed 001, the admin center's own figure); QUIC
 * 50 %; backhaul beyond 800 km (Microsoft's 500 mi guidance). Downgrade has
 * no published figure: 30 %, the interception figure, because a downgrade is
 * nearly always the work of the same intermediating device. Close thresholds
 * are half the open ones.
 */
export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  windowHours: 24,
  minSamples: 24,
  minDevices: 2,
  kinds: {
    'critical-domain-https-failure': { enabled: true, openThreshold: 0.1, closeThreshold: 0.05 },
    'websocket-failure': { enabled: true, openThreshold: 0.1, closeThreshold: 0.05 },
    'tls-interception': { enabled: true, openThreshold: 0.3, closeThreshold: 0.15 },
    'peer-performance': { enabled: true, openThreshold: 0.1, closeThreshold: 0.05, minPeerOffices: 3 },
    'quic-blocked': { enabled: true, openThreshold: 0.5, closeThreshold: 0.25 },
    'protocol-downgrade': { enabled: true, openThreshold: 0.3, closeThreshold: 0.15 },
    'backhauled-egress': { enabled: true, openThreshold: 0.5, closeThreshold: 0.25, distanceKm: 800 },
  },
};

const LIMITS = {
  windowHours: [1, 720],
  minSamples: [1, 1_000_000],
  minDevices: [1, 100_000],
  distanceKm: [1, 20_000],
  minPeerOffices: [1, 1_000],
} as const;

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
    } else if (field === 'distanceKm' && kind === 'backhauled-egress') {
      const n = integer(p, v, LIMITS.distanceKm);
      if (n !== undefined) target.distanceKm = n;
    } else if (field === 'minPeerOffices' && kind === 'peer-performance') {
      const n = integer(p, v, LIMITS.minPeerOffices);
      if (n !== undefined) target.minPeerOffices = n;
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
