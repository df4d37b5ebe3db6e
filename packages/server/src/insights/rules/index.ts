/**
 * @module insights/rules
 * The registry of insight rules, one per kind. Adding a kind means one file
 * here, one entry in kinds.ts and settings.ts, and the shared rule suite
 * (test/insights/rules.common.test.ts) runs it through the lifecycle cases.
 */
import type { InsightKind } from '../kinds.ts';
import { backhauledEgress } from './backhauled-egress.ts';
import type { InsightRule } from './contract.ts';
import { criticalDomainHttpsFailure } from './critical-domain-https-failure.ts';
import { peerPerformance } from './peer-performance.ts';
import { protocolDowngrade } from './protocol-downgrade.ts';
import { quicBlocked } from './quic-blocked.ts';
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
};

export type { InsightRule } from './contract.ts';
