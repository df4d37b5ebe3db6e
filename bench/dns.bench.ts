/**
 * The collector's CPU per DNS question answered by its listener for the
 * delegated zone (`serve --dns-zone`), each question a new report label
 * (so each is also a sighting, written to the SQLite store in batches).
 * The collector is a real `netinsights serve` child process; its CPU is
 * read from /proc before and after the questions, less its idle CPU over
 * as long. A UDP client in this process keeps 64 questions in flight.
 * Baseline, same run: dns-packet's own decode of the question and encode of
 * the answer in this process — the floor any listener built on it pays.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import * as dnsPacket from 'dns-packet';
import type { BenchFigure } from './bench-figure.ts';

const BIN = fileURLToPath(new URL('../packages/cli/bin/netinsights.ts', import.meta.url));
const ZONE = 'probe.example.net';
const QUESTIONS = 20_000;
const IN_FLIGHT = 64;
const KEY = 'b'.repeat(64);

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // proc(5): utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const question = (i: number, id: number) =>
  dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name: `${resolverLabel(`bench-${i}`, KEY)}.${ZONE}` }],
  });

/** Sends `n` questions, at most IN_FLIGHT unanswered (a lost one is re-sent after 200 ms); answers received. */
async function flood(port: number, n: number): Promise<{ answered: number; seconds: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const packets = Array.from({ length: n }, (_, i) => question(i, i & 0xffff));
  let next = 0;
  let answered = 0;
  const started = performance.now();
  let lastAnswer = started;
  await new Promise<void>((done) => {
    const send = () => {
      if (next < n) socket.send(packets[next++]!, port, '127.0.0.1');
    };
    socket.on('message', () => {
      answered++;
      lastAnswer = performance.now();
      send();
    });
    // A lost datagram (full receive buffer) shrinks the window: top it up every 100 ms; once all
    // are sent, stop 500 ms after the last answer (the few lost ones are not resent).
    const tick = setInterval(() => {
      if (next < n) for (let i = 0; i < IN_FLIGHT / 4; i++) send();
      else if (answered >= n || performance.now() - lastAnswer > 500) {
        clearInterval(tick);
        done();
      }
    }, 100);
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
  socket.close();
  return { answered, seconds: (lastAnswer - started) / 1000 };
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export default async function dnsBench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-dns-bench-'));
  const port = await freeUdpPort();
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--db',
      join(dir, 'bench.db'),
      '--port',
      '0',
      '--dns-zone',
      ZONE,
      '--dns-host',
      '127.0.0.1',
      '--dns-port',
      String(port),
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NETINSIGHTS_SECRET_KEY: '' } },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000);
      const read = (d: Buffer) => {
        out += d;
        if (/^dns: answering/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });
    const pid = child.pid!;
    // Warm-up: the JIT and the store's first statements.
    await flood(port, 2_000);
    await new Promise((r) => setTimeout(r, 300));
    const idleStart = cpuSeconds(pid);
    const idleMs = 1000;
    await new Promise((r) => setTimeout(r, idleMs));
    const idlePerSecond = cpuSeconds(pid) - idleStart;
    const before = cpuSeconds(pid);
    const floodStart = performance.now();
    const { answered, seconds } = await flood(port, QUESTIONS);
    // Let the last batch of sightings reach the store: its CPU belongs to these questions.
    await new Promise((r) => setTimeout(r, 300));
    const used = cpuSeconds(pid) - before - idlePerSecond * ((performance.now() - floodStart) / 1000);
    const perQuestionUs = (used / answered) * 1e6;

    // Baseline: dns-packet's decode + encode of the same questions, here.
    const packets = Array.from({ length: QUESTIONS }, (_, i) => question(i, i & 0xffff));
    const t0 = process.cpuUsage();
    for (const p of packets) {
      const q = dnsPacket.decode(p);
      dnsPacket.encode({
        type: 'response',
        id: q.id ?? 0,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: q.questions ?? [],
        answers: [{ type: 'A', name: q.questions?.[0]?.name ?? '', ttl: 0, data: '127.0.0.1' }],
      });
    }
    const t = process.cpuUsage(t0);
    const baselineUs = (t.user + t.system) / QUESTIONS;
    return [
      {
        name: 'collector CPU per DNS question answered (new report label each, sighting stored)',
        value: Number(perQuestionUs.toFixed(1)),
        unit: 'µs/question',
        baseline: {
          name: 'dns-packet decode + encode alone',
          value: Number(baselineUs.toFixed(1)),
          unit: 'µs/question',
        },
        note: `${answered} of ${QUESTIONS} answered in ${seconds.toFixed(2)} s (${Math.round(answered / seconds)}/s, ${IN_FLIGHT} in flight, UDP, SQLite store)`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
