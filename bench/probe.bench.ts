/**
 * The probe's cost, measured against the lab (issue #2), and the lab's own
 * start time (target: about a second; baseline: one CA and one certificate):
 * - wall time of the full suite on the healthy direct path, without the
 *   fixed-length phases (WebSocket hold 0 s, throughput capped at 64 KiB so
 *   it ends on bytes at once); median of several runs, target ≤ 1.5 s;
 *   baseline: ten sequential bare TLS handshakes to the same front door;
 * - the same with the Teams media phase (STUN to four UDP ports for the
 *   lab profile's fixed 1 s); target: the first figure's target plus that
 *   length; baseline: the first figure;
 * - wall time when everything is blackholed: the names of one domain get no
 *   DNS answer, every other name resolves to a TCP listener that never
 *   accepts (its backlog is full, so SYNs go unanswered), UDP is dropped;
 *   target: within the run deadline + 10 %; baseline: the deadline itself;
 * - peak memory (maxRSS) of the probe as shipped to an endpoint — the
 *   bundle packages/probe/dist/netinsights-probe.mjs (and the chunks it
 *   loads), rebuilt here when stale —
 *   in a child process running the full healthy suite (8 MiB download, 1 s
 *   hold); target ≤ 100 MB; baseline: the same run from the TypeScript
 *   sources (`netinsights probe`), with a bare `node` child and the idle
 *   bundle in the note. A second line reports the TypeScript-source run
 *   against `netinsights version`. Each figure is the median of
 *   MEMORY_RUNS child runs, the two builds alternating.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { createRootCa, type Lab, retargetProfile, retargetTeamsMedia, startLab } from '@netinsights/lab';
import { startDnsResolver } from '@netinsights/lab/dns-resolver.ts';
import { runProbe } from '@netinsights/probe';
import { buildProbeIfStale, PROBE_BUNDLE } from '../scripts/build-probe-if-stale.ts';
import type { BenchFigure } from './bench-figure.ts';

const RUNS = 5;
const MEMORY_RUNS = 3;
const BLACKHOLE_DEADLINE_MS = 4_000;
const BLACKHOLE_CHECK_TIMEOUT_MS = 1_500;
const BIN = fileURLToPath(new URL('../packages/cli/bin/netinsights.ts', import.meta.url));
/**
 * Prints the child's peak RSS (kB) to stderr as it exits; `--import` runs it
 * before the CLI. On Linux it reads VmHWM, the peak of the process's own
 * memory since exec: getrusage's maxRSS (`resourceUsage().maxRSS`) also
 * counts the memory the spawning process had when it forked, so late in a
 * full `npm run bench` every child read as large as the bench runner
 * (150.9 MB for the probe and for `netinsights version` alike).
 */
const MAXRSS_HOOK = `data:text/javascript,process.on('exit',()=>{let kb=process.resourceUsage().maxRSS;try{const m=/VmHWM:\\s*(\\d+)/.exec(process.getBuiltinModule('fs').readFileSync('/proc/self/status','utf8'));if(m)kb=Number(m[1])}catch{}process.stderr.write('\\nMAXRSS_KB '+kb+'\\n')})`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function healthyWallTime(
  lab: Lab,
  withTeamsMedia = false,
): Promise<{ ms: number; runs: number[]; checks: number }> {
  // 64 KiB ends the download on bytes at once; a speed verdict on so little data would only
  // measure how loaded the machine is, so this profile asks for none.
  const { slowBelowMbps: _unjudged, ...throughput } = lab.profile.throughput;
  // The Teams media phase has a fixed length of its own: measured as a separate figure.
  const { teamsMedia, ...rest } = lab.profile;
  const profile = {
    ...rest,
    ...(withTeamsMedia && teamsMedia ? { teamsMedia } : {}),
    throughput: { ...throughput, maxBytes: 64 * 1024 },
  };
  const runs: number[] = [];
  let checks = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const report = await runProbe(lab.probeOptionsFor('healthy-direct', { profile, wsHoldSeconds: 0 }));
    const ms = performance.now() - t0;
    const failed = report.results.filter((r) => r.outcome.status !== 'ok');
    if (failed.length > 0)
      throw new Error(`healthy run found problems: ${failed.map((r) => r.id).join(', ')}`);
    checks = report.results.length;
    // The first run warms module and TLS caches; it is not counted.
    if (i > 0) runs.push(ms);
  }
  return { ms: median(runs), runs, checks };
}

/** Ten sequential TLS handshakes to the front door: the floor under the probe's own TLS work. */
async function bareTlsLoop(lab: Lab): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) {
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect(
        {
          host: '127.0.0.1',
          port: lab.parts.frontDoor.port,
          servername: 'm365.cloud.microsoft',
          ca: [lab.trust.labRoot],
          ALPNProtocols: ['h2', 'http/1.1'],
        },
        () => {
          s.destroy();
          resolve();
        },
      );
      s.once('error', reject);
    });
  }
  return performance.now() - t0;
}

