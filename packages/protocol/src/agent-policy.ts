/**
 * @module agent-policy
 * What an organisation's admins set centrally for all their agents, and the
 * bounds both sides enforce: the collector refuses a policy outside them,
 * and an agent refuses a `/api/v1/agent/config` answer outside them (so one
 * bad deploy cannot turn a fleet into a load test or silence it).
 */
import { type Static, Type } from '@sinclair/typebox';
import { ServiceProfile } from './service-profile.ts';

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

export const DEFAULT_AGENT_POLICY: AgentPolicy = {
  intervalSeconds: DEFAULT_INTERVAL_SECONDS,
  wsHoldSeconds: null,
  profile: null,
};
