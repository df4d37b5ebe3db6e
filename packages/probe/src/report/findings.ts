/**
 * @module findings
 * Turns a report's results into findings an admin can act on: failures
 * grouped by layer/class, each with the hosts it affects, an example
 * message, the likely cause and what to do. Checks that were skipped because
 * an earlier phase failed are consequences, not findings. When nothing at all
 * got through, the headline says so and names the layer.
 */
import type { CheckResult, FailOutcome, ProbeReport } from '@netinsights/protocol';
import { type FailureAdvice as Advice, adviceFor, describeFailure } from '@netinsights/protocol';

export interface Finding extends Advice {
  /** `layer/class`. */
  code: string;
  layer: FailOutcome['layer'];
  severity: 'problem' | 'warning';
  /** One line: what fails and where, e.g. "DNS fails for all 11 hosts". */
  title: string;
  /** The class's meaning in words. */
  meaning: string;
  hosts: string[];
  checkIds: string[];
  /** Distinct messages, at most three. */
  examples: string[];
  /** Interceptor vendors named in the chains, for tls/intercepted. */
  vendors?: string[];
  /** The core workloads whose hosts fail this way (the profile's workload names). */
  workloads?: string[];
}

export interface Diagnosis {
  healthy: boolean;
  headline: string;
  findings: Finding[];
  /** Checks not run because an earlier phase failed. */
  skipped: number;
  /** Checks that do not apply on their host's route (never failures, never counted as checks run). */
  notApplicable: number;
  /** Heavy checks the measurement plan or the daily traffic cap left out of this run (never failures). */
  notPlanned: number;
  /** Checks that ran but had too little to measure (a download object too small to time); never failures. */
  notMeasured: number;
  checks: number;
  passed: number;
}

const LAYER_WORDS: Record<FailOutcome['layer'], string> = {
  dns: 'DNS fails',
  tcp: 'TCP connections fail',
  proxy: 'The proxy does not open the tunnel',
  tls: 'TLS is not end to end',
  http: 'HTTPS requests fail',
  ws: 'WebSocket fails',
  quic: 'QUIC (UDP 443) fails',
  media: 'Teams media (UDP 3478–3481) suffers',
  perf: 'The path is slow',
  probe: 'Checks did not complete',
};

function titleFor(
  code: string,
  layer: FailOutcome['layer'],
  hostsPhrase: string,
  vendors: string[],
  posingAs: string[] = [],
): string {
  switch (code) {
    case 'proxy/forbidden':
      return `The proxy refuses tunnels to ${hostsPhrase}`;
    case 'proxy/auth-required':
      return `The proxy demands authentication for ${hostsPhrase}`;
    case 'proxy/auth-rejected':
      return `The proxy refuses the credentials given for ${hostsPhrase}`;
    case 'proxy/bad-gateway':
      return `The proxy cannot reach ${hostsPhrase} itself (its rules allowed the tunnel)`;
    case 'proxy/upstream-dns':
      return `The proxy cannot resolve ${hostsPhrase} with its own DNS`;
    case 'proxy/bad-response':
      return `Something that is not an HTTP proxy answers on the proxy address (needed for ${hostsPhrase})`;
    case 'proxy/unreachable':
      return `The proxy cannot be reached (needed for ${hostsPhrase})`;
    case 'tls/intercepted':
      return `TLS is intercepted${vendors.length ? ` by ${vendors.join(', ')}` : ''}${posingAs.length ? `, posing as the service's CA (${posingAs.join(', ')})` : ''} for ${hostsPhrase}`;
    case 'tls/untrusted':
      return `An untrusted certificate is served for ${hostsPhrase}`;
    case 'http/downgraded':
      return `HTTP/2 is downgraded to HTTP/1.1 for ${hostsPhrase}`;
    case 'http/block-page':
      return `A block page is served instead of ${hostsPhrase}`;
    case 'ws/upgrade-refused':
      return `WebSocket upgrades are refused for ${hostsPhrase}`;
    case 'ws/reset-after-open':
      return `Open WebSockets are cut for ${hostsPhrase}`;
    case 'quic/no-reply':
      return `QUIC gets no answer from ${hostsPhrase}`;
    case 'perf/slow-latency':
      return `Latency is high to ${hostsPhrase}`;
    case 'perf/slow-throughput':
      return `Downloads are slow from ${hostsPhrase}`;
    default:
      return `${LAYER_WORDS[layer]} for ${hostsPhrase}`;
  }
}

/**
 * "all 11 hosts", "3 of 10 hosts", or — when the hosts are exactly every
 * host of some critical domains — "*.static.microsoft (4 hosts)", the form an
 * admin puts in an allow-list.
 */
function hostsPhrase(hosts: string[], all: number, domains: Map<string, Set<string>>): string {
  if (hosts.length === 1) return hosts[0] ?? '';
  if (hosts.length === all) return `all ${all} hosts`;
  const complete = [...domains.entries()].filter(
    ([, members]) => members.size > 1 && [...members].every((h) => hosts.includes(h)),
  );
  const covered = new Set(complete.flatMap(([, members]) => [...members]));
  if (complete.length > 0 && hosts.every((h) => covered.has(h)))
    return `${complete.map(([d]) => `*.${d}`).join(', ')} (${hosts.length} hosts)`;
  return `${hosts.length} of ${all} hosts`;
}

/** Kinds whose success means a connection to the service got through. */
const REACH_KINDS = new Set(['tcp', 'tls', 'https', 'websocket', 'throughput', 'latency', 'quic']);

