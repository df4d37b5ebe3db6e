/**
 * @module insights/rules/tally-rule
 * The shape of an attempt-based rule (HTTPS, WebSocket, TLS, QUIC, HTTP/2):
 * its metric is the failure share of one tally of the rollup, so the window's
 * measurement and the office charts' per-bucket series come from the same
 * tally by construction. A rule of this shape names the tally, its severity
 * and any extra evidence; `tallyRule` builds `measure` and `bucketShare`.
 */
import { estimateDevices } from '../device-sketch.ts';
import type { InsightKind, Severity } from '../kinds.ts';
import type { Rollup } from '../rollup.ts';
import { share, type Tally } from '../tally.ts';
import { affectedHostsOf, failureClassesOf } from './common.ts';
import type { InsightEvidence, InsightRule, Measurement } from './contract.ts';

/** An attempt-based rule: the contract minus its kind and what `tallyRule` derives from `tally`. */
export interface TallyRuleSpec extends Omit<InsightRule, 'kind' | 'measure' | 'bucketShare'> {
  severity: Severity;
  /** The tally of the rollup (window or bucket) this kind's metric is the failure share of. */
  tally(r: Rollup): Tally;
  /** Evidence beyond the tally's own (domains, vendor), from the window and the evidence so far. */
  evidence?(window: Rollup, base: InsightEvidence): Partial<InsightEvidence>;
}

/** The measurement every attempt-based rule produces from its tally. */
export function tallyMeasurement(t: Tally, severity: Severity): Measurement {
  const devices = estimateDevices(t.devices);
  const s = share(t);
  return {
    samples: t.attempts,
    devices,
    value: s,
    severity,
    lastProblemAt: t.lastFailureAt,
    evidence: {
      samples: t.attempts,
      devices,
      share: s,
      affectedHosts: affectedHostsOf(t),
      affectedDomains: [],
      failureClasses: failureClassesOf(t),
      exampleReportIds: [...t.examples].reverse(),
    },
  };
}

export function tallyRule(
  kind: InsightKind,
  { severity, tally, evidence, ...rule }: TallyRuleSpec,
): InsightRule {
  return {
    kind,
    ...rule,
    bucketShare({ bucket }) {
      const t = tally(bucket);
      return t.attempts ? share(t) : undefined;
    },
    measure({ window }) {
      const m = tallyMeasurement(tally(window), severity);
      if (evidence) m.evidence = { ...m.evidence, ...evidence(window, m.evidence) };
      return m;
    },
  };
}
