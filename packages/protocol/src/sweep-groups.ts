/**
 * @module sweep-groups
 * The endpoint sweep's failures grouped by what happened (intercepted by
 * which vendor, refused by the proxy, unreachable and why), each with the
 * catalog sets and service areas it touches — "14 of 96 required endpoints
 * intercepted by Zscaler (sets 46, 47: Exchange)". Shared by the probe's
 * text report and the dashboard's report page, so both say it alike.
 */
import type { SweepHost, SweepReport } from './sweep-report.ts';

/** Failed hosts that share one cause. */
export interface SweepGroup {
  code: string;
  vendor?: string;
  /** What happened, in words: `intercepted by Zscaler`, `refused by the proxy (HTTP 403)`. */
  what: string;
  hosts: SweepHost[];
  sets: number[];
  serviceAreas: string[];
}

function words(h: SweepHost): string {
  if (h.code === 'tls/intercepted') return `intercepted by ${h.tls?.vendor ?? 'an unknown interceptor'}`;
  if (h.code === 'proxy/forbidden') return `refused by the proxy${h.status ? ` (HTTP ${h.status})` : ''}`;
  if (h.code === 'proxy/auth-required' || h.code === 'proxy/auth-rejected')
    return `refused by the proxy: authentication required${h.status ? ` (HTTP ${h.status})` : ''}`;
  if (h.code === 'http/block-page') return 'answered by a block page';
  if (h.code === 'probe/deadline') return 'not reached within the run deadline';
  return `unreachable (${h.code})`;
}

/** The sweep's failures grouped by cause, largest group first. */
export function sweepGroups(sweep: SweepReport): SweepGroup[] {
  const groups = new Map<string, SweepGroup>();
  for (const h of sweep.hosts) {
    if (h.code === 'ok') continue;
    const what = words(h);
    const group = groups.get(what) ?? {
      code: h.code,
      ...(h.tls?.vendor && h.code === 'tls/intercepted' ? { vendor: h.tls.vendor } : {}),
      what,
      hosts: [],
      sets: [],
      serviceAreas: [],
    };
    group.hosts.push(h);
    for (const id of h.sets) if (!group.sets.includes(id)) group.sets.push(id);
    for (const a of h.serviceAreas) if (!group.serviceAreas.includes(a)) group.serviceAreas.push(a);
    groups.set(what, group);
  }
  for (const g of groups.values()) g.sets.sort((a, b) => a - b);
  return [...groups.values()].sort((a, b) => b.hosts.length - a.hosts.length);
}

/** `sets 46, 47: Exchange, Common`. */
export function setsText(sets: readonly number[], areas: readonly string[]): string {
  return `set${sets.length === 1 ? '' : 's'} ${sets.join(', ')}: ${areas.join(', ')}`;
}

/** The headline of one group: "14 of 96 required endpoints intercepted by Zscaler (sets 46, 47: Exchange)". */
export function groupHeadline(g: SweepGroup, total: number): string {
  return `${g.hosts.length} of ${total} required endpoints ${g.what} (${setsText(g.sets, g.serviceAreas)})`;
}

/** Whether the sweep found anything wrong with a required endpoint. */
export function sweepHealthy(sweep: SweepReport | undefined): boolean {
  return !sweep || sweep.hosts.every((h) => h.code === 'ok');
}