/**
 * A TCP listener that never accepts: a child process binds it with a backlog
 * of 1 and then blocks its own event loop, so the kernel queue fills and
 * further SYNs are dropped. Returned with a kill switch.
 */
async function neverAcceptingListener(): Promise<{ port: number; kill(): void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('node:net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(s.address().port+'\\n');setTimeout(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0),50)})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', () => reject(new Error('blackhole listener exited')));
  });
  await new Promise((r) => setTimeout(r, 150));
  return { port, kill: () => child.kill('SIGKILL') };
}

async function blackholedWallTime(
  lab: Lab,
): Promise<{ ms: number; deadlineOutcomes: number; checks: number }> {
  const listener = await neverAcceptingListener();
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  udp.on('message', () => {});
  const records = Object.fromEntries(
    lab.profile.criticalDomains.flatMap((d) => d.hosts).map((h) => [h, '127.0.0.1'] as const),
  );
  records['substrate.office.com'] = '127.0.0.1';
  const dns = await startDnsResolver({ records, fail: { suffix: 'static.microsoft', mode: 'silence' } });
  try {
    const profile = retargetTeamsMedia(
      retargetProfile(lab.profile, { tcpPort: listener.port, udpPort: udp.address().port }),
      { udpPorts: [udp.address().port], tcpPort: listener.port },
    );
    const t0 = performance.now();
    const report = await runProbe({
      profile,
      env: {},
      dnsServers: [dns.address],
      deadlineMs: BLACKHOLE_DEADLINE_MS,
      checkTimeoutMs: BLACKHOLE_CHECK_TIMEOUT_MS,
    });
    const ms = performance.now() - t0;
    // Names outside the silent domain do resolve, and the listener's backlog completes one or
    // two TCP handshakes (which a connect-time latency sample may catch); nothing above TCP may pass.
    const passed = report.results.filter(
      (r) => r.outcome.status === 'ok' && !['dns', 'tcp', 'latency'].includes(r.kind),
    );
    if (passed.length > 0)
      throw new Error(`checks passed on a blackholed path: ${passed.map((r) => r.id).join(', ')}`);
    return {
      ms,
      checks: report.results.length,
      deadlineOutcomes: report.results.filter(
        (r) => r.outcome.status === 'fail' && r.outcome.class === 'deadline',
      ).length,
    };
  } finally {
    listener.kill();
    await dns.close();
    await new Promise<void>((r) => udp.close(() => r()));
  }
}

function childMaxRss(args: string[]): Promise<{ kb: number; code: number | null; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', MAXRSS_HOOK, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        NO_COLOR: '1',
        HTTPS_PROXY: '',
        HTTP_PROXY: '',
        https_proxy: '',
        http_proxy: '',
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const kb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1]);
      if (!Number.isFinite(kb)) reject(new Error(`no maxRSS from child: ${stderr.slice(-500)}`));
      else resolve({ kb, code, ms: performance.now() - t0 });
    });
  });
}

interface PeakMemory {
  /** The endpoint bundle running the probe, median MB. */
  bundleMb: number;
  bundleRunsMb: number[];
  bundleIdleMb: number;
  /** Size of the entry file, and of the chunks it imports when needed (the probe, the PAC engine). */
  bundleKib: number;
  chunksKib: number;
  /** `netinsights probe` from the TypeScript sources, median MB. */
  sourceMb: number;
  sourceRunsMb: number[];
  cliFloorMb: number;
  bareMb: number;
  codes: (number | null)[];
  bundleMs: number;
}

