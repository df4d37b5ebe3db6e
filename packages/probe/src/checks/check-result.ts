/**
 * @module check-result
 * The slots a run plans (one per check id) and the helpers that turn a
 * phase's outcome into a CheckResult. Planning slots up front is what lets
 * the run deadline fill in `probe/deadline` for anything still pending.
 */
import type { CheckKind, CheckResult, NetworkPath, Outcome, Target } from '@netinsights/protocol';
import { fail } from '@netinsights/protocol';

export interface Slot {
  id: string;
  kind: CheckKind;
  target: Target;
  path: NetworkPath;
}

export type Emit = (result: CheckResult) => void;

export function checkId(kind: CheckKind, host: string, port: number): string {
  return port === 443 ? `${kind}:${host}` : `${kind}:${host}:${port}`;
}

const MAX_MESSAGE = 2000;

export function clipOutcome(outcome: Outcome): Outcome {
  return outcome.status === 'fail' && outcome.message.length > MAX_MESSAGE
    ? { ...outcome, message: `${outcome.message.slice(0, MAX_MESSAGE - 1)}…` }
    : outcome;
}

/** Starts the clock of a check; `finish` builds its result. */
export function begin(slot: Slot) {
  const startedAt = new Date().toISOString();
  const start = performance.now();
  return (
    outcome: Outcome,
    extra: Partial<Omit<CheckResult, 'id' | 'kind' | 'target' | 'path' | 'outcome'>> = {},
  ): CheckResult => ({
    id: slot.id,
    kind: slot.kind,
    target: slot.target,
    path: slot.path,
    outcome: clipOutcome(outcome),
    startedAt,
    durationMs: Math.round((performance.now() - start) * 10) / 10,
    ...extra,
  });
}

/** The result of a check that was not run because an earlier phase failed. */
export function skipped(slot: Slot, because: Outcome): CheckResult {
  const why = because.status === 'fail' ? `${because.layer}/${because.class}` : 'an earlier failure';
  return begin(slot)(fail('probe', 'skipped', `not run: ${slot.target.host} already failed at ${why}`));
}
