/**
 * @module bench/ingest
 * Ingest throughput and latency, each part in its own process so the load
 * generator does not steal the server's event loop:
 * - the real collector (`netinsights serve`, SQLite WAL flushed before each 202, group commit)
 *   vs a bare baseline Fastify server that only parses the JSON, both driven
 *   closed-loop by the same keep-alive load generator (reports of 25 checks);
 *   the collector runs twice, in this machine's default ingest mode (the
 *   headline figures) and in the other one (`--ingest-workers 0` or 1), so
 *   both are compared in the same rounds;
 * - p99 latency of the real collector at a fixed 500 reports/s (open loop:
 *   requests are sent on schedule whether or not earlier ones have returned).
 *
 * This file plays three roles, chosen by NI_INGEST_BENCH_ROLE: the bench
 * (default export), the baseline server, and the load generator.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newReportId } from '@netinsights/protocol';
import { defaultConfig } from '../packages/server/src/config/server-config.ts';
import { sampleReport } from '../packages/server/test/helpers/sample-report.ts';
import type { BenchFigure } from './bench-figure.ts';

const SELF = new URL(import.meta.url).pathname;
const CLI = new URL('../packages/cli/bin/netinsights.ts', import.meta.url).pathname;
const ROLE = process.env.NI_INGEST_BENCH_ROLE;

const CHECKS = 25;
const WARMUP_S = Number(process.env.NI_WARMUP_S ?? 2);
const SUSTAIN_S = Number(process.env.NI_SECONDS ?? 8);
/**
 * Baseline and collector are measured in short alternating slices (after a
 * warm-up each), so a noisy neighbour hits both alike; the first
 * SLICE_SETTLE_S of a slice is not counted (connections refill).
 */
const SLICES = Number(process.env.NI_SLICES ?? 10);
const SLICE_S = 1.5;
const SLICE_SETTLE_S = 0.25;
const CONCURRENCY = Number(process.env.NI_BENCH_CONCURRENCY ?? 48);
const FIXED_RATE = 500;
const FIXED_S = 8;
/** The collector runs in this machine's default ingest mode, and in the other one for comparison. */
const WORKERS = defaultConfig().ingestWorkers;
const OTHER_WORKERS = WORKERS === 0 ? 1 : 0;

// ───────────────────────── baseline server role ─────────────────────────
async function baselineServer(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ bodyLimit: 8 * 1024 * 1024 });
  app.post('/api/v1/reports', async (req, reply) => {
    // Parsed by Fastify's JSON parser; nothing else happens.
    reply.status(202);
    return { reportId: (req.body as { reportId?: string }).reportId, duplicate: false };
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`baseline listening on ${address}`);
}

// ───────────────────────── load generator role ─────────────────────────
export interface LoadResult {
  /** 202s to requests sent and answered inside the measured time. */
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  /** Every 202, warm-up included (what the server's CPU time was spent on). */
  answered: number;
}

/** One interleaved slice: `target` (index into NI_TARGETS) driven closed-loop for `seconds`. */
interface Slice extends LoadResult {
  target: number;
  /** CPU seconds the target's server process used during the slice. */
  cpu: number;
  /** CPU seconds of the same process's main thread (its event loop). */
  loopCpu: number;
}

interface Target {
  url: string;
  token: string;
  /** The server's process id, for its CPU time. */
  pid?: number;
}

/** One body template; each request gets a fresh report id spliced in, made as the probe makes them. */
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
const TEMPLATE = JSON.stringify(sampleReport({ reportId: PLACEHOLDER, checks: CHECKS, failShare: 0.1 }));
const [HEAD, TAIL] = TEMPLATE.split(PLACEHOLDER) as [string, string];

