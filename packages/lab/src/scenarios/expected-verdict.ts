/**
 * @module expected-verdict
 * What a scenario expects the probe to conclude, and the comparison of that
 * expectation with a real ProbeReport. Expectations name check kinds, hosts
 * and failure codes, never timings, so they hold on a slow machine.
 */
import type { CheckKind, CheckResult, FailureCode, NetworkPath, ProbeReport } from '@netinsights/protocol';
import { failureCode } from '@netinsights/protocol';

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
  /** Only checks of the profile's core workloads (results that carry a workload). */
  workloads?: true;
  /** The address the selected checks' TCP connections must have landed on (the front door in use). */
  landedOn?: string;
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
  return (
    r.kind === e.checkKind &&
    (e.host === undefined || underHost(r.target.host, e.host)) &&
    (e.workloads === undefined || r.target.workload !== undefined)
  );
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
    e.landedOn ? `at ${e.landedOn}` : '',
  ].filter(Boolean);
  return `${e.checkKind}${e.host ? ` *.${e.host}` : ''}${e.workloads ? ' (workloads)' : ''}: ${codes}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** Summarises what the selected checks observed, e.g. `tls/intercepted [Zscaler] ×10`. */
function describeObserved(results: CheckResult[], showAddress = false): string {
  if (results.length === 0) return 'no such check in the report';
  const groups = new Map<string, string[]>();
  for (const r of results) {
    const vendor = r.tls?.vendor
      ? ` [${r.tls.vendor}${r.tls.impersonates ? `, posing as ${r.tls.impersonates}` : ''}]`
      : '';
    const at = showAddress ? ` at ${r.tcp?.remoteAddress ?? 'no address'}` : '';
    const key = `${codeOf(r)}${vendor}${r.path.type === 'proxy' ? ' via proxy' : ''}${at}`;
    groups.set(key, [...(groups.get(key) ?? []), r.target.host]);
  }
  return [...groups]
    .map(([key, hosts]) => (hosts.length === 1 ? `${key} (${hosts[0]})` : `${key} ×${hosts.length}`))
    .join('; ');
}

function meets(e: ExpectedVerdict, r: CheckResult): boolean {
  const codes = Array.isArray(e.code) ? e.code : [e.code];
  if (!codes.includes(codeOf(r))) return false;
  if (e.vendor !== undefined && r.tls?.vendor !== e.vendor) return false;
  if (e.impersonates !== undefined && r.tls?.impersonates !== e.impersonates) return false;
  if (e.path !== undefined && r.path.type !== e.path) return false;
  if (e.landedOn !== undefined && r.tcp?.remoteAddress !== e.landedOn) return false;
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
  const lines: VerdictLine[] = expected.map((e) => {
    const selected = report.results.filter((r) => selects(e, r));
    const failing = selected.filter((r) => !meets(e, r));
    return {
      expected: describeExpected(e),
      observed: describeObserved(failing.length > 0 ? failing : selected, e.landedOn !== undefined),
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
