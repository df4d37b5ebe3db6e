/**
 * @module insights/lifecycle
 * The same state machine for every kind: an insight opens when the metric
 * reaches the open threshold on a sufficient evidence base (minimum samples
 * and devices), stays active while it is at or above the lower close
 * threshold (hysteresis: values between the two thresholds change nothing, so
 * noise around one threshold cannot make it flap), and resolves when the
 * metric drops below the close threshold, when the office sends nothing in
 * the window (it went quiet), or when the admin disables the kind. A resolved
 * insight that crosses the open threshold again is reopened, not duplicated.
 * Every transition yields an event; the caller stores it with the new state
 * in one transaction. Turning a kind off closes its insights with a
 * `disabled` event, and the first evaluation after turning it on again opens
 * one still over the threshold with an `enabled` event: the network did not
 * change, so neither pages ("resolved" / "reopened" would).
 */
import type { InsightEventType, InsightKind, Severity } from './kinds.ts';
import { pct } from './rules/common.ts';
import type { InsightEvidence, Measurement } from './rules/contract.ts';

/** The stored state of one insight (one per tenant × office × kind). */
export interface InsightState {
  id: string;
  kind: InsightKind;
  status: 'active' | 'resolved';
  severity: Severity;
  /** Metric value at the last evaluation that saw samples. */
  value: number;
  /** Open threshold in force at the last evaluation. */
  threshold: number;
  evidence: InsightEvidence;
  /** Epoch ms. */
  firstDetectedAt: number;
  lastSeenAt: number;
  resolvedAt: number | null;
  updatedAt: number;
  /** What the last event reported, to tell a real change from a refresh (see fingerprint). */
  fingerprint: string;
}

export interface LifecycleEvent {
  type: InsightEventType;
  at: number;
  summary: string;
}

export interface Thresholds {
  enabled: boolean;
  openThreshold: number;
  closeThreshold: number;
  minSamples: number;
  minDevices: number;
}

export interface Decision {
  /** The state to store, or null when nothing is stored for this kind (no insight, none needed). */
  state: InsightState | null;
  /** Whether `state` differs from the previous one and must be written. */
  changed: boolean;
  events: LifecycleEvent[];
}

/** A metric move (absolute, 0.1 = 10 points) since the last event that is worth an "updated" event. */
export const UPDATE_STEP = 0.1;

/**
 * What an "updated" event is about: severity, the worst hosts, the domains,
 * the vendor and the leading failure class (categorical), plus the metric
 * value at the last event. A refresh that changes none of the categories and
 * moves the metric less than UPDATE_STEP from the value last announced
 * updates the stored evidence without an event, so notifications are not sent
 * for every report, and a value hovering around a round number cannot
 * produce a stream of events.
 */
export function fingerprint(m: Measurement): string {
  const e = m.evidence;
  const categories = JSON.stringify([
    m.severity,
    e.affectedHosts
      .slice(0, 5)
      .map((h) => h.host)
      .sort(),
    e.affectedDomains,
    e.vendor ?? null,
    e.failureClasses[0]?.code ?? null,
  ]);
  return JSON.stringify({ c: categories, v: m.value });
}

/**
 * An insight closed because its kind was turned off carries this mark in its
 * fingerprint until the next evaluation with the kind on, which then says
 * `enabled` rather than `reopened`. (The fingerprint is only compared while
 * an insight is active, and replaced when it opens again.)
 */
const OFF_MARK = 'off:';
const markedOff = (fp: string) => fp.startsWith(OFF_MARK);
const DISABLED_SUMMARY = 'Closed: this insight kind was disabled in the settings.';

/** Whether `m` differs enough from what the fingerprint `prev` announced. */
function worthAnEvent(prev: string, m: Measurement): boolean {
  let last: { c?: string; v?: number };
  try {
    last = JSON.parse(prev) as { c?: string; v?: number };
  } catch {
    return true;
  }
  const now = JSON.parse(fingerprint(m)) as { c: string; v: number };
  return last.c !== now.c || typeof last.v !== 'number' || Math.abs(now.v - last.v) >= UPDATE_STEP;
}

function summarize(type: InsightEventType, m: Measurement, t: Thresholds): string {
  const base = `${pct(m.value)} over ${m.samples} samples from ${m.devices} device${m.devices === 1 ? '' : 's'}`;
  switch (type) {
    case 'opened':
      return `Opened: ${base} (opens at ${pct(t.openThreshold)}).`;
    case 'reopened':
      return `Reopened: ${base} (opens at ${pct(t.openThreshold)}).`;
    case 'updated':
      return `Changed: ${base}.`;
    case 'resolved':
      return `Resolved: ${base}, below the close threshold of ${pct(t.closeThreshold)}.`;
    case 'enabled':
      return `Kind turned on again: ${base} (opens at ${pct(t.openThreshold)}).`;
    case 'disabled':
      return DISABLED_SUMMARY;
  }
}

