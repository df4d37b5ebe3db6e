/**
 * @module bench/ingest
 * Ingest throughput and latency, each part in its own process so the load
 * generator does not steal the server's event loop:
 * - the real collector (`netinsights serve`, SQLite WAL flushed before each 202, group commit)
 *   vs a bare baseline Fastify server that only parses the JSON, both driven
 *   closed-loop by the same keep-alive load generator (reports of 25 checks);
 * - p99 latency of the real collector at a fixed 500 reports/s (open loop:
 *   requests are sent on schedule whether or not earlier ones have returned).
 *
 * This file plays three roles, chosen by NI_INGEST_BENCH_ROLE: the bench
 * (default export), the baseline server, and the load generator.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newReportId } from '@netinsights/protocol';
import { sampleReport } from '../packages/server/test/helpers/sample-report.ts';
import type { BenchFigure } from './bench-figure.ts';

const SELF = new URL(import.meta.url).pathname;
const CLI = new URL('../packages/cli/bin/netinsights.ts', import.meta.url).pathname;
const ROLE = process.env.NI_INGEST_BENCH_ROLE;

const CHECKS = 25;
const WARMUP_S = Number(process.env.NI_WARMUP_S ?? 2);
const SUSTAIN_S = Number(process.env.NI_SECONDS ?? 8);
/** Baseline and collector are measured in alternating rounds, so a noisy neighbour hits both alike. */
const ROUNDS = 4;
const ROUND_S = 3;
const CONCURRENCY = Number(process.env.NI_BENCH_CONCURRENCY ?? 48);
const FIXED_RATE = 500;
const FIXED_S = 8;

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
  ok: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
}

function loadGenerator(): Promise<void> {
  const url = new URL('/api/v1/reports', process.env.NI_TARGET!);
  const token = process.env.NI_TOKEN ?? 'none';
  const mode = process.env.NI_MODE as 'closed' | 'fixed';
  // One body template; each request gets a fresh report id spliced in, made as the probe makes them.
  const placeholder = '00000000-0000-4000-8000-000000000000';
  const template = JSON.stringify(sampleReport({ reportId: placeholder, checks: CHECKS, failShare: 0.1 }));
  const [head, tail] = template.split(placeholder) as [string, string];
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let measuring = false;

  const send = () =>
    new Promise<void>((resolve) => {
      const body = head + newReportId() + tail;
      const t0 = performance.now();
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (measuring) {
              if (res.statusCode === 202) {
                ok++;
                latencies.push(performance.now() - t0);
              } else failed++;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (measuring) failed++;
        resolve();
      });
      req.end(body);
    });

  return new Promise((done) => {
    const finish = (seconds: number) => {
      agent.destroy();
      const result: LoadResult = { ok, failed, seconds, latenciesMs: latencies };
      process.stdout.write(`${JSON.stringify(result)}\n`, () => done());
    };
    if (mode === 'closed') {
      const end = performance.now() + (WARMUP_S + SUSTAIN_S) * 1000;
      let startedAt = 0;
      setTimeout(() => {
        measuring = true;
        startedAt = performance.now();
      }, WARMUP_S * 1000);
      const worker = async () => {
        while (performance.now() < end) await send();
      };
      Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() =>
        finish((performance.now() - startedAt) / 1000),
      );
    } else {
      // Open loop at a fixed rate: send on schedule, never wait for answers.
      const interval = 1000 / FIXED_RATE;
      const total = (WARMUP_S + FIXED_S) * FIXED_RATE;
      const inflight: Promise<void>[] = [];
      const t0 = performance.now();
      let i = 0;
      let startedAt = 0;
      const tick = () => {
        const due = Math.floor((performance.now() - t0) / interval);
        while (i < total && i <= due) {
          if (i === WARMUP_S * FIXED_RATE) {
            measuring = true;
            startedAt = performance.now();
          }
          inflight.push(send());
          i++;
        }
        if (i < total) setTimeout(tick, 1);
        else Promise.all(inflight).then(() => finish((performance.now() - startedAt) / 1000));
      };
      tick();
    }
  });
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

/**
 * Runs this file's load-generator role in its own process against `target`
 * (also used by bench/postgres.bench.ts, so every ingest figure comes from
 * the same generator).
 */
export function runLoad(
  target: string,
  token: string,
  opts: { mode: 'closed' | 'fixed'; seconds?: number; connections?: number },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF], {
      env: {
        ...process.env,
        NI_INGEST_BENCH_ROLE: 'load',
        NI_TARGET: target,
        NI_TOKEN: token,
        NI_MODE: opts.mode,
        ...(opts.seconds ? { NI_SECONDS: String(opts.seconds), NI_WARMUP_S: '1' } : {}),
        ...(opts.connections ? { NI_BENCH_CONCURRENCY: String(opts.connections) } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
    });
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`load generator failed (${code}): ${out.slice(0, 200)}`));
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), in clock ticks; 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};

