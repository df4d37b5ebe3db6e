/**
 * @module catalog/sweep-catalog
 * What the endpoint sweep dials: every URL entry of the required Optimize and
 * Allow sets of an endpoint catalog document, plain host names as they are
 * and wildcards through the representative host the profile names. Unlike
 * `parseCatalog` (which refuses a whole file before an import stores it),
 * this reader is lenient per entry: a malformed URL, a set it cannot read or
 * a wildcard without a representative is listed with its JSON pointer and a
 * reason, and everything else is still swept.
 */
import type { SweepSkip } from '../sweep-report.ts';
import { hostPatternProblem } from './host-pattern.ts';
import { parsePorts } from './ports.ts';

/** The categories the sweep covers (Microsoft's connectivity test checks these two). */
export const SWEPT_CATEGORIES = ['Optimize', 'Allow'] as const;
export type SweptCategory = (typeof SWEPT_CATEGORIES)[number];

/** One host to dial, with every catalog set that lists its entry. */
export interface SweepTarget {
  host: string;
  /** The wildcard the host stands for, when it is a representative. */
  pattern?: string;
  sets: number[];
  serviceAreas: string[];
  /** Optimize when any listing set is Optimize (the stricter advice wins). */
  category: SweptCategory;
}

export interface SweepPlan {
  targets: SweepTarget[];
  skipped: SweepSkip[];
}

/** At most this many skipped entries are listed, hosts swept, sets and areas named per host (the report's bounds). */
const MAX_SKIPPED = 500;
const MAX_TARGETS = 1000;
const MAX_SETS_PER_HOST = 64;
const MAX_AREAS_PER_HOST = 16;

function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Whether a set's TCP ports (web-service text) include 443. */
function carriesHttps(tcpPorts: unknown): boolean | string {
  if (tcpPorts === undefined) return false;
  if (typeof tcpPorts !== 'string') return 'tcpPorts is not a port string';
  const ranges = parsePorts(tcpPorts);
  if (typeof ranges === 'string') return `tcpPorts ${ranges}`;
  return ranges.some((r) => r.from <= 443 && 443 <= r.to);
}

/**
 * Reads `doc` (a web-service JSON array, untrusted) into sweep targets.
 * `representatives` maps a wildcard (lower case, as the catalog writes it)
 * to the host dialled for it. Never throws on bad content.
 */
export function planSweep(doc: unknown, representatives: Readonly<Record<string, string>> = {}): SweepPlan {
  const skipped: SweepSkip[] = [];
  const skip = (path: string, entry: string, reason: string) => {
    if (skipped.length < MAX_SKIPPED) skipped.push({ path, entry: short(entry), reason: short(reason) });
  };
  if (!Array.isArray(doc)) {
    skip('', '(catalog)', 'the catalog is not a JSON array of endpoint sets');
    return { targets: [], skipped };
  }
  const reps = new Map(Object.entries(representatives).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const byHost = new Map<string, SweepTarget>();
  doc.forEach((raw: unknown, index) => {
    const at = `/${index}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      skip(at, '(set)', 'the endpoint set is not an object');
      return;
    }
    const set = raw as Record<string, unknown>;
    if (set.required !== true) return;
    if (!(SWEPT_CATEGORIES as readonly unknown[]).includes(set.category)) return;
    const id = set.id;
    const label = typeof id === 'number' ? `set ${id}` : '(set)';
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
      skip(`${at}/id`, label, 'the set has no positive integer id, so findings could not name it');
      return;
    }
    const area =
      typeof set.serviceArea === 'string' && set.serviceArea !== ''
        ? set.serviceArea.slice(0, 64)
        : 'unknown';
    if (set.urls === undefined) return; // IP-only sets (Teams media) have nothing to dial by name.
    if (!Array.isArray(set.urls)) {
      skip(`${at}/urls`, label, 'urls is not an array of host names');
      return;
    }
    const https = carriesHttps(set.tcpPorts);
    if (typeof https === 'string') {
      skip(`${at}/tcpPorts`, label, https);
      return;
    }
    set.urls.forEach((url: unknown, i) => {
      const path = `${at}/urls/${i}`;
      if (typeof url !== 'string') {
        skip(path, String(url), 'the entry is not a string');
        return;
      }
      const pattern = url.trim().toLowerCase();
      const problem = hostPatternProblem(pattern);
      if (problem) {
        skip(path, url, `not a host name or wildcard: ${problem}`);
        return;
      }
      if (!https) {
        skip(path, url, `${label} opens no HTTPS port (TCP ${String(set.tcpPorts ?? 'none')})`);
        return;
      }
      let host = pattern;
      if (pattern.includes('*')) {
        const rep = reps.get(pattern);
        if (!rep) {
          skip(
            path,
            url,
            'a wildcard with no representative host in the profile (sweep.representativeHosts)',
          );
          return;
        }
        host = rep;
      }
      if (!byHost.has(host) && byHost.size >= MAX_TARGETS) {
        skip(path, url, `the sweep dials at most ${MAX_TARGETS} hosts; this catalog lists more`);
        return;
      }
      const target = byHost.get(host) ?? {
        host,
        ...(host !== pattern ? { pattern } : {}),
        sets: [],
        serviceAreas: [],
        category: set.category as SweptCategory,
      };
      if (!target.sets.includes(id) && target.sets.length < MAX_SETS_PER_HOST) target.sets.push(id);
      if (!target.serviceAreas.includes(area) && target.serviceAreas.length < MAX_AREAS_PER_HOST)
        target.serviceAreas.push(area);
      if (set.category === 'Optimize') target.category = 'Optimize';
      byHost.set(host, target);
    });
  });
  return { targets: [...byHost.values()], skipped };
}
