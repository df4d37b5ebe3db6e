/**
 * @module agent/agent-settings
 * What the collector tells an agent before each run (`GET /api/v1/agent/config`):
 * the service profile to measure, how often to run, how long to hold the
 * WebSocket. An answer is checked in full before it replaces the settings in
 * force, so one bad deploy on the collector cannot stop a fleet of agents.
 */
import {
  DEFAULT_INTERVAL_SECONDS,
  type HeavyCheckGrant,
  loadProfile,
  MAX_DAILY_MB,
  MAX_INTERVAL_SECONDS,
  MAX_WS_HOLD_SECONDS,
  type MeasurementPlanAnswer,
  MIN_COLLECTOR_INTERVAL_SECONDS,
  parseProfile,
  type ServiceProfile,
} from '@netinsights/protocol';

/** The agent's schedule and what it measures, as an admin set them centrally. */
export interface AgentSettings {
  profile: ServiceProfile;
  /** Seconds between runs (before jitter). */
  intervalSeconds: number;
  /** How long the WebSocket check holds the connection open. */
  wsHoldSeconds: number;
  /**
   * This run's heavy checks and the organisation's daily cap, when the
   * collector plans (older collectors send none). Good for the run it was
   * fetched for only: never taken from the cache.
   */
  plan?: MeasurementPlanAnswer;
  /** Put this machine's hostname and OS user into each report (the organisation's policy; default off). */
  reportIdentity: boolean;
}

/** Where the settings of one run came from. */
export type SettingsSource = 'collector' | 'memory' | 'disk-cache' | 'shipped';

/** A collector answer that is not usable settings; the message names the JSON path. */
export class AgentSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentSettingsError';
  }
}

function boundedNumber(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new AgentSettingsError(
      `${path} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return value;
}

function parsePlan(value: unknown, path: string): MeasurementPlanAnswer {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AgentSettingsError(`${path} must be an object`);
  const v = value as Record<string, unknown>;
  if (typeof v.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.day))
    throw new AgentSettingsError(`${path}/day must be a UTC day (YYYY-MM-DD), got ${JSON.stringify(v.day)}`);
  const maxDailyBytes = boundedNumber(v.maxDailyBytes, `${path}/maxDailyBytes`, 1, MAX_DAILY_MB * 1_000_000);
  const checks = v.heavyChecks;
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks))
    throw new AgentSettingsError(`${path}/heavyChecks must be an object`);
  const heavyChecks: Record<string, HeavyCheckGrant> = {};
  for (const [name, grant] of Object.entries(checks as Record<string, unknown>)) {
    const g = grant as { run?: unknown; why?: unknown } | null;
    if (typeof g !== 'object' || g === null || typeof g.run !== 'boolean')
      throw new AgentSettingsError(`${path}/heavyChecks/${name}/run must be true or false`);
    heavyChecks[name] = { run: g.run, ...(typeof g.why === 'string' ? { why: g.why.slice(0, 300) } : {}) };
  }
  return { day: v.day, maxDailyBytes, heavyChecks };
}

/** Checks a decoded `/agent/config` answer; throws AgentSettingsError saying what is wrong and where. */
export function parseAgentSettings(value: unknown, source = 'the collector'): AgentSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AgentSettingsError(`${source}: the agent config must be a JSON object`);
  const v = value as Record<string, unknown>;
  if (v.profile === undefined) throw new AgentSettingsError(`${source}: /profile is missing`);
  let profile: ServiceProfile;
  try {
    profile = parseProfile(v.profile, `${source}: /profile`);
  } catch (err) {
    throw new AgentSettingsError((err as Error).message);
  }
  // Absent from older collectors' answers: off.
  if (v.reportIdentity !== undefined && typeof v.reportIdentity !== 'boolean')
    throw new AgentSettingsError(
      `${source}: /reportIdentity must be true or false, got ${JSON.stringify(v.reportIdentity)}`,
    );
  return {
    profile,
    reportIdentity: v.reportIdentity === true,
    intervalSeconds: boundedNumber(
      v.intervalSeconds,
      `${source}: /intervalSeconds`,
      MIN_COLLECTOR_INTERVAL_SECONDS,
      MAX_INTERVAL_SECONDS,
    ),
    wsHoldSeconds: boundedNumber(v.wsHoldSeconds, `${source}: /wsHoldSeconds`, 0, MAX_WS_HOLD_SECONDS),
    ...(v.plan !== undefined ? { plan: parsePlan(v.plan, `${source}: /plan`) } : {}),
  };
}

/** The fallback when no collector answer was ever seen: the shipped `m365` profile. */
export function shippedSettings(): AgentSettings {
  const profile = loadProfile('m365');
  return {
    profile,
    intervalSeconds: DEFAULT_INTERVAL_SECONDS,
    wsHoldSeconds: profile.websocket.holdSeconds,
    reportIdentity: false,
  };
}