export default async function ingestBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-bench-ingest-'));
  const db = join(dir, 'bench.db');
  const cli = (...args: string[]) =>
    JSON.parse(
      execFileSync(process.execPath, [CLI, ...args, '--db', db, '--json'], { encoding: 'utf8' }),
    ) as Record<string, string>;
  try {
    const tenant = cli('admin', 'create-tenant', '--name', 'Bench');
    const { token } = cli('admin', 'create-agent-token', '--tenant', tenant.id!, '--name', 'bench');

    const baseline = await startChild([SELF], { NI_INGEST_BENCH_ROLE: 'baseline' }, /listening on (\S+)/);
    const serverArgs = [
      CLI,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--ingest-burst',
      '10000000',
      '--ingest-rate-per-second',
      '1000000',
    ];
    const server = await startChild(serverArgs, {}, /listening on (\S+)/);
    const baseRounds: LoadResult[] = [];
    const ourRounds: LoadResult[] = [];
    // CPU the server processes used (warm-up included), to compare cost per report on a shared machine.
    let baseCpu = 0;
    let ourCpu = 0;
    let fixed: LoadResult;
    try {
      for (let r = 0; r < ROUNDS; r++) {
        let cpu0 = cpuSeconds(baseline.child.pid!);
        baseRounds.push(await runLoad(baseline.url, 'none', { mode: 'closed', seconds: ROUND_S }));
        baseCpu += cpuSeconds(baseline.child.pid!) - cpu0;
        cpu0 = cpuSeconds(server.child.pid!);
        ourRounds.push(await runLoad(server.url, token!, { mode: 'closed', seconds: ROUND_S }));
        ourCpu += cpuSeconds(server.child.pid!) - cpu0;
      }
      fixed = await runLoad(server.url, token!, { mode: 'fixed' });
    } finally {
      await stop(baseline.child);
      await stop(server.child);
    }
    const rateOf = (r: LoadResult) => r.ok / r.seconds;
    const median = (xs: number[]) => percentile(xs, 0.5);
    const sum = (rs: LoadResult[]) => ({
      ok: rs.reduce((a, r) => a + r.ok, 0),
      failed: rs.reduce((a, r) => a + r.failed, 0),
      seconds: rs.reduce((a, r) => a + r.seconds, 0),
      latenciesMs: [],
    });
    const base = sum(baseRounds);
    const ours = sum(ourRounds);
    const ratios = ourRounds.map((o, i) => rateOf(o) / rateOf(baseRounds[i]!));

    const baseRate = median(baseRounds.map(rateOf));
    const rate = median(ourRounds.map(rateOf));
    const ratio = median(ratios);
    const p99 = percentile(fixed.latenciesMs, 0.99);
    // Requests served per round include the 1 s warm-up, which the counts above leave out: scale by time.
    const perReportUs = (cpu: number, rs: LoadResult[]) =>
      (1e6 * cpu) / rs.reduce((a, r) => a + (r.ok * (r.seconds + 1)) / r.seconds, 0);
    const ourUs = perReportUs(ourCpu, ourRounds);
    const baseUs = perReportUs(baseCpu, baseRounds);
    const note = (r: LoadResult) => `${r.ok} ok, ${r.failed} failed in ${r.seconds.toFixed(1)} s`;
    return [
      {
        name: `ingest rate (SQLite WAL, fdatasync before 202, group commit, ${CHECKS} checks/report)`,
        value: rate,
        unit: 'reports/s',
        target: '≥ 2000',
        pass: rate >= 2000 && ours.failed === 0,
        baseline: { name: 'bare Fastify, JSON parse only', value: baseRate, unit: 'reports/s' },
        note: `median of ${ROUNDS} rounds of ${ROUND_S} s; ${note(ours)}; ${CONCURRENCY} keep-alive connections from a separate process`,
      },
      {
        name: 'ingest rate vs bare baseline',
        value: 100 * ratio,
        unit: '%',
        target: '≥ 50',
        pass: ratio >= 0.5,
        note: `median of ${ROUNDS} paired rounds (${ratios.map((x) => (100 * x).toFixed(0)).join(', ')} %); baseline ${note(base)}`,
      },
      {
        name: 'server CPU per report',
        value: ourUs,
        unit: 'µs',
        note: 'user+system CPU of the collector process per acknowledged report (closed-loop rounds)',
        baseline: { name: 'bare Fastify, JSON parse only', value: baseUs, unit: 'µs' },
      },
      {
        name: 'CPU-normalised rate vs bare baseline',
        value: (100 * baseUs) / ourUs,
        unit: '%',
        note: 'baseline CPU per report ÷ ours: the rate ratio on an otherwise idle core (less noisy here than wall-clock rates)',
      },
      {
        name: `ingest p99 latency at ${FIXED_RATE} reports/s`,
        value: p99,
        unit: 'ms',
        target: '≤ 50',
        pass: p99 <= 50 && fixed.failed === 0,
        note: `${note(fixed)}; p50 ${percentile(fixed.latenciesMs, 0.5).toFixed(1)} ms, max ${Math.max(...fixed.latenciesMs).toFixed(1)} ms`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (ROLE === 'baseline') await baselineServer();
else if (ROLE === 'load') await loadGenerator();
