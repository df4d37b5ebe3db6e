/**
 * @module catalog/select
 * Picks the part of a catalog an artifact is built from: by category, by
 * required flag, and optionally only the entries that cover the hosts an
 * insight names. Shared by the PAC, bypass-list and firewall generators so
 * all three agree on what "the hosts of this insight" means.
 */
import { NetinsightsError } from '@netinsights/protocol';
import type { Category, EndpointSet } from '@netinsights/protocol/catalog/endpoint-set.ts';
import { hostMatches, hostNameProblem } from '@netinsights/protocol/catalog/host-pattern.ts';

/** Which endpoints an artifact covers. */
export interface Selection {
  /** Categories to include; all three when omitted. */
  categories?: readonly Category[];
  /** Leave out sets Microsoft marks optional. */
  requiredOnly?: boolean;
  /**
   * Only the catalog entries covering these host names (for example the
   * affected hosts of an insight), whatever their category.
   */
  hosts?: readonly string[];
  /**
   * Only the Teams media sets: Optimize sets that need UDP 3478–3481 (in
   * Microsoft's catalog, the Teams media ranges such as 52.112.0.0/14).
   * Host names are not asked for: the set lists IP ranges only.
   */
  teamsMedia?: boolean;
}

/** Microsoft's documented Teams media ports. */
export const TEAMS_MEDIA_UDP = { from: 3478, to: 3481 } as const;

/** Whether a set carries Teams media: Optimize, with every UDP port 3478–3481. */
export function isTeamsMediaSet(set: EndpointSet): boolean {
  if (set.category !== 'Optimize') return false;
  for (let p = TEAMS_MEDIA_UDP.from; p <= TEAMS_MEDIA_UDP.to; p++)
    if (!set.udpPorts.some((r) => r.from <= p && p <= r.to)) return false;
  return true;
}

/** A catalog URL entry with the sets that list it. */
export interface SelectedPattern {
  pattern: string;
  sets: EndpointSet[];
}

/** The result of a selection. */
export interface Selected {
  /** Sets that contribute at least one entry (with all their IPs and ports). */
  sets: EndpointSet[];
  /** URL patterns, in catalog order, deduplicated. */
  patterns: SelectedPattern[];
  /** Requested hosts no catalog entry covers (kept so the admin sees them). */
  uncovered: string[];
}

/** Normalises and checks user-given host names; throws a usage-style error naming the bad one. */
export function normaliseHosts(hosts: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of hosts) {
    const h = raw.trim().toLowerCase().replace(/\.$/, '');
    if (h === '') continue;
    const problem = hostNameProblem(h);
    if (problem) throw new NetinsightsError('NI_ERR_USAGE', `host ${problem}`);
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/** Applies a selection to a catalog. */
export function select(sets: readonly EndpointSet[], sel: Selection = {}): Selected {
  const cats = sel.categories;
  const base = sets.filter(
    (s) =>
      (!cats || cats.includes(s.category)) &&
      (!sel.requiredOnly || s.required) &&
      (!sel.teamsMedia || isTeamsMediaSet(s)),
  );
  const hosts = sel.hosts ? normaliseHosts(sel.hosts) : undefined;
  const covered = new Set<string>();
  const patterns = new Map<string, SelectedPattern>();
  const used = new Set<EndpointSet>();
  for (const set of base) {
    for (const pattern of set.urls) {
      if (hosts) {
        const hits = hosts.filter((h) => hostMatches(h, pattern));
        if (hits.length === 0) continue;
        for (const h of hits) covered.add(h);
      }
      const entry = patterns.get(pattern) ?? { pattern, sets: [] };
      entry.sets.push(set);
      patterns.set(pattern, entry);
      used.add(set);
    }
    // Sets without URLs (IP-only, such as Teams media) belong to whole-catalog selections.
    if (!hosts && set.urls.length === 0) used.add(set);
  }
  return {
    sets: base.filter((s) => used.has(s)),
    patterns: [...patterns.values()],
    uncovered: hosts ? hosts.filter((h) => !covered.has(h)) : [],
  };
}
