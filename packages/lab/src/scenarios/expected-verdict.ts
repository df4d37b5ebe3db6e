/**
 * @module expected-verdict
 * What a scenario expects the probe to conclude, and the comparison of that
 * expectation with a real ProbeReport. Expectations name check kinds, hosts
 * and failure codes, never timings, so they hold on a slow machine.
 */
import type { CheckKind, FailureCode, NetworkPath, ProbeReport } from '@netinsights/protocol';
import { bufferbloatMs, failureCode } from '@netinsights/protocol';

/** `ok`, or a failure as `layer/class`. */
export type VerdictCode = 'ok' | FailureCode;

/** One expectation about a group of checks. */
export interface ExpectedVerdict {
  /** A check kind, or `sweep`: the hosts of the endpoint sweep (`ProbeReport.sweep`). */
  checkKind: CheckKind | 'sweep';
  /**
   * The outcome every selected check must have. A list means "any of these":
   * used only where either outcome is a right answer (e.g. whether an HTTPS
   * request through an interceptor fails at TLS or passes).
   */
  code: VerdictCode | VerdictCode[];
  /** Only checks whose target host is this name or lies under it (e.g. `static.microsoft`). */
  host?: string;
  /** The interceptor vendor the check's TLS detail must name (e.g. `Zscaler`, `unknown interceptor`). */
  vendor?: string;
  /** The expected CA the check's TLS detail must say is impersonated. */
  impersonates?: string;
  /** The network path the selected checks must report. */
  path?: NetworkPath['type'];
  /** Sweep only: the hosts listed by any of these catalog sets. */
  sets?: number[];
  /** The resolver address the selected resolver checks must report. */
  resolverAddress?: string;
  /** Only checks of the profile's core workloads (results that carry a workload). */
  workloads?: true;
  /** The address the selected checks' TCP connections must have landed on (the front door in use). */
  landedOn?: string;
  /**
   * The report's bufferbloat (loaded minus idle median latency, `bufferbloatMs`)
   * must be at least `min` ms; a report without both medians does not meet it.
   */
  bufferbloatMs?: { min: number };
  /** DNS only: the check must record that the DNS servers asked directly disagree with the OS resolver. */
  osDisagrees?: true;
}

/** A check result or a sweep host, as far as expectations look at it. */
interface Observed {
  kind: CheckKind | 'sweep';
  host: string;
  code: VerdictCode;
  vendor?: string;
  impersonates?: string;
  path: NetworkPath['type'];
  sets: number[];
  /** Resolver checks: the recursive resolver's address they found. */
  resolverAddress?: string;
  /** Core workload checks: the workload. */
  workload?: string;
  /** The address the check's TCP connection landed on. */
  remoteAddress?: string;
  osDisagrees?: boolean;
}

function observations(report: ProbeReport): Observed[] {
  const checks = report.results.map(
    (r): Observed => ({
      kind: r.kind,
      host: r.target.host,
      code: failureCode(r.outcome) ?? 'ok',
      ...(r.tls?.vendor ? { vendor: r.tls.vendor } : {}),
      ...(r.tls?.impersonates ? { impersonates: r.tls.impersonates } : {}),
      path: r.path.type,
      sets: [],
      ...(r.resolver?.address ? { resolverAddress: r.resolver.address } : {}),
      ...(r.target.workload ? { workload: r.target.workload } : {}),
      ...(r.tcp?.remoteAddress ? { remoteAddress: r.tcp.remoteAddress } : {}),
      ...(r.dns?.disagreement ? { osDisagrees: true } : {}),
    }),
  );
  const swept = (report.sweep?.hosts ?? []).map(
    (h): Observed => ({
      kind: 'sweep',
      host: h.host,
      code: h.code as VerdictCode,
      ...(h.tls?.vendor ? { vendor: h.tls.vendor } : {}),
      path: h.route,
      sets: h.sets,
    }),
  );
  return [...checks, ...swept];
}

/** One line of a scenario's comparison, as `lab run` prints it. */
export interface VerdictLine {
  expected: string;
  observed: string;
  match: boolean;
}

export interface VerdictComparison {
  ok: boolean;
  lines: VerdictLine[];
}

function underHost(host: string, suffix: string): boolean {
  const h = host.toLowerCase();
  const s = suffix.toLowerCase();
  return h === s || h.endsWith(`.${s}`);
}

function selects(e: ExpectedVerdict, r: Observed): boolean {
  return (
    r.kind === e.checkKind &&
    (e.host === undefined || underHost(r.host, e.host)) &&
    (e.sets === undefined || r.sets.some((id) => e.sets?.includes(id))) &&
    (e.workloads === undefined || r.workload !== undefined)
  );
}

