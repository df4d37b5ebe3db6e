/**
 * @module assessment/area-quintile
 * Where an office's score stands among other organisations' offices in its
 * area — its city, else its country (offices carry no region) — as a
 * quintile, built like the peer comparison (insights/peers.ts) so that no
 * tenant learns or moves another's figures:
 * - only other tenants' existing offices (store: `areaScores`), and only
 *   with at least PEER_MIN_OFFICES of them from at least PEER_MIN_TENANTS
 *   tenants (a tenant's `minPeerOffices` raises the office floor, never
 *   lowers it);
 * - only the quintile and the counts leave this file, never a score;
 * - each tenant weighs the same whatever its number of offices: the rank is
 *   the mean over tenants of the share of that tenant's offices scoring
 *   below (ties count half), so one tenant's many (or fake) offices move it
 *   by at most 1/tenants.
 */
import type { AreaQuintile } from '@netinsights/protocol';
import { PEER_MIN_TENANTS, peerFloor } from '../insights/peers.ts';
import type { AreaScore } from './store-contract.ts';

/** Each office's newest score (the rows may hold several days of one office). */
function newestPerOffice(rows: readonly AreaScore[]): Map<string, AreaScore> {
  const newest = new Map<string, AreaScore>();
  for (const r of rows) {
    const key = `${r.tenantId}\n${r.officeKey}`;
    const seen = newest.get(key);
    if (!seen || r.day > seen.day) newest.set(key, r);
  }
  return newest;
}

/**
 * The quintile of `score` among `rows` (other tenants' offices of one area),
 * or null when they are too few.
 */
export function areaQuintile(
  score: number,
  rows: readonly AreaScore[],
  where: { level: AreaQuintile['level']; area: string; minPeerOffices?: number | undefined },
): AreaQuintile | null {
  const byTenant = new Map<string, number[]>();
  let offices = 0;
  for (const r of newestPerOffice(rows).values()) {
    const list = byTenant.get(r.tenantId);
    if (list) list.push(r.score);
    else byTenant.set(r.tenantId, [r.score]);
    offices += 1;
  }
  if (offices < peerFloor(where.minPeerOffices) || byTenant.size < PEER_MIN_TENANTS) return null;
  let rank = 0;
  for (const scores of byTenant.values()) {
    let below = 0;
    for (const s of scores) below += s < score ? 1 : s === score ? 0.5 : 0;
    rank += below / scores.length;
  }
  rank /= byTenant.size;
  const quintile = Math.min(5, Math.floor(rank * 5) + 1) as AreaQuintile['quintile'];
  return { level: where.level, area: where.area, quintile, offices, tenants: byTenant.size };
}
