/**
 * @module agent-hosts
 * Which hosts an organisation's agents may be pointed at. A custom service
 * profile makes every agent of the organisation connect to the hosts it
 * names, so whoever can change the profile (an admin, or any read-write API
 * token) could turn the fleet against internal hosts or a third party. The
 * collector therefore accepts a profile only when every host it names is a
 * Microsoft 365 endpoint (the catalog and the shipped profile) or on this
 * list, and only an owner, signed in, can change the list.
 */
import { type Static, Type } from '@sinclair/typebox';

/** More than any real organisation's test targets, few enough to check every profile against. */
export const MAX_AGENT_HOST_PATTERNS = 200;

export const AgentHostsPolicy = Type.Object(
  {
    allowed: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      maxItems: MAX_AGENT_HOST_PATTERNS,
      description:
        'host names or wildcards (e.g. "*.corp.example", "proxytest.corp.example") a custom profile may name beyond the Microsoft 365 endpoints',
    }),
  },
  { additionalProperties: false },
);
export type AgentHostsPolicy = Static<typeof AgentHostsPolicy>;

export const DEFAULT_AGENT_HOSTS_POLICY: AgentHostsPolicy = { allowed: [] };
