/**
 * @module bench/attack
 * Does one caller's attack stall everyone else? For each attack the issue
 * found (deep and value-flooded JSON, sign-in floods, the office CSV with
 * thousands of ranges, held slow connections), a separate client requests
 * cheap routes (`GET /api/v1/openapi.json` and a static file, alternately,
 * one at a time on one keep-alive connection) and its p99 is printed beside
 * the same client's idle p99 from the same run; the server process reports
 * its event loop's longest stall over the same window (perf_hooks
 * monitorEventLoopDelay). Targets: p99 ≤ 100 ms, stall ≤ 100 ms.
 *
 * Three processes, so no load generator shares the server's event loop:
 * this file's `server` role (the real collector on SQLite, ingest rate limits
 * raised so the attack reaches the parser), its `attack` role, and the bench
 * itself as the watching client.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { BenchFigure } from './bench-figure.ts';

const SELF = new URL(import.meta.url).pathname;
const ROLE = process.env.NI_ATTACK_BENCH_ROLE;
const WINDOW_S = Number(process.env.NI_ATTACK_SECONDS ?? 5);
const TARGET_MS = 100;

interface Seeded {
  url: string;
  agentToken: string;
  ownerCookie: string;
}

// ───────────────────────── server role ─────────────────────────
async function serverRole(): Promise<void> {
  const { defaultConfig } = await import('../packages/server/src/config/server-config.ts');
  const { buildServer } = await import('../packages/server/src/server.ts');
  const { openSqliteStore } = await import('../packages/server/src/store/sqlite/index.ts');
  const { noopInsights } = await import('../packages/server/src/insights-hook.ts');
  const { seedTenant } = await import('../packages/server/test/helpers/server-fixture.ts');
  const dir = mkdtempSync(join(tmpdir(), 'ni-attack-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>bench</title>');
  writeFileSync(join(web, 'assets', 'app.js'), `console.log(${JSON.stringify('x'.repeat(20_000))});`);
  const store = await openSqliteStore({ file: join(dir, 'attack.db') });
  await store.migrate();
  const config = defaultConfig({
    db: join(dir, 'attack.db'),
    webRoot: web,
    ingestRatePerSecond: 1_000_000,
    ingestBurst: 10_000_000,
    logLevel: 'silent',
  });
  const app = await buildServer(config, { store, insights: noopInsights, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const t = await seedTenant({ app, store, dir, close: async () => {} }, 'Attack');
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.on('message', (m: string) => {
    if (m === 'reset') delay.reset();
    else if (m === 'read') process.send?.({ stallMs: delay.max / 1e6 });
    else if (m === 'stop')
      void app.close().then(async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
  const seeded: Seeded = {
    url: `http://127.0.0.1:${port}`,
    agentToken: t.agentToken,
    ownerCookie: t.ownerCookie,
  };
  process.send?.({ seeded });
}

// ───────────────────────── attack role ─────────────────────────
type AttackName = 'deep-json' | 'flat-json' | 'login-flood' | 'office-csv' | 'held-connections';

function post(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function csvBody(): string {
  const header = 'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges';
  const rows = Array.from({ length: 20 }, (_, r) => {
    const hosts = Array.from({ length: 100 }, (_, i) => `10.${r}.0.${i + 1}/32`).join(' ');
    return `Bench ${r},,Oslo,NO,59.9,10.7,${hosts},`;
  });
  return [header, ...rows].join('\n');
}

async function attackRole(): Promise<void> {
  const name = process.env.NI_ATTACK as AttackName;
  const s = JSON.parse(process.env.NI_SEEDED ?? '{}') as Seeded;
  const until = Date.now() + WINDOW_S * 1000;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const loop = async (parallel: number, once: () => Promise<unknown>) => {
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (Date.now() < until) await once();
      }),
    );
  };
  const reports = `${s.url}/api/v1/reports`;
  const agentHeaders = {
    authorization: `Bearer ${s.agentToken}`,
    'content-type': 'application/json',
    'content-encoding': 'gzip',
  };
  if (name === 'deep-json') {
    // An 8 KB gzip that inflates to 4 million nested `[`.
    const body = gzipSync(Buffer.alloc(4_000_000, '['), { level: 9 });
    await loop(10, () => post(agent, reports, agentHeaders, body));
  } else if (name === 'flat-json') {
    const body = gzipSync(Buffer.from(`[${'[],'.repeat(2_800_000)}[]]`), { level: 9 });
    await loop(10, () => post(agent, reports, agentHeaders, body));
  } else if (name === 'login-flood') {
    let n = 0;
    await loop(64, () =>
      post(
        agent,
        `${s.url}/api/v1/auth/login`,
        { 'content-type': 'application/json' },
        JSON.stringify({ email: `nobody-${n++}@example.com`, password: 'guess guess guess' }),
      ),
    );
  } else if (name === 'office-csv') {
    const body = csvBody();
    await loop(2, () =>
      post(
        agent,
        `${s.url}/api/v1/offices/import`,
        { cookie: s.ownerCookie, 'content-type': 'text/csv' },
        body,
      ),
    );
  } else if (name === 'held-connections') {
    // 1,100 sockets that send headers a byte at a time and never finish, from an address of their
    // own (all of 127.0.0.0/8 is loopback): the attacker is not the measuring client, whose
    // connections the per-address cap (--max-connections-per-address) keeps serving.
    const { hostname, port } = new URL(s.url);
    const sockets: Socket[] = [];
    for (let i = 0; i < 1100; i++) {
      const sock = connect({ port: Number(port), host: hostname, localAddress: '127.0.0.66' });
      sock.on('error', () => {});
      sock.write('POST /api/v1/reports HTTP/1.1\r\nhost: x\r\n');
      sockets.push(sock);
    }
    const drip = setInterval(() => {
      for (const sock of sockets) if (!sock.destroyed) sock.write('x');
    }, 500);
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    clearInterval(drip);
    const open = sockets.filter((x) => !x.destroyed).length;
    for (const sock of sockets) sock.destroy();
    process.send?.({ note: `${open} of 1100 still open at the end` });
  }
  agent.destroy();
  process.send?.({ done: true });
}

// ───────────────────────── bench ─────────────────────────
function get(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
  });
}

/** The watching client: one request at a time, alternating two cheap routes, for `seconds`. */
async function watch(url: string, agent: Agent, seconds: number): Promise<number[]> {
  const paths = ['/api/v1/openapi.json', '/assets/app.js'];
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const t0 = performance.now();
    await get(agent, `${url}${paths[i % 2]}`);
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  return times;
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? Number.NaN;
};

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    child.send(message);
  });
}