function describeExpected(e: ExpectedVerdict): string {
  const codes = Array.isArray(e.code) ? e.code.join(' | ') : e.code;
  const extras = [
    e.vendor ? `vendor ${e.vendor}` : '',
    e.impersonates ? `posing as ${e.impersonates}` : '',
    e.path ? `via ${e.path}` : '',
    e.resolverAddress ? `resolver ${e.resolverAddress}` : '',
    e.landedOn ? `at ${e.landedOn}` : '',
    e.bufferbloatMs ? `latency under load ≥ idle + ${e.bufferbloatMs.min} ms` : '',
    e.osDisagrees ? 'servers disagree with the OS' : '',
  ].filter(Boolean);
  const sets = e.sets ? ` sets ${e.sets.join(', ')}` : '';
  const workloads = e.workloads ? ' (workloads)' : '';
  return `${e.checkKind}${e.host ? ` *.${e.host}` : ''}${sets}${workloads}: ${codes}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** Summarises what the selected checks observed, e.g. `tls/intercepted [Zscaler] ×10`. */
function describeObserved(results: Observed[], showAddress: boolean, bloat: number | undefined): string {
  if (results.length === 0) return 'no such check in the report';
  const bloatWords = (r: Observed) => (r.kind === 'throughput' ? ` [+${bloat ?? 'n/a'} ms under load]` : '');
  const groups = new Map<string, string[]>();
  for (const r of results) {
    const vendor = r.vendor ? ` [${r.vendor}${r.impersonates ? `, posing as ${r.impersonates}` : ''}]` : '';
    const resolver = r.resolverAddress ? ` [resolver ${r.resolverAddress}]` : '';
    const at = showAddress ? ` at ${r.remoteAddress ?? 'no address'}` : '';
    const key = `${r.code}${vendor}${bloatWords(r)}${resolver}${r.path === 'proxy' ? ' via proxy' : ''}${at}${r.osDisagrees ? ' (servers disagree with the OS)' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r.host]);
  }
  return [...groups]
    .map(([key, hosts]) => (hosts.length === 1 ? `${key} (${hosts[0]})` : `${key} ×${hosts.length}`))
    .join('; ');
}

function meets(e: ExpectedVerdict, r: Observed, bloat: number | undefined): boolean {
  const codes = Array.isArray(e.code) ? e.code : [e.code];
  if (!codes.includes(r.code)) return false;
  if (e.bufferbloatMs && (bloat === undefined || bloat < e.bufferbloatMs.min)) return false;
  if (e.vendor !== undefined && r.vendor !== e.vendor) return false;
  if (e.impersonates !== undefined && r.impersonates !== e.impersonates) return false;
  if (e.path !== undefined && r.path !== e.path) return false;
  if (e.resolverAddress !== undefined && r.resolverAddress !== e.resolverAddress) return false;
  if (e.landedOn !== undefined && r.remoteAddress !== e.landedOn) return false;
  if (e.osDisagrees && !r.osDisagrees) return false;
  return true;
}

/**
 * Compares expectations with a report. Each expectation must select at
 * least one check and every selected check must meet it; every check no
 * expectation selects must be `ok` or `probe/not-applicable` (a scenario
 * breaks one thing, the rest of the path must stay healthy), which is the
 * last line. Sweep hosts count as checks of kind `sweep`.
 */
export function compareVerdicts(expected: ExpectedVerdict[], report: ProbeReport): VerdictComparison {
  const observed = observations(report);
  const bloat = bufferbloatMs(report.results);
  const lines: VerdictLine[] = expected.map((e) => {
    const selected = observed.filter((r) => selects(e, r));
    const failing = selected.filter((r) => !meets(e, r, bloat));
    return {
      expected: describeExpected(e),
      observed: describeObserved(failing.length > 0 ? failing : selected, e.landedOn !== undefined, bloat),
      match: selected.length > 0 && failing.length === 0,
    };
  });
  const others = observed.filter((r) => !expected.some((e) => selects(e, r)));
  // A check that does not apply on its route (QUIC behind a proxy) is neither a failure nor a pass.
  const othersFailing = others.filter((r) => r.code !== 'ok' && r.code !== 'probe/not-applicable');
  lines.push({
    expected: 'every other check: ok (or not applicable)',
    observed:
      othersFailing.length === 0
        ? `ok ×${others.length}`
        : othersFailing.map((r) => `${r.kind} ${r.host}: ${r.code}`).join('; '),
    match: othersFailing.length === 0,
  });
  return { ok: lines.every((l) => l.match), lines };
}
