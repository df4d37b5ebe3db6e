/**
 * @module catalog/select
 * Picks the part of a catalog an artifact is built from: by category, by
 * required flag, and optionally only the entries that cover the hosts an
 * insight names. Shared by the PAC, bypass-list and firewall generators so
 * all three agree on what "the hosts of this insight" means.
 */
import { NetinsightsError } from '@netinsights/protocol';
import type { Category, EndpointSet } from './endpoint-set.ts';
import { hostMatches, hostNameProblem } from './host-pattern.ts';

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
  const base = sets.filter((s) => (!cats || cats.includes(s.category)) && (!sel.requiredOnly || s.required));
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