function reachedService(results: CheckResult[]): boolean {
  return results.some((r) => REACH_KINDS.has(r.kind) && r.outcome.status === 'ok');
}

export function diagnose(report: ProbeReport): Diagnosis {
  const results = report.results;
  // "all N hosts" counts the hosts that checks of the same kinds looked at.
  // A host whose check did not apply (a SharePoint host waiting for the tenant name) was not looked at.
  const hostsOfKinds = (kinds: Set<string>) =>
    new Set(
      results
        .filter(
          (r) => kinds.has(r.kind) && !(r.outcome.status === 'fail' && r.outcome.class === 'not-applicable'),
        )
        .map((r) => r.target.host),
    ).size;
  const groups = new Map<string, CheckResult[]>();
  let skipped = 0;
  let notApplicable = 0;
  let notPlanned = 0;
  let notMeasured = 0;
  for (const r of results) {
    if (r.outcome.status !== 'fail') continue;
    if (r.outcome.layer === 'probe' && r.outcome.class === 'not-measured') {
      notMeasured++;
      continue;
    }
    if (r.outcome.layer === 'probe' && r.outcome.class === 'not-planned') {
      notPlanned++;
      continue;
    }
    if (r.outcome.layer === 'probe' && r.outcome.class === 'not-applicable') {
      notApplicable++;
      continue;
    }
    if (r.outcome.layer === 'probe' && r.outcome.class === 'skipped') {
      skipped++;
      continue;
    }
    const code = `${r.outcome.layer}/${r.outcome.class}`;
    const list = groups.get(code) ?? [];
    list.push(r);
    groups.set(code, list);
  }
  // The critical domains and their hosts, as the profile listed them.
  const domains = new Map<string, Set<string>>();
  for (const r of results) {
    if (!r.target.domain) continue;
    const members = domains.get(r.target.domain) ?? new Set<string>();
    members.add(r.target.host);
    domains.set(r.target.domain, members);
  }
  const findings: Finding[] = [...groups.entries()].map(([code, list]) => {
    const first = list[0]?.outcome as FailOutcome;
    const hosts = [...new Set(list.map((r) => r.target.host))];
    const vendors = [...new Set(list.map((r) => r.tls?.vendor).filter((v): v is string => !!v))];
    const posingAs = [...new Set(list.map((r) => r.tls?.impersonates).filter((v): v is string => !!v))];
    const all = hostsOfKinds(new Set(list.map((r) => r.kind)));
    const workloads = [...new Set(list.map((r) => r.target.workload).filter((w): w is string => !!w))];
    const title = titleFor(code, first.layer, hostsPhrase(hosts, all, domains), vendors, posingAs);
    return {
      code,
      layer: first.layer,
      severity:
        first.layer === 'perf' || code === 'quic/no-reply' || code === 'http/downgraded'
          ? 'warning'
          : 'problem',
      title: workloads.length ? `${title} (${workloads.join(', ')})` : title,
      meaning: describeFailure(first.layer, first.class),
      hosts,
      checkIds: list.map((r) => r.id),
      examples: [...new Set(list.map((r) => (r.outcome as FailOutcome).message))].slice(0, 3),
      ...(vendors.length ? { vendors } : {}),
      ...(workloads.length ? { workloads } : {}),
      ...adviceFor(code),
    };
  });
  const layerOrder = ['proxy', 'dns', 'tcp', 'tls', 'http', 'ws', 'quic', 'perf', 'probe'];
  findings.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'problem' ? -1 : 1) ||
      b.hosts.length - a.hosts.length ||
      layerOrder.indexOf(a.layer) - layerOrder.indexOf(b.layer),
  );
  const passed = results.filter((r) => r.outcome.status === 'ok').length;
  const healthy = findings.length === 0 && skipped === 0;
  // Not-applicable, not-planned and not-measured checks are neither passed nor failed: every count leaves them out.
  const applicable = results.length - notApplicable - notPlanned - notMeasured;
  const notes = [
    ...(notApplicable ? [`${notApplicable} not applicable on this route`] : []),
    ...(notPlanned ? [`${notPlanned} heavy not planned this run`] : []),
    ...(notMeasured ? [`${notMeasured} not measured`] : []),
  ];
  const naWords = notes.length ? ` (${notes.join('; ')})` : '';
  let headline: string;
  if (healthy) headline = `All ${applicable} checks passed${naWords}.`;
  else if (!reachedService(results) && findings.length > 0) {
    // No connection to the service got through (names may still resolve):
    // name the outermost layer that stops everything.
    const top = [...findings].sort(
      (a, b) => b.hosts.length - a.hosts.length || layerOrder.indexOf(a.layer) - layerOrder.indexOf(b.layer),
    )[0];
    headline = `Nothing is reachable: ${top?.title ?? 'every check failed'} (${top?.code}: ${top?.meaning}).`;
  } else {
    const problems = findings.filter((f) => f.severity === 'problem').length;
    const warnings = findings.length - problems;
    headline = `${problems} problem${problems === 1 ? '' : 's'}${warnings ? ` and ${warnings} warning${warnings === 1 ? '' : 's'}` : ''} found; ${passed} of ${applicable - skipped} checks passed${skipped ? `, ${skipped} not run` : ''}${naWords}.`;
  }
  return {
    healthy,
    headline,
    findings,
    skipped,
    notApplicable,
    notPlanned,
    notMeasured,
    checks: results.length,
    passed,
  };
}
