/**
 * @module expected-verdict
 * What a scenario expects the probe to conclude, and the comparison of that
 * expectation with a real ProbeReport. Expectations name check kinds, hosts
 * and failure codes, never timings, so they hold on a slow machine.
 */
import type { CheckKind, CheckResult, FailureCode, NetworkPath, ProbeReport } from '@netinsights/protocol';
import { bufferbloatMs, failureCode } from '@netinsights/protocol';

/** `ok`, or a failure as `layer/class`. */
export type VerdictCode = 'ok' | FailureCode;

/** One expectation about a group of checks. */
export interface ExpectedVerdict {
  checkKind: CheckKind;
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
  /**
   * The report's bufferbloat (loaded minus idle median latency, `bufferbloatMs`)
   * must be at least `min` ms; a report without both medians does not meet it.
   */
  bufferbloatMs?: { min: number };
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

function selects(e: ExpectedVerdict, r: CheckResult): boolean {
  return r.kind === e.checkKind && (e.host === undefined || underHost(r.target.host, e.host));
}

function codeOf(r: CheckResult): VerdictCode {
  return failureCode(r.outcome) ?? 'ok';
}

function describeExpected(e: ExpectedVerdict): string {
  const codes = Array.isArray(e.code) ? e.code.join(' | ') : e.code;
  const extras = [
    e.vendor ? `vendor ${e.vendor}` : '',
    e.impersonates ? `posing as ${e.impersonates}` : '',
    e.path ? `via ${e.path}` : '',
    e.bufferbloatMs ? `latency under load ≥ idle + ${e.bufferbloatMs.min} ms` : '',
  ].filter(Boolean);
  return `${e.checkKind}${e.host ? ` *.${e.host}` : ''}: ${codes}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** Summarises what the selected checks observed, e.g. `tls/intercepted [Zscaler] ×10`. */
function describeObserved(results: CheckResult[], bloat: number | undefined): string {
  if (results.length === 0) return 'no such check in the report';
  const bloatWords = (r: CheckResult) =>
    r.kind === 'throughput' ? ` [+${bloat ?? 'n/a'} ms under load]` : '';
  const groups = new Map<string, string[]>();
  for (const r of results) {
    const vendor = r.tls?.vendor
      ? ` [${r.tls.vendor}${r.tls.impersonates ? `, posing as ${r.tls.impersonates}` : ''}]`
      : '';
    const key = `${codeOf(r)}${vendor}${bloatWords(r)}${r.path.type === 'proxy' ? ' via proxy' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r.target.host]);
  }
  return [...groups]
    .map(([key, hosts]) => (hosts.length === 1 ? `${key} (${hosts[0]})` : `${key} ×${hosts.length}`))
    .join('; ');
}

function meets(e: ExpectedVerdict, r: CheckResult, bloat: number | undefined): boolean {
  const codes = Array.isArray(e.code) ? e.code : [e.code];
  if (!codes.includes(codeOf(r))) return false;
  if (e.bufferbloatMs && (bloat === undefined || bloat < e.bufferbloatMs.min)) return false;
  if (e.vendor !== undefined && r.tls?.vendor !== e.vendor) return false;
  if (e.impersonates !== undefined && r.tls?.impersonates !== e.impersonates) return false;
  if (e.path !== undefined && r.path.type !== e.path) return false;
  return true;
}

/**
 * Compares expectations with a report. Each expectation must select at
 * least one check and every selected check must meet it; every check no
 * expectation selects must be `ok` or `probe/not-applicable` (a scenario
 * breaks one thing, the rest of the path must stay healthy), which is the
 * last line.
 */
export function compareVerdicts(expected: ExpectedVerdict[], report: ProbeReport): VerdictComparison {
  const bloat = bufferbloatMs(report.results);
  const lines: VerdictLine[] = expected.map((e) => {
    const selected = report.results.filter((r) => selects(e, r));
    const failing = selected.filter((r) => !meets(e, r, bloat));
    return {
      expected: describeExpected(e),
      observed: describeObserved(failing.length > 0 ? failing : selected, bloat),
      match: selected.length > 0 && failing.length === 0,
    };
  });
  const others = report.results.filter((r) => !expected.some((e) => selects(e, r)));
  // A check that does not apply on its route (QUIC behind a proxy) is neither a failure nor a pass.
  const othersFailing = others.filter((r) => codeOf(r) !== 'ok' && codeOf(r) !== 'probe/not-applicable');
  lines.push({
    expected: 'every other check: ok (or not applicable)',
    observed:
      othersFailing.length === 0
        ? `ok ×${others.length}`
        : othersFailing.map((r) => `${r.kind} ${r.target.host}: ${codeOf(r)}`).join('; '),
    match: othersFailing.length === 0,
  });
  return { ok: lines.every((l) => l.match), lines };
}