/** What an "updated" event says changed, compared with what the previous event announced. */
function describeChange(prevFingerprint: string, m: Measurement): string {
  let prev: { c?: string; v?: number };
  try {
    prev = JSON.parse(prevFingerprint) as { c?: string; v?: number };
  } catch {
    prev = {};
  }
  let before: unknown[] = [];
  try {
    before = JSON.parse(prev.c ?? '[]') as unknown[];
  } catch {
    before = [];
  }
  const [severity, hosts, , vendor, topCode] = before as [string?, string[]?, string[]?, string?, string?];
  const e = m.evidence;
  const parts: string[] = [];
  parts.push(
    typeof prev.v === 'number' && Math.abs(prev.v - m.value) >= UPDATE_STEP
      ? `${pct(m.value)} (was ${pct(prev.v)}) over ${m.samples} samples from ${m.devices} device${m.devices === 1 ? '' : 's'}`
      : `${pct(m.value)} over ${m.samples} samples from ${m.devices} device${m.devices === 1 ? '' : 's'}`,
  );
  const code = e.failureClasses[0]?.code;
  if (code && topCode !== undefined && code !== topCode) parts.push(`most failures are now ${code}`);
  if (e.vendor && vendor !== undefined && e.vendor !== vendor) parts.push(`interceptor now ${e.vendor}`);
  const added = e.affectedHosts.slice(0, 5).filter((h) => !(hosts ?? []).includes(h.host));
  if (hosts && added.length) parts.push(`now also ${added.map((h) => h.host).join(', ')}`);
  if (severity && severity !== m.severity) parts.push(`severity ${severity} → ${m.severity}`);
  return `Changed: ${parts.join('; ')}.`;
}

/**
 * Decides the next state of one insight from the previous state and this
 * evaluation's measurement (null when the kind cannot be measured, e.g. no
 * peers). `newId` is called only when a new insight opens.
 */
export function decide(
  prev: InsightState | null,
  m: Measurement | null,
  t: Thresholds,
  now: number,
  kind: InsightKind,
  newId: () => string,
): Decision {
  const hasSamples = m !== null && m.samples > 0;
  const sufficient = m !== null && m.samples >= t.minSamples && m.devices >= t.minDevices;

  if (prev === null || prev.status === 'resolved') {
    const wasOff = prev !== null && markedOff(prev.fingerprint);
    if (!t.enabled || !sufficient || m.value < t.openThreshold) {
      // On again but not over the threshold: forget the mark, so a later crossing pages as "reopened".
      if (t.enabled && wasOff)
        return {
          state: { ...prev, fingerprint: prev.fingerprint.slice(OFF_MARK.length) },
          changed: true,
          events: [],
        };
      return { state: prev, changed: false, events: [] };
    }
    const type: InsightEventType = wasOff ? 'enabled' : prev ? 'reopened' : 'opened';
    const state: InsightState = {
      id: prev?.id ?? newId(),
      kind,
      status: 'active',
      severity: m.severity,
      value: m.value,
      threshold: t.openThreshold,
      evidence: m.evidence,
      firstDetectedAt: prev?.firstDetectedAt ?? now,
      lastSeenAt: m.lastProblemAt ?? now,
      resolvedAt: null,
      updatedAt: now,
      fingerprint: fingerprint(m),
    };
    return { state, changed: true, events: [{ type, at: now, summary: summarize(type, m, t) }] };
  }

  // Active from here on.
  const resolve = (summary: string, mm: Measurement | null): Decision => ({
    state: {
      ...prev,
      status: 'resolved',
      resolvedAt: now,
      updatedAt: now,
      ...(mm ? { value: mm.value, evidence: mm.evidence, threshold: t.openThreshold } : {}),
    },
    changed: true,
    events: [{ type: 'resolved', at: now, summary }],
  });
  if (!t.enabled)
    return {
      state: {
        ...prev,
        status: 'resolved',
        resolvedAt: now,
        updatedAt: now,
        fingerprint: `${OFF_MARK}${prev.fingerprint}`,
      },
      changed: true,
      events: [{ type: 'disabled', at: now, summary: DISABLED_SUMMARY }],
    };
  if (!hasSamples)
    return resolve(
      m === null
        ? 'Resolved: the measurement is no longer possible (office location or peers missing).'
        : 'Resolved: no measurements in the window; the office went quiet.',
      null,
    );
  if (m.value < t.closeThreshold) return resolve(summarize('resolved', m, t), m);

  const announce = worthAnEvent(prev.fingerprint, m);
  const state: InsightState = {
    ...prev,
    severity: m.severity,
    value: m.value,
    threshold: t.openThreshold,
    evidence: m.evidence,
    lastSeenAt: Math.max(prev.lastSeenAt, m.lastProblemAt ?? prev.lastSeenAt),
    updatedAt: now,
    // Keep the last announced fingerprint until there is something new to announce.
    fingerprint: announce ? fingerprint(m) : prev.fingerprint,
  };
  const events: LifecycleEvent[] = announce
    ? [{ type: 'updated', at: now, summary: describeChange(prev.fingerprint, m) }]
    : [];
  return { state, changed: true, events };
}

/** The thresholds in force for one kind under a tenant's settings. */
export function thresholdsFor(
  settings: {
    minSamples: number;
    minDevices: number;
    kinds: Record<InsightKind, { enabled: boolean; openThreshold: number; closeThreshold: number }>;
  },
  kind: InsightKind,
): Thresholds {
  const k = settings.kinds[kind];
  return {
    enabled: k.enabled,
    openThreshold: k.openThreshold,
    closeThreshold: k.closeThreshold,
    minSamples: settings.minSamples,
    minDevices: settings.minDevices,
  };
}
