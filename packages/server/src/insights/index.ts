/**
 * @module insights
 * The insight engine: per tenant × office rolling-window insights from probe
 * reports. The server loads `createInsightsHook()` (see ../insights-hook.ts):
 * the collector calls `onReportStored` inside each report's transaction and
 * `evaluateAll` on a timer; the API routes call the read functions.
 *
 * Pipeline: observation.ts (report → facts) → rollup.ts (hour buckets) →
 * rules/<kind>.ts (measure + words) → lifecycle.ts (open / update / resolve /
 * reopen) → engine.ts (store, events, schedule) → api-insight.ts (API shape).
 */
import type { InsightsHook } from '../insights-hook.ts';
import { InsightEngine, type InsightEngineOptions, observeReport } from './engine.ts';
import { getInsight, listInsights, officeMetrics } from './queries.ts';

export { type ApiInsight, type ApiInsightEvent, toApiInsight, toApiInsightEvent } from './api-insight.ts';
export { type EvaluationResult, InsightEngine, SETTINGS_KEY } from './engine.ts';
export { INSIGHT_KINDS, type InsightKind } from './kinds.ts';
export { getInsight, listInsights, officeMetrics } from './queries.ts';
export {
  checkInsightSettings,
  DEFAULT_INSIGHT_SETTINGS,
  type InsightSettings,
  parseInsightSettings,
} from './settings.ts';
export type { InsightEventRow, InsightsRepo } from './store-contract.ts';

/** The hook the server plugs in (insights-hook.ts `loadInsightsHook`). */
export function createInsightsHook(
  opts: InsightEngineOptions = {},
): InsightsHook & { engine: InsightEngine } {
  const engine = new InsightEngine(opts);
  // A timer tick that fires while the previous run is still going joins it instead of racing it.
  let running: Promise<void> | undefined;
  return {
    engine,
    prepare: observeReport,
    onReportStored: (tx, event) => engine.record(tx, event),
    onLocationAdopted: (tx, tenantId, discoveredId, officeId, now) =>
      engine.adoptLocation(tx, tenantId, `discovered:${discoveredId}`, officeId, now.getTime()),
    evaluateAll: (store, now) => {
      running ??= engine
        .evaluateDue(store, now.getTime())
        .then((result) => {
          // Every other office was evaluated; the failed ones stay due and are retried next time.
          // Rejecting makes the server log it (it has no other way to hear about it).
          if (result.failures.length === 0) return;
          const first = result.failures
            .slice(0, 3)
            .map((f) => `${f.tenantId}/${f.officeKey}: ${f.error}`)
            .join('; ');
          throw new Error(
            `insight evaluation failed for ${result.failures.length} office(s) (${first}); they will be retried`,
          );
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    listInsights,
    getInsight,
    officeMetrics,
  };
}
