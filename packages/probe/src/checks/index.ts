/**
 * @module checks
 * The registry of probe checks. Order matters: it is the order checks are
 * planned in, so the order of results in the report, and the DNS check
 * (which looks up hosts the other checks dial without a lookup of their own)
 * comes after the critical hosts, whose chains do their own. Adding a check
 * means one file here implementing `Check` (contract.ts) and one entry below;
 * the shared check suite (test/checks.common.test.ts) then holds it to the
 * contract.
 */
import type { Check } from './contract.ts';
import { dnsCheck } from './dns.ts';
import { criticalHostsCheck } from './https.ts';
import { latencyCheck } from './latency.ts';
import { quicCheck } from './quic.ts';
import { resolverCheck } from './resolver.ts';
import { teamsMediaCheck } from './teams-media.ts';
import { throughputCheck } from './throughput.ts';
import { websocketCheck } from './websocket.ts';
import { workloadsCheck } from './workloads.ts';

export const CHECKS: readonly Check[] = [
  criticalHostsCheck,
  workloadsCheck,
  dnsCheck,
  websocketCheck,
  throughputCheck,
  latencyCheck,
  quicCheck,
  teamsMediaCheck,
  resolverCheck,
];

export type { Check } from './contract.ts';
