/**
 * The shared rule suite: every insight kind goes through the same lifecycle
 * cases (evidence base, open, hysteresis, resolve when healthy or quiet,
 * reopen, disable, custom thresholds, API shape), fed with real reports from
 * its fixture. `FIXTURES` is a `Record<InsightKind, RuleFixture>`, so a new
 * kind cannot compile without a fixture, and then is held to all of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type StoredInsight, toApiInsight } from '../../src/insights/api-insight.ts';
import { INSIGHT_KINDS, type InsightKind } from '../../src/insights/kinds.ts';
import { decide, type InsightState, thresholdsFor } from '../../src/insights/lifecycle.ts';
import { type ObserveInput, observe } from '../../src/insights/observation.ts';
import { addObservation, emptyRollup } from '../../src/insights/rollup.ts';
import { RULES } from '../../src/insights/rules/index.ts';
import {
  DEFAULT_INSIGHT_SETTINGS,
  type InsightSettings,
  parseInsightSettings,
} from '../../src/insights/settings.ts';
import { FIXTURES, type RuleFixture } from './helpers/rule-fixtures.ts';

const T0 = Date.parse('2026-11-23T08:00:00Z');
const HOUR = 3_600_000;

function evaluate(
  f: RuleFixture,
  inputs: ObserveInput[],
  prev: InsightState | null,
  now: number,
  settings: InsightSettings = DEFAULT_INSIGHT_SETTINGS,
) {
  const window = emptyRollup();
  for (const i of inputs) addObservation(window, observe(i));
  const m = RULES[f.kind].measure({
    window,
    office: f.office,
    peers: f.peers,
    frontDoors: f.frontDoors ?? null,
    settings,
    kind: settings.kinds[f.kind],
  });
  let n = 0;
  return {
    m,
    ...decide(prev, m, thresholdsFor(settings, f.kind), now, f.kind, () => `ins-${f.kind}-${++n}`),
  };
}

function stored(state: InsightState, kind: InsightKind): StoredInsight {
  return { ...state, kind, tenantId: 't1', officeKey: 'office-1', windowHours: 24 };
}

describe('rule fixtures', () => {
  it('one fixture and one rule per kind of the table, each listed under its own kind', () => {
    assert.deepEqual(Object.keys(FIXTURES).sort(), [...INSIGHT_KINDS].sort());
    assert.deepEqual(Object.keys(RULES).sort(), [...INSIGHT_KINDS].sort());
    for (const [kind, f] of Object.entries(FIXTURES)) assert.equal(f.kind, kind);
    for (const [kind, r] of Object.entries(RULES)) assert.equal(r.kind, kind);
  });
});

for (const f of Object.values(FIXTURES)) {
  describe(`rule ${f.kind}: shared lifecycle`, () => {
    const broken = f.inputs('broken', 40, 4, T0);

    it('opens on a broken office with enough samples and devices, with evidence', () => {
      const d = evaluate(f, broken, null, T0 + HOUR);
      assert.equal(d.events.length, 1);
      assert.equal(d.events[0]?.type, 'opened');
      assert.equal(d.state?.status, 'active');
      assert.ok(d.state!.value >= DEFAULT_INSIGHT_SETTINGS.kinds[f.kind].openThreshold);
      assert.equal(d.state?.evidence.samples, 40);
      assert.equal(d.state?.evidence.devices, 4);
      assert.equal(d.state?.firstDetectedAt, T0 + HOUR);
    });

    it('does not open below the minimum samples', () => {
      const d = evaluate(f, f.inputs('broken', 23, 4, T0), null, T0 + HOUR);
      assert.equal(d.state, null);
      assert.deepEqual(d.events, []);
    });

    it('does not open on evidence from a single device', () => {
      const d = evaluate(f, f.inputs('broken', 40, 1, T0), null, T0 + HOUR);
      assert.equal(d.state, null);
    });

    it('does not open on a healthy office', () => {
      assert.equal(evaluate(f, f.inputs('healthy', 40, 4, T0), null, T0 + HOUR).state, null);
    });

    it('hysteresis: between the close and open thresholds an active insight stays, and none opens', () => {
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const between = f.inputs('between', 40, 4, T0);
      const kept = evaluate(f, between, opened, T0 + 2 * HOUR);
      assert.equal(kept.state?.status, 'active');
      assert.ok(!kept.events.some((e) => e.type === 'resolved'));
      assert.equal(evaluate(f, between, null, T0 + 2 * HOUR).state, null);
    });

    it('resolves when the metric falls below the close threshold', () => {
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const d = evaluate(f, f.inputs('healthy', 40, 4, T0), opened, T0 + 3 * HOUR);
      assert.equal(d.state?.status, 'resolved');
      assert.equal(d.state?.resolvedAt, T0 + 3 * HOUR);
      assert.deepEqual(
        d.events.map((e) => e.type),
        ['resolved'],
      );
    });

    it('resolves when the office goes quiet (no samples in the window)', () => {
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const d = evaluate(f, [], opened, T0 + 30 * HOUR);
      assert.equal(d.state?.status, 'resolved');
      assert.ok(/quiet|no longer possible/.test(d.events[0]?.summary ?? ''));
    });

    it('reopens the same insight when the problem returns', () => {
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const resolved = evaluate(f, f.inputs('healthy', 40, 4, T0), opened, T0 + 3 * HOUR).state!;
      const again = evaluate(f, f.inputs('broken', 40, 4, T0 + 48 * HOUR), resolved, T0 + 50 * HOUR);
      assert.equal(again.state?.id, opened.id);
      assert.equal(again.state?.status, 'active');
      assert.equal(again.state?.resolvedAt, null);
      assert.equal(again.state?.firstDetectedAt, opened.firstDetectedAt);
      assert.deepEqual(
        again.events.map((e) => e.type),
        ['reopened'],
      );
    });

    it('a refresh without a real change updates the evidence but emits no event', () => {
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const d = evaluate(f, broken, opened, T0 + HOUR + 60_000);
      assert.equal(d.changed, true);
      assert.deepEqual(d.events, []);
      assert.equal(d.state?.updatedAt, T0 + HOUR + 60_000);
    });

    it('a disabled kind never opens, and disabling resolves an active insight', () => {
      const off = parseInsightSettings({ kinds: { [f.kind]: { enabled: false } } });
      assert.equal(evaluate(f, broken, null, T0 + HOUR, off).state, null);
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const d = evaluate(f, broken, opened, T0 + 2 * HOUR, off);
      assert.equal(d.state?.status, 'resolved');
      assert.match(d.events[0]?.summary ?? '', /disabled/);
    });

    it('turning a kind off and on says "disabled" / "enabled", never "resolved" / "reopened" (they paged)', () => {
      const off = parseInsightSettings({ kinds: { [f.kind]: { enabled: false } } });
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const closed = evaluate(f, broken, opened, T0 + 2 * HOUR, off);
      assert.deepEqual(
        closed.events.map((e) => e.type),
        ['disabled'],
      );
      assert.equal(closed.state?.status, 'resolved');
      const back = evaluate(f, broken, closed.state, T0 + 3 * HOUR);
      assert.deepEqual(
        back.events.map((e) => e.type),
        ['enabled'],
      );
      assert.equal(back.state?.status, 'active');
      // From here on the lifecycle is the usual one: a real close and reopen say so.
      const healthyAgain = evaluate(f, f.inputs('healthy', 40, 4, T0 + 3 * HOUR), back.state, T0 + 4 * HOUR);
      assert.deepEqual(
        healthyAgain.events.map((e) => e.type),
        ['resolved'],
      );
      const reopened = evaluate(f, broken, healthyAgain.state, T0 + 5 * HOUR);
      assert.deepEqual(
        reopened.events.map((e) => e.type),
        ['reopened'],
      );
    });

    it('a kind turned on again while the office is healthy forgets that it was off', () => {
      const off = parseInsightSettings({ kinds: { [f.kind]: { enabled: false } } });
      const opened = evaluate(f, broken, null, T0 + HOUR).state!;
      const closed = evaluate(f, broken, opened, T0 + 2 * HOUR, off).state!;
      const calm = evaluate(f, f.inputs('healthy', 40, 4, T0 + 2 * HOUR), closed, T0 + 3 * HOUR);
      assert.deepEqual(calm.events, []);
      assert.equal(calm.changed, true);
      const later = evaluate(f, broken, calm.state, T0 + 4 * HOUR);
      assert.deepEqual(
        later.events.map((e) => e.type),
        ['reopened'],
        'a later real crossing pages as usual',
      );
    });

    it("honours the tenant's minimum samples and devices", () => {
      const few = f.inputs('broken', 8, 1, T0);
      assert.equal(evaluate(f, few, null, T0 + HOUR).state, null);
      const lenient = parseInsightSettings({ minSamples: 5, minDevices: 1 });
      assert.equal(evaluate(f, few, null, T0 + HOUR, lenient).state?.status, 'active');
    });

    it("the per-bucket metric (office charts) is the rule's metric over the same reports", (t) => {
      const bucketShare = RULES[f.kind].bucketShare;
      if (!bucketShare) return t.skip('no per-bucket metric');
      const settings = DEFAULT_INSIGHT_SETTINGS;
      for (const level of ['healthy', 'between', 'broken'] as const) {
        const window = emptyRollup();
        for (const i of f.inputs(level, 40, 4, T0)) addObservation(window, observe(i));
        const kind = settings.kinds[f.kind];
        const m = RULES[f.kind].measure({
          window,
          office: f.office,
          peers: f.peers,
          frontDoors: f.frontDoors ?? null,
          settings,
          kind,
        });
        assert.equal(bucketShare({ bucket: window, office: f.office, kind }), m?.value, level);
      }
      assert.equal(
        bucketShare({ bucket: emptyRollup(), office: f.office, kind: settings.kinds[f.kind] }),
        undefined,
      );
    });

    it('maps to the API Insight shape with specific words and remediation links', () => {
      const state = evaluate(f, broken, null, T0 + HOUR).state!;
      const api = toApiInsight(stored(state, f.kind), 'Lisbon HQ');
      assert.equal(api.kind, f.kind);
      assert.equal(api.officeId, 'office-1');
      assert.equal(api.status, 'active');
      assert.ok(['high', 'medium', 'low'].includes(api.severity));
      assert.equal(api.firstDetectedAt, new Date(T0 + HOUR).toISOString());
      assert.equal(api.resolvedAt, null);
      assert.equal(api.metric.threshold, DEFAULT_INSIGHT_SETTINGS.kinds[f.kind].openThreshold);
      assert.ok(api.title.length > 10 && api.meaning.length > 80 && api.action.length > 80);
      const words = `${api.title}\n${api.meaning}\n${api.action}`;
      for (const re of f.mentions) assert.match(words, re);
      // A distant resolver is fixed in the DNS configuration, which no generated artifact changes.
      if (f.kind === 'distant-resolver') assert.deepEqual(api.actionLinks, []);
      else assert.ok(api.actionLinks.length > 0);
      for (const l of api.actionLinks)
        assert.match(l.href, /^\/api\/v1\/remediation\/(pac|bypass-list|firewall)\?insight=ins-/);
    });
  });
}
