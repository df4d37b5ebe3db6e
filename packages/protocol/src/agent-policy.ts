/**
 * @module agent-policy
 * What an organisation's admins set centrally for all their agents, and the
 * bounds both sides enforce: the collector refuses a policy outside them,
 * and an agent refuses a `/api/v1/agent/config` answer outside them (so one
 * bad deploy cannot turn a fleet into a load test or silence it).
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  DEFAULT_MAX_DAILY_MB,
  DEFAULT_MIN_DEVICES,
  DEFAULT_SAMPLES_PER_DAY,
  MAX_DAILY_MB,
  MAX_MIN_DEVICES,
  MAX_SAMPLES_PER_DAY,
  MIN_DAILY_MB,
} from './measurement-plan.ts';
import { ServiceProfile, TenantName } from './service-profile.ts';

/** The shortest interval a collector may ask for: a fleet polling faster would be a load test. */
export const MIN_COLLECTOR_INTERVAL_SECONDS = 60;
/** One day: an agent that runs less often than that tells nobody anything. */
export const MAX_INTERVAL_SECONDS = 86_400;
/** The default schedule when nobody says otherwise: every 15 minutes. */
export const DEFAULT_INTERVAL_SECONDS = 900;
/** The longest WebSocket hold (idle-timeout checks of real gateways end well before this). */
export const MAX_WS_HOLD_SECONDS = 600;

export const AgentPolicy = Type.Object(
  {
    intervalSeconds: Type.Integer({
      minimum: MIN_COLLECTOR_INTERVAL_SECONDS,
      maximum: MAX_INTERVAL_SECONDS,
      description: 'seconds between runs, before each agent adds its jitter',
    }),
    wsHoldSeconds: Type.Union([Type.Number({ minimum: 0, maximum: MAX_WS_HOLD_SECONDS }), Type.Null()], {
      description: 'how long the WebSocket check holds the connection; null: what the profile says',
    }),
    profile: Type.Union([ServiceProfile, Type.Null()], {
      description: 'the service profile agents measure; null: the shipped Microsoft 365 profile',
    }),
    trafficBudget: Type.Optional(
      Type.Object(
        {
          maxDailyMegabytes: Type.Integer({
            minimum: MIN_DAILY_MB,
            maximum: MAX_DAILY_MB,
            description: `each agent's cap on measurement traffic per UTC day, MB (10^6 bytes) sent and received; default ${DEFAULT_MAX_DAILY_MB}`,
          }),
          samplesPerDay: Type.Integer({
            minimum: 1,
            maximum: MAX_SAMPLES_PER_DAY,
            description: `samples of each office-planned heavy check (throughput, Teams media) per office and UTC day; default ${DEFAULT_SAMPLES_PER_DAY}`,
          }),
          minDevices: Type.Integer({
            minimum: 1,
            maximum: MAX_MIN_DEVICES,
            description: `devices those samples should come from, when the office has them; default ${DEFAULT_MIN_DEVICES}`,
          }),
        },
        { additionalProperties: false },
      ),
    ),
    tenantName: Type.Optional(
      Type.Union([TenantName, Type.Null()], {
        description:
          "the organisation's SharePoint tenant name (NAME.sharepoint.com), put into the profile's workload hosts; null or absent: the profile's own, else those hosts are not tested",
      }),
    ),
    // Optional so that policies stored before it existed still read.
    downloadUrl: Type.Optional(
      Type.Union([Type.String({ pattern: '^https://', maxLength: 2048 }), Type.Null()], {
        description:
          "the file the throughput check downloads, replacing the profile's throughput.url: a large file on the organisation's own tenant (a SharePoint or OneDrive link that answers without sign-in); null: what the profile says",
      }),
    ),
    reportIdentity: Type.Optional(
      Type.Boolean({
        description:
          "agents put the machine's hostname and OS user into each report (absent or false: they do not)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type AgentPolicy = Static<typeof AgentPolicy>;
export type TrafficBudgetPolicy = NonNullable<AgentPolicy['trafficBudget']>;

/** The budget when the policy sets none. */
export const DEFAULT_TRAFFIC_BUDGET: TrafficBudgetPolicy = {
  maxDailyMegabytes: DEFAULT_MAX_DAILY_MB,
  samplesPerDay: DEFAULT_SAMPLES_PER_DAY,
  minDevices: DEFAULT_MIN_DEVICES,
};

export const DEFAULT_AGENT_POLICY: AgentPolicy = {
  intervalSeconds: DEFAULT_INTERVAL_SECONDS,
  wsHoldSeconds: null,
  profile: null,
  downloadUrl: null,
};