async function probePeakMemory(lab: Lab): Promise<PeakMemory> {
  await buildProbeIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'ni-probe-bench-'));
  try {
    const options = lab.probeOptionsFor('healthy-direct');
    const profileFile = join(dir, 'lab.json');
    writeFileSync(profileFile, JSON.stringify(options.profile));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, (options.extraTrustedCas ?? []).join('\n'));
    const flags = ['--profile', profileFile, '--ca', caFile, '--json', '--no-progress'];
    for (const d of options.dnsServers ?? []) flags.push('--dns-server', d);
    const bundle: { kb: number; code: number | null; ms: number }[] = [];
    const source: { kb: number; code: number | null; ms: number }[] = [];
    for (let i = 0; i < MEMORY_RUNS; i++) {
      // Alternating, so a burst of load on the shared machine hits both alike.
      bundle.push(await childMaxRss([PROBE_BUNDLE, ...flags]));
      source.push(await childMaxRss([BIN, 'probe', ...flags]));
    }
    const bundleIdle = await childMaxRss([PROBE_BUNDLE, '--version']);
    // The same CLI doing nothing (loads the version command and the TypeScript stripper).
    const idle = await childMaxRss([BIN, 'version']);
    const bare = await childMaxRss(['-e', '']);
    const mb = (r: { kb: number }) => r.kb / 1024;
    return {
      bundleMb: median(bundle.map(mb)),
      bundleRunsMb: bundle.map(mb),
      bundleIdleMb: mb(bundleIdle),
      bundleKib: statSync(PROBE_BUNDLE).size / 1024,
      chunksKib: readdirSync(join(dirname(PROBE_BUNDLE), 'chunks')).reduce(
        (sum, f) => sum + statSync(join(dirname(PROBE_BUNDLE), 'chunks', f)).size / 1024,
        0,
      ),
      sourceMb: median(source.map(mb)),
      sourceRunsMb: source.map(mb),
      cliFloorMb: mb(idle),
      bareMb: mb(bare),
      codes: [...bundle, ...source].map((r) => r.code),
      bundleMs: median(bundle.map((r) => r.ms)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function probeBench(): Promise<BenchFigure[]> {
  const t0 = performance.now();
  const lab = await startLab();
  const labStartMs = performance.now() - t0;
  try {
    const healthy = await healthyWallTime(lab);
    const withTeams = await healthyWallTime(lab, true);
    const teamsPhaseMs = (lab.profile.teamsMedia?.durationSeconds ?? 0) * 1000;
    const tlsLoop = await bareTlsLoop(lab);
    const blackholed = await blackholedWallTime(lab);
    const memory = await probePeakMemory(lab);
    const t1 = performance.now();
    await (await createRootCa({ commonName: 'bench' })).issueServer(['bench.example']);
    const oneCaMs = performance.now() - t1;
    const blackholeLimit = BLACKHOLE_DEADLINE_MS * 1.1;
    return [
      {
        name: 'lab start (PKI, front door, resolvers, every middlebox)',
        value: labStartMs,
        unit: 'ms',
        target: '≤ 1000',
        pass: labStartMs <= 1000,
        baseline: { name: 'one root CA + one server certificate', value: oneCaMs, unit: 'ms' },
      },
      {
        name: 'probe wall time, full suite, healthy lab path (hold 0 s, 64 KiB download)',
        value: healthy.ms,
        unit: 'ms',
        target: '≤ 1500',
        pass: healthy.ms <= 1500,
        baseline: { name: '10 sequential bare TLS handshakes', value: tlsLoop, unit: 'ms' },
        note: `median of ${RUNS} in-process runs (${healthy.runs.map((r) => Math.round(r)).join(', ')} ms), ${healthy.checks} checks; lab started in ${Math.round(labStartMs)} ms`,
      },
      {
        name: `probe wall time, full suite with the Teams media phase (fixed ${teamsPhaseMs / 1000} s in the lab)`,
        value: withTeams.ms,
        unit: 'ms',
        target: `≤ ${1500 + teamsPhaseMs} (1500 + the phase's fixed length)`,
        pass: withTeams.ms <= 1500 + teamsPhaseMs,
        baseline: { name: 'the same suite without the Teams media phase', value: healthy.ms, unit: 'ms' },
        note: `median of ${RUNS} in-process runs (${withTeams.runs.map((r) => Math.round(r)).join(', ')} ms), ${withTeams.checks} checks; the shipped profile's phase is 2.5 s (4 ports × 125 STUN requests at 20 ms), run alongside the other checks`,
      },
      {
        name: `probe wall time, everything blackholed (deadline ${BLACKHOLE_DEADLINE_MS / 1000} s)`,
        value: blackholed.ms,
        unit: 'ms',
        target: `≤ ${blackholeLimit} (deadline + 10 %)`,
        pass: blackholed.ms <= blackholeLimit,
        baseline: { name: 'run deadline', value: BLACKHOLE_DEADLINE_MS, unit: 'ms' },
        note: `${blackholed.checks} checks, ${blackholed.deadlineOutcomes} cut off by the deadline; check timeout ${BLACKHOLE_CHECK_TIMEOUT_MS} ms`,
      },
      {
        name: 'probe peak memory (maxRSS, endpoint bundle, full healthy suite)',
        value: memory.bundleMb,
        unit: 'MB',
        target: '≤ 100',
        pass: memory.bundleMb <= 100 && memory.codes.every((c) => c === 0),
        baseline: {
          name: 'the same run from the TypeScript sources (`netinsights probe`)',
          value: memory.sourceMb,
          unit: 'MB',
        },
        note: `median of ${MEMORY_RUNS} (${memory.bundleRunsMb.map((m) => m.toFixed(1)).join(', ')} MB); bundle ${Math.round(memory.bundleKib)} KiB + ${Math.round(memory.chunksKib)} KiB of chunks, idle (--version) ${memory.bundleIdleMb.toFixed(1)} MB; bare node ${memory.bareMb.toFixed(1)} MB; exit codes ${memory.codes.join(',')}; child wall time ${Math.round(memory.bundleMs)} ms (8 MiB download, 1 s hold)`,
      },
      {
        name: 'probe peak memory (maxRSS, `netinsights probe` from TypeScript sources)',
        value: memory.sourceMb,
        unit: 'MB',
        baseline: { name: '`netinsights version` maxRSS', value: memory.cliFloorMb, unit: 'MB' },
        note: `for comparison with the bundle; median of ${MEMORY_RUNS} (${memory.sourceRunsMb.map((m) => m.toFixed(1)).join(', ')} MB)`,
      },
    ];
  } finally {
    await lab.close();
  }
}
