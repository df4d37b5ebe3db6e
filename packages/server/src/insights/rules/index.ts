/**
 * @module insights/rules
 * The registry of insight rules, one per kind of protocol's table
 * (`INSIGHT_KIND_INFO`). Adding a kind means: its entry in
 * packages/protocol/src/insight-kinds.ts (label, summary, colour), one rule
 * file here (thresholds, metric, measure, words) with its line below, and
 * its fixture in test/insights/helpers/rule-fixtures.ts, which the shared
 * rule suite (test/insights/rules.common.test.ts) runs through the
 * lifecycle cases. The table defines `InsightKind`; this registry and the
 * fixtures are `Record<InsightKind, …>`, so the compiler refuses a kind
 * without a rule or a fixture.
 */
import type { InsightKind } from '../kinds.ts';
import { backhauledEgress } from './backhauled-egress.ts';
import type { InsightRule } from './contract.ts';
import { criticalDomainHttpsFailure } from './critical-domain-https-failure.ts';
import { distantFrontDoor } from './distant-front-door.ts';
import { distantResolver } from './distant-resolver.ts';
import { latencyUnderLoad } from './latency-under-load.ts';
import { peerPerformance } from './peer-performance.ts';
import { protocolDowngrade } from './protocol-downgrade.ts';
import { quicBlocked } from './quic-blocked.ts';
import { requiredEndpoints } from './required-endpoints.ts';
import { teamsMedia } from './teams-media.ts';
import { tlsInterception } from './tls-interception.ts';
import { websocketFailure } from './websocket-failure.ts';

export const RULES: Record<InsightKind, InsightRule> = {
  'critical-domain-https-failure': criticalDomainHttpsFailure,
  'websocket-failure': websocketFailure,
  'tls-interception': tlsInterception,
  'peer-performance': peerPerformance,
  'quic-blocked': quicBlocked,
  'protocol-downgrade': protocolDowngrade,
  'backhauled-egress': backhauledEgress,
  'teams-media': teamsMedia,
  'required-endpoints': requiredEndpoints,
  'distant-resolver': distantResolver,
  'distant-front-door': distantFrontDoor,
  'latency-under-load': latencyUnderLoad,
};

export type { InsightRule } from './contract.ts';