/** Sends one report to `target` and resolves with its status (0 on a connection error) and latency. */
function sender(target: Target, connections: number) {
  const url = new URL('/api/v1/reports', target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = () =>
    new Promise<{ status: number; ms: number }>((resolve) => {
      const body = HEAD + newReportId() + TAIL;
      const t0 = performance.now();
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${target.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        },
      );
      req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/**
 * Closed loop: `connections` workers each send the next report as soon as the
 * last is answered. Counts only requests sent and answered inside the
 * measured `seconds` after `warmupSeconds`.
 */
async function closedLoop(
  send: ReturnType<typeof sender>['send'],
  connections: number,
  warmupSeconds: number,
  seconds: number,
): Promise<LoadResult> {
  const start = performance.now() + warmupSeconds * 1000;
  const end = start + seconds * 1000;
  const result: LoadResult = { ok: 0, failed: 0, seconds, latenciesMs: [], answered: 0 };
  const worker = async () => {
    while (performance.now() < end) {
      const sentAt = performance.now();
      const { status, ms } = await send();
      if (status === 202) result.answered++;
      if (sentAt < start || performance.now() > end) continue;
      if (status === 202) {
        result.ok++;
        result.latenciesMs.push(ms);
      } else result.failed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return result;
}

/** Open loop at FIXED_RATE: sends on schedule whether or not earlier requests have been answered. */
async function openLoop(send: ReturnType<typeof sender>['send']): Promise<LoadResult> {
  const interval = 1000 / FIXED_RATE;
  const total = (WARMUP_S + FIXED_S) * FIXED_RATE;
  const result: LoadResult = { ok: 0, failed: 0, seconds: FIXED_S, latenciesMs: [], answered: 0 };
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  let i = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.floor((performance.now() - t0) / interval);
      while (i < total && i <= due) {
        const measured = i >= WARMUP_S * FIXED_RATE;
        inflight.push(
          send().then(({ status, ms }) => {
            if (status === 202) result.answered++;
            if (!measured) return;
            if (status === 202) {
              result.ok++;
              result.latenciesMs.push(ms);
            } else result.failed++;
          }),
        );
        i++;
      }
      if (i < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  await Promise.all(inflight);
  return result;
}

async function loadGenerator(): Promise<void> {
  const targets = JSON.parse(process.env.NI_TARGETS!) as Target[];
  const mode = process.env.NI_MODE as 'closed' | 'fixed' | 'alternate';
  const senders = targets.map((t) => sender(t, CONCURRENCY));
  let out: LoadResult | Slice[];
  if (mode === 'fixed') out = await openLoop(senders[0]!.send);
  else if (mode === 'closed') out = await closedLoop(senders[0]!.send, CONCURRENCY, WARMUP_S, SUSTAIN_S);
  else {
    // Short slices, taking turns: the machine's speed drifts over seconds (shared host), and
    // neighbouring slices see nearly the same machine. Each target is warmed up first.
    for (const s of senders) await closedLoop(s.send, CONCURRENCY, 0, WARMUP_S);
    const slices: Slice[] = [];
    for (let round = 0; round < SLICES; round++) {
      for (const [target, s] of senders.entries()) {
        const pid = targets[target]!.pid;
        const cpu0 = pid ? cpuSeconds(pid) : Number.NaN;
        const loop0 = pid ? cpuSeconds(pid, pid) : Number.NaN;
        const r = await closedLoop(s.send, CONCURRENCY, SLICE_SETTLE_S, SLICE_S);
        slices.push({
          ...r,
          target,
          cpu: pid ? cpuSeconds(pid) - cpu0 : Number.NaN,
          loopCpu: pid ? cpuSeconds(pid, pid) - loop0 : Number.NaN,
        });
      }
    }
    out = slices;
  }
  for (const s of senders) s.close();
  await new Promise<void>((done) => process.stdout.write(`${JSON.stringify(out)}\n`, () => done()));
}

/** CPU seconds (user + system) a process — or one of its threads — has used so far, from /proc (Linux). */
function cpuSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), in clock ticks; 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

// ───────────────────────── bench role ─────────────────────────
function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

/** Runs this file's load-generator role in its own process and returns what it printed. */
function spawnLoad<T>(env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF], {
      env: { ...process.env, NI_INGEST_BENCH_ROLE: 'load', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
    });
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`load generator failed (${code}): ${out.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Drives one collector from a separate process (also used by
 * bench/postgres.bench.ts, so every ingest figure comes from the same generator).
 */
export function runLoad(
  target: string,
  token: string,
  opts: { mode: 'closed' | 'fixed'; seconds?: number; connections?: number },
): Promise<LoadResult> {
  return spawnLoad<LoadResult>({
    NI_TARGETS: JSON.stringify([{ url: target, token }]),
    NI_MODE: opts.mode,
    ...(opts.seconds ? { NI_SECONDS: String(opts.seconds), NI_WARMUP_S: '1' } : {}),
    ...(opts.connections ? { NI_BENCH_CONCURRENCY: String(opts.connections) } : {}),
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};

export default async function ingestBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-bench-ingest-'));
  const db = join(dir, 'bench.db');
  const otherDb = join(dir, 'bench-inline.db');
  const cli = (...args: string[]) =>
    JSON.parse(
      execFileSync(process.execPath, [CLI, ...args, '--db', db, '--json'], { encoding: 'utf8' }),
    ) as Record<string, string>;
  try {
    const tenant = cli('admin', 'create-tenant', '--name', 'Bench');
    const { token } = cli('admin', 'create-agent-token', '--tenant', tenant.id!, '--name', 'bench');

    const baseline = await startChild([SELF], { NI_INGEST_BENCH_ROLE: 'baseline' }, /listening on (\S+)/);
    const serve = (file: string, ingestWorkers: number) => [
      CLI,
      'serve',
      '--db',
      file,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--ingest-burst',
      '10000000',
      '--ingest-rate-per-second',
      '1000000',
      '--ingest-workers',
      String(ingestWorkers),
    ];
    // The same database contents for both collectors: the tenant and token, nothing else.
    copyFileSync(db, otherDb);
    const server = await startChild(serve(db, WORKERS), {}, /listening on (\S+)/);
    const other = await startChild(serve(otherDb, OTHER_WORKERS), {}, /listening on (\S+)/);
    let slices: Slice[];
    let fixed: LoadResult;
    try {
      slices = await spawnLoad<Slice[]>({
        NI_MODE: 'alternate',
        NI_TARGETS: JSON.stringify([
          { url: baseline.url, token: 'none', pid: baseline.child.pid },
          { url: server.url, token, pid: server.child.pid },
          { url: other.url, token, pid: other.child.pid },
        ]),
      });
      await stop(other.child);
      fixed = await runLoad(server.url, token!, { mode: 'fixed' });
    } finally {
      await stop(baseline.child);
      await stop(server.child);
      await stop(other.child);
    }
    const rateOf = (r: LoadResult) => r.ok / r.seconds;
    const median = (xs: number[]) => percentile(xs, 0.5);
    const baseSlices = slices.filter((s) => s.target === 0);
    const ourSlices = slices.filter((s) => s.target === 1);
    const otherSlices = slices.filter((s) => s.target === 2);
    const sum = (rs: Slice[], key: 'ok' | 'failed' | 'answered' | 'cpu' | 'loopCpu') =>
      rs.reduce((a, r) => a + r[key], 0);
    const ratios = ourSlices.map((o, i) => rateOf(o) / rateOf(baseSlices[i]!));
    const otherRatios = otherSlices.map((o, i) => rateOf(o) / rateOf(baseSlices[i]!));
    const baseRate = median(baseSlices.map(rateOf));
    const rate = median(ourSlices.map(rateOf));
    const ratio = median(ratios);
    const p99 = percentile(fixed.latenciesMs, 0.99);
    const perReportUs = (rs: Slice[], key: 'cpu' | 'loopCpu' = 'cpu') =>
      (1e6 * sum(rs, key)) / sum(rs, 'answered');
    const ourUs = perReportUs(ourSlices);
    const baseUs = perReportUs(baseSlices);
    const note = (rs: Slice[]) =>
      `${sum(rs, 'ok')} ok, ${sum(rs, 'failed')} failed in ${rs.length} slices of ${SLICE_S} s`;
    const failed = sum(ourSlices, 'failed');
    return [
      {
        name: `ingest rate (SQLite WAL, fdatasync before 202, group commit, ${CHECKS} checks/report, --ingest-workers ${WORKERS})`,
        value: rate,
        unit: 'reports/s',
        target: '≥ 2000',
        pass: rate >= 2000 && failed === 0,
        baseline: { name: 'bare Fastify, JSON parse only', value: baseRate, unit: 'reports/s' },
        note: `median of ${SLICES} slices; ${note(ourSlices)}; ${CONCURRENCY} keep-alive connections from a separate process`,
      },
      {
        name: 'ingest rate vs bare baseline',
        value: 100 * ratio,
        unit: '%',
        target: '≥ 50',
        pass: ratio >= 0.5 && failed === 0,
        note:
          `median of ${SLICES} ratios of neighbouring slices, baseline and collector taking turns ` +
          `(${ratios.map((x) => (100 * x).toFixed(0)).join(', ')} %); baseline ${note(baseSlices)}`,
      },
      {
        name: `ingest rate vs bare baseline with --ingest-workers ${OTHER_WORKERS} (not this machine's default)`,
        value: 100 * median(otherRatios),
        unit: '%',
        note:
          `the same collector in the other ingest mode, taking its turn in the same rounds ` +
          `(${otherRatios.map((x) => (100 * x).toFixed(0)).join(', ')} %); ${note(otherSlices)}`,
      },
      {
        name: 'event-loop CPU per report',
        value: perReportUs(ourSlices, 'loopCpu'),
        unit: 'µs',
        note:
          `main thread only (what caps the rate when cores are to spare); with --ingest-workers ${OTHER_WORKERS}: ` +
          `${perReportUs(otherSlices, 'loopCpu').toFixed(0)} µs`,
        baseline: {
          name: 'bare Fastify, JSON parse only',
          value: perReportUs(baseSlices, 'loopCpu'),
          unit: 'µs',
        },
      },
      {
        name: 'server CPU per report',
        value: ourUs,
        unit: 'µs',
        note: 'user+system CPU of the collector process (all its threads) per acknowledged report',
        baseline: { name: 'bare Fastify, JSON parse only', value: baseUs, unit: 'µs' },
      },
      {
        name: 'CPU-normalised rate vs bare baseline',
        value: (100 * baseUs) / ourUs,
        unit: '%',
        note: 'baseline CPU per report ÷ ours: what the ratio would be with a core to spare for each',
      },
      {
        name: `ingest p99 latency at ${FIXED_RATE} reports/s`,
        value: p99,
        unit: 'ms',
        target: '≤ 50',
        pass: p99 <= 50 && fixed.failed === 0,
        note: `${fixed.ok} ok, ${fixed.failed} failed in ${FIXED_S} s; p50 ${percentile(fixed.latenciesMs, 0.5).toFixed(1)} ms, max ${Math.max(...fixed.latenciesMs).toFixed(1)} ms`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ROLE === 'baseline') await baselineServer();
else if (ROLE === 'load') await loadGenerator();