export default async function attackBench(): Promise<BenchFigure[]> {
  const server = fork(SELF, [], {
    env: { ...process.env, NI_ATTACK_BENCH_ROLE: 'server' },
    stdio: 'inherit',
  });
  const seeded = await new Promise<Seeded>((resolve, reject) => {
    server.once('error', reject);
    server.on('message', (m: { seeded?: Seeded }) => m.seeded && resolve(m.seeded));
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const figures: BenchFigure[] = [];
  try {
    await watch(seeded.url, agent, 1); // warm-up
    server.send('reset');
    const idle = p99(await watch(seeded.url, agent, WINDOW_S));
    const idleStall = await ask<number>(server, 'read', 'stallMs');
    figures.push({
      name: 'idle: cheap-route p99',
      value: idle,
      unit: 'ms',
      note: `event-loop stall ${idleStall.toFixed(1)} ms`,
    });
    const all: AttackName[] = ['deep-json', 'flat-json', 'login-flood', 'office-csv', 'held-connections'];
    const only = process.env.NI_ATTACKS?.split(',');
    const attacks = only ? all.filter((a) => only.includes(a)) : all;
    for (const name of attacks) {
      const attacker = fork(SELF, [], {
        env: {
          ...process.env,
          NI_ATTACK_BENCH_ROLE: 'attack',
          NI_ATTACK: name,
          NI_SEEDED: JSON.stringify(seeded),
        },
        stdio: 'inherit',
      });
      let note = '';
      const done = new Promise<void>((resolve) =>
        attacker.on('message', (m: { done?: boolean; note?: string }) => {
          if (m.note) note = m.note;
          if (m.done) resolve();
        }),
      );
      await new Promise((r) => setTimeout(r, 300)); // let the attack start
      server.send('reset');
      const times = await watch(seeded.url, agent, WINDOW_S - 0.5);
      const stall = await ask<number>(server, 'read', 'stallMs');
      await done;
      const p = p99(times);
      figures.push({
        name: `${name}: cheap-route p99`,
        value: p,
        unit: 'ms',
        target: `≤ ${TARGET_MS}`,
        pass: p <= TARGET_MS,
        baseline: { name: 'idle p99', value: idle, unit: 'ms' },
      });
      figures.push({
        name: `${name}: longest event-loop stall`,
        value: stall,
        unit: 'ms',
        target: `≤ ${TARGET_MS}`,
        pass: stall <= TARGET_MS,
        baseline: { name: 'idle stall', value: idleStall, unit: 'ms' },
        ...(note ? { note } : {}),
      });
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    agent.destroy();
    server.send('stop');
    await new Promise((r) => server.once('exit', r));
  }
  return figures;
}

if (ROLE === 'server') await serverRole();
else if (ROLE === 'attack') await attackRole();
