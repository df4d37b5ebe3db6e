/**
 * @module report/sweep-summary
 * The endpoint sweep in a few lines a person reads: failures grouped by what
 * happened (protocol sweep-groups.ts, shared with the dashboard) — "14 of 96
 * required endpoints intercepted by Zscaler (sets 46, 47: Exchange)" — then
 * the catalog entries that could not be swept.
 */
import type { SweepReport } from '@netinsights/protocol';
import { groupHeadline, sweepGroups } from '@netinsights/protocol/sweep-groups.ts';
import type { Style } from './style.ts';

export {
  groupHeadline,
  type SweepGroup,
  setsText,
  sweepGroups,
  sweepHealthy,
} from '@netinsights/protocol/sweep-groups.ts';

const MAX_HOSTS_LISTED = 4;
const MAX_SKIPS_LISTED = 4;

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
