/**
 * @module report/sweep-summary
 * The endpoint sweep in a few lines a person reads: failures grouped by what
 * happened (intercepted by which vendor, refused by the proxy, unreachable
 * and why), each with the catalog sets and service areas it touches —
 * "14 of 96 required endpoints intercepted by Zscaler (sets 46, 47: Exchange)" —
 * then the catalog entries that could not be swept.
 */
import type { SweepHost, SweepReport } from '@netinsights/protocol';
import type { Style } from './style.ts';

const MAX_HOSTS_LISTED = 4;
const MAX_SKIPS_LISTED = 4;

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

/** The "Endpoint sweep" section of the text report. */
export function sweepSummaryLines(sweep: SweepReport, s: Style): string[] {
  const total = sweep.hosts.length;
  const passed = sweep.hosts.filter((h) => h.code === 'ok').length;
  const source =
    sweep.catalog.source === 'collector'
      ? `the collector's catalog${sweep.catalog.version ? ` ${sweep.catalog.version}` : ''}`
      : sweep.catalog.source === 'file'
        ? 'the catalog file'
        : 'the shipped catalog snapshot';
  const out = [
    s.bold('Endpoint sweep'),
    s.dim(
      `  ${total} required Optimize and Allow endpoints of ${source}, ${sweep.concurrency} at a time, in ${(sweep.durationMs / 1000).toFixed(1)} s`,
    ),
  ];
  if (total > 0 && passed === total) out.push(`  ${s.green('✔')} all ${total} reachable, TLS genuine`);
  else if (passed > 0) out.push(`  ${s.green('✔')} ${passed} of ${total} reachable, TLS genuine`);
  for (const g of sweepGroups(sweep)) {
    const mark = g.code === 'probe/deadline' ? s.yellow('!') : s.red('✘');
    out.push(`  ${mark} ${groupHeadline(g, total)}  ${s.dim(`[${g.code}]`)}`);
    const listed = g.hosts
      .slice(0, MAX_HOSTS_LISTED)
      .map((h) => (h.pattern ? `${h.host} (${h.pattern})` : h.host));
    const more = g.hosts.length > MAX_HOSTS_LISTED ? `, … (+${g.hosts.length - MAX_HOSTS_LISTED} more)` : '';
    out.push(`     where:  ${listed.join(', ')}${more}`);
    const example = g.hosts.find((h) => h.message)?.message;
    if (example) out.push(`     seen:   ${example}`);
  }
  if (sweep.skipped.length > 0) {
    out.push(
      `  ${s.yellow('!')} ${sweep.skipped.length} catalog entr${sweep.skipped.length === 1 ? 'y' : 'ies'} not swept:`,
    );
    for (const k of sweep.skipped.slice(0, MAX_SKIPS_LISTED))
      out.push(s.dim(`     ${k.path} ${k.entry}: ${k.reason}`));
    if (sweep.skipped.length > MAX_SKIPS_LISTED)
      out.push(s.dim(`     … (+${sweep.skipped.length - MAX_SKIPS_LISTED} more in the JSON report)`));
  }
  return out;
}
