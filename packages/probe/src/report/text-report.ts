/**
 * @module text-report
 * The report a person reads at the end of `netinsights probe`: a headline,
 * then one block per finding (what fails, where, the likely cause, what to
 * do), then the measurements — a grid for the critical hosts and one line per
 * other check — so that fifty identical failures read as one finding.
 */
import {
  bufferbloatMs,
  type CheckResult,
  isNotRun,
  type ProbeReport,
  type Target,
  type TeamsMediaDetail,
  type ThroughputDetail,
} from '@netinsights/protocol';
import { diagnose } from './findings.ts';
import { type Style, style } from './style.ts';
import { sweepSummaryLines } from './sweep-summary.ts';

const MAX_HOSTS_LISTED = 4;
/** The kinds the critical-host grid shows (a DNS lookup of another host is not shown). */
const GRID_KINDS: ReadonlySet<string> = new Set(['dns', 'tcp', 'tls', 'https', 'http2']);

function ms(n: number | undefined): string {
  return n === undefined ? '' : n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

function cell(r: CheckResult | undefined, s: Style, okText: (r: CheckResult) => string): string {
  if (!r) return s.dim('·');
  if (r.outcome.status === 'ok') return s.green(okText(r));
  if (isNotRun(r.outcome)) return s.dim('–');
  const code = `${r.outcome.layer}/${r.outcome.class}`;
  return r.outcome.layer === 'perf' ? s.yellow(code) : s.red(code);
}

/** Pads by visible width (ANSI codes do not count). */
function pad(text: string, width: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes on purpose
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  // A cell wider than its column (e.g. proxy/auth-rejected) still keeps one space before the next.
  return text + ' '.repeat(Math.max(1, width - visible));
}

function pathText(report: ProbeReport): string {
  const p = report.environment.proxy;
  if (p.mode === 'pac') return `PAC ${p.pac ?? ''} (per host)`;
  if (p.mode === 'proxy')
    return `via proxy ${p.proxy ?? ''} (from ${p.source === 'env' ? 'HTTPS_PROXY' : '--proxy'})`;
  return 'direct (no proxy configured)';
}

export function renderReport(report: ProbeReport, opts: { color: boolean }): string {
  const s = style(opts.color);
  const d = diagnose(report);
  const out: string[] = [];
  const took = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  out.push(
    s.bold(
      `netinsights probe — profile ${report.probe.profile}${report.probe.profileVersion ? ` (${report.probe.profileVersion})` : ''}`,
    ),
  );
  out.push(
    s.dim(
      `${report.startedAt} · ${ms(took)} · ${pathText(report)} · DNS ${report.environment.dnsResolvers.join(', ') || 'none'}${report.environment.officeId ? ` · office ${report.environment.officeId}` : ''}`,
    ),
  );
  out.push('');
  out.push(d.healthy ? s.green(`✔ ${d.headline}`) : s.bold(s.red(`✘ ${d.headline}`)));

  if (d.findings.length > 0) {
    out.push('', s.bold('Findings'));
    d.findings.forEach((f, i) => {
      const mark = f.severity === 'problem' ? s.red('✘') : s.yellow('!');
      out.push(`${mark} ${i + 1}. ${s.bold(f.title)}  ${s.dim(`[${f.code}]`)}`);
      const listed =
        f.hosts.slice(0, MAX_HOSTS_LISTED).join(', ') +
        (f.hosts.length > MAX_HOSTS_LISTED ? `, … (+${f.hosts.length - MAX_HOSTS_LISTED} more)` : '');
      out.push(`     where:  ${listed}`);
      for (const example of f.examples.slice(0, f.hosts.length > 1 ? 1 : 2))
        out.push(`     seen:   ${example}`);
      out.push(`     cause:  ${f.cause}`);
      out.push(`     do:     ${f.action}`);
    });
    if (d.skipped > 0)
      out.push(
        s.dim(
          `   (${d.skipped} later check${d.skipped === 1 ? '' : 's'} not run because an earlier step failed)`,
        ),
      );
  }

  // The OS resolver (what applications use) and the DNS servers asked directly disagree.
  const disagreements = report.results.filter((r) => r.dns?.disagreement);
  if (disagreements.length > 0) {
    out.push('', s.bold('DNS: the OS resolver and the DNS servers disagree'));
    for (const r of disagreements.slice(0, MAX_HOSTS_LISTED)) out.push(`  ! ${r.dns?.disagreement}`);
  }

  // Grid of the critical hosts, then of the core workloads' hosts (each row names its workload).
  const byId = new Map(report.results.map((r) => [r.id, r]));
  const hosts = [...new Set(report.results.filter((r) => r.kind === 'https').map((r) => r.target))];
  const critical = hosts.filter((t) => t.workload === undefined);
  const workloads = hosts.filter((t) => t.workload !== undefined);
  if (critical.length > 0) out.push('', s.bold('Critical hosts'), ...hostGrid(critical, byId, s));
  if (workloads.length > 0) out.push('', s.bold('Core workloads'), ...hostGrid(workloads, byId, s));

  // One line per result of any other kind, so a new check shows up without a change here.
  const others = report.results.filter((r) => !GRID_KINDS.has(r.kind));
  const bloat = bufferbloatMs(report.results);
  if (others.length > 0) {
    out.push('', s.bold('Service checks'));
    const hostWidth = Math.max(...others.map((r) => r.target.host.length)) + 2;
    const kindWidth = Math.max(11, ...others.map((r) => r.kind.length + 1));
    for (const r of others) {
      const mark =
        r.outcome.status === 'ok'
          ? s.green('✔')
          : isNotRun(r.outcome)
            ? s.dim('–')
            : r.outcome.layer === 'perf' || (r.outcome.layer === 'media' && r.outcome.class === 'degraded')
              ? s.yellow('!')
              : s.red('✘');
      if (
        r.outcome.status === 'fail' &&
        (r.outcome.class === 'not-applicable' || r.outcome.class === 'not-planned') &&
        r.outcome.layer === 'probe'
      ) {
        // A not-planned message already starts "not run: …".
        const text =
          r.outcome.class === 'not-planned' ? r.outcome.message : `not applicable — ${r.outcome.message}`;
        out.push(`  ${mark} ${pad(r.kind, kindWidth)}${pad(r.target.host, hostWidth)}${s.dim(text)}`);
        continue;
      }
      if (r.outcome.status === 'fail' && r.outcome.class === 'not-measured' && r.outcome.layer === 'probe') {
        out.push(
          `  ${mark} ${pad(r.kind, kindWidth)}${pad(r.target.host, hostWidth)}${s.yellow(`not measured: ${r.outcome.message}`)}`,
        );
        continue;
      }
      let what = '';
      if (r.kind === 'latency' && r.latency)
        what =
          r.latency.medianMs !== undefined
            ? `median ${ms(r.latency.medianMs)}, jitter ${ms(r.latency.jitterMs ?? 0)} over ${r.latency.samplesMs.length} samples`
            : 'no samples';
      if (r.kind === 'throughput' && r.throughput)
        what = `${r.throughput.mbps ?? 'n/a'} Mbit/s (${(r.throughput.bytes / 1048576).toFixed(1)} MiB in ${ms(r.throughput.durationMs)}, stopped by ${r.throughput.limitedBy})${loadedWords(r.throughput, bloat)}`;
      if (r.kind === 'quic' && r.quic && r.quic.attempts > 0)
        what =
          r.quic.replies > 0
            ? `version negotiation answered (${r.quic.versions.join(', ')}) in ${ms(r.quic.rttMs)}`
            : `${r.quic.attempts} probes, no answer; TCP ${r.quic.tcpReachable ? 'works' : 'fails too'}`;
      if (r.kind === 'teams-media' && r.teamsMedia) what = teamsMediaLine(r.teamsMedia);
      if (r.kind === 'resolver' && r.resolver?.address)
        what =
          r.resolver.method === 'zone'
            ? `your DNS resolver reached the collector from ${r.resolver.address} (the collector locates it)`
            : `your DNS resolver is ${r.resolver.address}, as ${r.resolver.name} reports it (the collector locates it)`;
      if (r.kind === 'websocket' && r.websocket) {
        const w = r.websocket;
        what = w.originAnswered
          ? `the origin answered the upgrade with ${w.upgradeStatus} (needs a token; the path is fine)`
          : w.upgradeStatus === 101
            ? `upgraded${w.echoRttMs !== undefined ? `, echo ${ms(w.echoRttMs)}` : ''}, held ${ms(w.heldMs)} of ${ms(w.holdTargetMs)}`
            : '';
      }
      const failure = r.outcome.status === 'fail' ? `${r.outcome.layer}/${r.outcome.class}` : '';
      out.push(
        `  ${mark} ${pad(r.kind, kindWidth)}${pad(r.target.host, hostWidth)}${[what, failure && (r.outcome.status === 'fail' && !what ? `${failure}` : failure)].filter(Boolean).join(' — ')}`,
      );
    }
  }
  if (report.sweep) out.push('', ...sweepSummaryLines(report.sweep, s));
  out.push('');
  out.push(
    s.dim(
      `report ${report.reportId} · ${d.passed}/${d.checks - d.skipped - d.notApplicable - d.notPlanned - d.notMeasured} checks passed${d.skipped ? ` · ${d.skipped} not run` : ''}${d.notApplicable ? ` · ${d.notApplicable} not applicable` : ''}${d.notPlanned ? ` · ${d.notPlanned} heavy not planned` : ''}${d.notMeasured ? ` · ${d.notMeasured} not measured` : ''}${trafficText(report)}`,
    ),
  );
  return out.join('\n');
}

/** What the run cost the network (the report's per-check `traffic`), e.g. ` · 8.5 MB sent and received`. */
function trafficText(report: ProbeReport): string {
  if (!report.traffic?.length) return '';
  const bytes = report.traffic.reduce((n, t) => n + t.sentBytes + t.receivedBytes, 0);
  const size = bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
  return ` · ${size} sent and received`;
}

/** The Teams media result in one line: ports answered, loss, RTT, jitter, MOS, the reflexive address and the TCP fallback. */
function teamsMediaLine(t: TeamsMediaDetail): string {
  const answering = t.ports.filter((p) => p.answered > 0).map((p) => p.port);
  const udp =
    answering.length === 0
      ? `UDP ${t.ports.map((p) => p.port).join(', ')}: no answer to ${t.sent} STUN requests`
      : `UDP ${answering.join(', ')} answered${answering.length < t.ports.length ? ` (of ${t.ports.length} ports)` : ''}: loss ${t.lossPercent} %, RTT ${ms(t.rttMedianMs)} (p95 ${ms(t.rttP95Ms)}), jitter ${ms(t.jitterMs ?? 0)}, MOS ≈ ${t.mos}${t.reflexive ? `, seen as ${t.reflexive}` : ''}`;
  const tcp = t.tcpFallback
    ? `TCP ${t.tcpFallback.port} ${t.tcpFallback.ok ? 'works' : 'fails'}${t.tcpFallback.via === 'proxy' ? ' via the proxy (UDP goes direct: HTTP proxies carry TCP only)' : ''}`
    : '';
  return [udp, tcp].filter(Boolean).join('; ');
}

/** "; latency under load 48 ms (+40 ms over idle)" when the download carried loaded samples. */
function loadedWords(t: ThroughputDetail, bloat: number | undefined): string {
  const loaded = t.loadedLatency?.medianMs;
  if (loaded === undefined) return '';
  return `; latency under load ${ms(loaded)}${bloat !== undefined ? ` (${bloat >= 0 ? '+' : ''}${ms(bloat)} over idle)` : ''}`;
}

/** One row per host: DNS, TCP, TLS, HTTPS and HTTP/2 cells; a workload host leads with its workload. */
function hostGrid(targets: Target[], byId: Map<string, CheckResult>, s: Style): string[] {
  const label = (t: Target) => (t.workload === undefined ? t.host : `${t.workload}: ${t.host}`);
  const width = Math.min(56, Math.max(...targets.map((t) => label(t).length)) + 2);
  const out = [
    s.dim(`  ${pad('host', width)}${pad('dns', 18)}${pad('tcp', 18)}${pad('tls', 22)}${pad('https', 22)}h2`),
  ];
  for (const t of targets) {
    const key = t.port === 443 ? t.host : `${t.host}:${t.port}`;
    const https = byId.get(`https:${key}`);
    // A host that waits for a setting (the SharePoint tenant name) says so instead of a row of dashes.
    if (https && https.outcome.status === 'fail' && https.outcome.class === 'not-applicable') {
      out.push(`${pad(`  ${label(t)}`, width + 2)}${s.dim(`not run: ${https.outcome.message}`)}`);
      continue;
    }
    const dns = byId.get(`dns:${key}`);
    const row = [
      pad(`  ${label(t)}`, width + 2),
      pad(
        dns
          ? cell(dns, s, (r) => (r.dns?.pinned ? 'pinned' : `ok ${ms(r.timings?.dnsMs)}`))
          : s.dim('via proxy'),
        18,
      ),
      pad(
        cell(
          byId.get(`tcp:${key}`),
          s,
          (r) => `ok ${ms((r.timings?.connectMs ?? 0) + (r.timings?.proxyConnectMs ?? 0))}`,
        ),
        18,
      ),
      pad(
        cell(byId.get(`tls:${key}`), s, (r) => `${r.tls?.verdict ?? 'ok'} ${r.tls?.protocol ?? ''}`),
        22,
      ),
      pad(
        cell(
          https,
          s,
          (r) =>
            `${r.http?.status ?? 'ok'} ${r.http?.servedBy === 'origin' ? 'origin' : (r.http?.servedBy ?? '')} ${ms(r.timings?.totalMs)}`,
        ),
        22,
      ),
      cell(byId.get(`http2:${key}`), s, (r) =>
        r.http2?.negotiated === 'h2' ? 'h2' : (r.http2?.negotiated ?? 'http/1.1'),
      ),
    ];
    out.push(row.join(''));
  }
  return out;
}
