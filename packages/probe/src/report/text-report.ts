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
  type TeamsMediaDetail,
  type ThroughputDetail,
} from '@netinsights/protocol';
import { diagnose } from './findings.ts';
import { type Style, style } from './style.ts';

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

  // Grid of the critical hosts.
  const byId = new Map(report.results.map((r) => [r.id, r]));
  const hosts = [...new Set(report.results.filter((r) => r.kind === 'https').map((r) => r.target))];
  if (hosts.length > 0) {
    out.push('', s.bold('Critical hosts'));
    const width = Math.min(48, Math.max(...hosts.map((t) => t.host.length)) + 2);
    out.push(
      s.dim(
        `  ${pad('host', width)}${pad('dns', 18)}${pad('tcp', 18)}${pad('tls', 22)}${pad('https', 22)}h2`,
      ),
    );
    for (const t of hosts) {
      const key = t.port === 443 ? t.host : `${t.host}:${t.port}`;
      const dns = byId.get(`dns:${key}`);
      const row = [
        pad(`  ${t.host}`, width + 2),
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
            byId.get(`https:${key}`),
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
  }

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
        r.outcome.class === 'not-applicable' &&
        r.outcome.layer === 'probe'
      ) {
        out.push(
          `  ${mark} ${pad(r.kind, 11)}${pad(r.target.host, hostWidth)}${s.dim(`not applicable — ${r.outcome.message}`)}`,
        );
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
  out.push('');
  out.push(
    s.dim(
      `report ${report.reportId} · ${d.passed}/${d.checks - d.skipped - d.notApplicable - d.notMeasured} checks passed${d.skipped ? ` · ${d.skipped} not run` : ''}${d.notApplicable ? ` · ${d.notApplicable} not applicable` : ''}${d.notMeasured ? ` · ${d.notMeasured} not measured` : ''}`,
    ),
  );
  return out.join('\n');
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
