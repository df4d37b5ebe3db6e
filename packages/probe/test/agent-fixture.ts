/**
 * A real collector for the agent tests: `netinsights serve` in-process
 * (startServer on a temporary SQLite file, a tenant and an agent token made
 * through the store as `netinsights admin` does), behind a small loopback
 * HTTP front that forwards everything to it — except that the front can
 * answer `GET /api/v1/agent/config` itself (the lab's profile, or garbage),
 * hold report uploads unanswered, and be switched off and on again at the
 * same address, so the agent sees a collector that goes offline and comes
 * back.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@netinsights/lab';
import type { ProbeReport } from '@netinsights/protocol';
import { resolveConfig, type StartedServer, startServer } from '@netinsights/server';
import {
  AGENT_TOKEN_PREFIX,
  API_TOKEN_PREFIX,
  hashSecret,
  newSecret,
} from '@netinsights/server/auth/secrets.ts';

/** What the front answers to `GET /api/v1/agent/config`. */
export type ConfigMode =
  | { kind: 'forward' }
  | { kind: 'answer'; body: unknown }
  | { kind: 'raw'; status: number; contentType: string; text: string }
  /** Takes the request and never answers. */
  | { kind: 'hang' };

export interface TestCollector {
  /** The front's URL (plain http on loopback): what the agent is usually given. Not with TLS. */
  url: string;
  /** The server itself, without the front (https:// when started with TLS). */
  serverUrl: string;
  token: string;
  tenantId: string;
  configMode: ConfigMode;
  /** Requests the front saw, by method and path. */
  seen: string[];
  /** While true, the front takes report uploads and never answers them. */
  stallReports: boolean;
  /** While true, the front answers `GET /api/v1/agent/catalog` with HTTP 503 (the collector cannot give it). */
  refuseCatalog: boolean;
  /** When set, the front answers report uploads itself with this (garbage in place of the collector). */
  uploadAnswer: { status: number; contentType: string; text: string } | null;
  /** A further agent token of the tenant, and a way to revoke it as an admin would. */
  newAgentToken(): Promise<{ token: string; revoke(): Promise<void> }>;
  /** Ends the uploads held by `stallReports` (their connections are cut). */
  releaseStalled(): void;
  /** Sets the tenant's central agent settings as an admin would: PUT /api/v1/settings/agents. */
  putAgentPolicy(policy: unknown): Promise<{ status: number; body: string }>;
  /** Stored report ids of the tenant (from the store, oldest first). */
  storedIds(): Promise<string[]>;
  /** One stored report as the collector keeps it (from the store), or undefined. */
  storedReport(id: string): Promise<ProbeReport | undefined>;
  /** An enrollment secret of the tenant, made as an admin would (POST /api/v1/enrollment-secrets). */
  createEnrollmentSecret(body: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  revokeEnrollmentSecret(id: string): Promise<void>;
  /** GET /api/v1/agents as an admin: the fleet by version. */
  agents(): Promise<{
    currentVersion: string;
    items: { deviceId: string; version: string; outOfDate: boolean }[];
  }>;
  /** Closes the front's port and every connection on it: the collector is offline. */
  goOffline(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

/** Settings as the collector would send them, but with the lab's profile (so probing stays on loopback). */
export function labConfig(lab: Lab, overrides: Record<string, unknown> = {}) {
  return { profile: lab.profile, intervalSeconds: 900, wsHoldSeconds: 0.2, ...overrides };
}

/** Starts the collector; with `tls` (PEM chain and key) the server itself speaks HTTPS. */
export async function startTestCollector(tls?: { chainPem: string; keyPem: string }): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-agent-collector-'));
  const tlsFlags: { tlsCert?: string; tlsKey?: string } = {};
  if (tls) {
    tlsFlags.tlsCert = join(dir, 'cert.pem');
    tlsFlags.tlsKey = join(dir, 'key.pem');
    writeFileSync(tlsFlags.tlsCert, tls.chainPem);
    writeFileSync(tlsFlags.tlsKey, tls.keyPem, { mode: 0o600 });
  }
  const config = resolveConfig({
    flags: { port: 0, host: '127.0.0.1', db: join(dir, 'collector.db'), logLevel: 'silent', ...tlsFlags },
    env: {},
  });
  const server: StartedServer = await startServer(
    { ...config, evaluateIntervalSeconds: 3600, groupCommitMs: 1 },
    { logger: false },
  );
  const store = server.app.netinsights.store;
  const now = new Date().toISOString();
  const tenantId = randomUUID();
  await store.tenants.create({ id: tenantId, name: 'Agent Test Corp', createdAt: now });
  const token = newSecret(AGENT_TOKEN_PREFIX);
  await store.agentTokens.create({
    tenantId,
    id: randomUUID(),
    name: 'agent-test',
    officeId: null,
    tokenHash: hashSecret(token),
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  });
  const adminToken = newSecret(API_TOKEN_PREFIX);
  await store.apiTokens.create({
    tenantId,
    id: randomUUID(),
    name: 'agent-test admin',
    scope: 'read-write',
    tokenHash: hashSecret(adminToken),
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  });
  const backend = new URL(server.url);
  const sockets = new Set<Socket>();
  const state = {
    configMode: { kind: 'forward' } as ConfigMode,
    seen: [] as string[],
    stallReports: false,
    refuseCatalog: false,
    stalled: new Set<Socket>(),
    uploadAnswer: null as TestCollector['uploadAnswer'],
  };

  const front: Server = createServer((req, res) => {
    state.seen.push(`${req.method} ${req.url}`);
    const mode = state.configMode;
    if (state.refuseCatalog && req.method === 'GET' && req.url === '/api/v1/agent/catalog') {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    if (state.stallReports && req.method === 'POST' && req.url === '/api/v1/reports') {
      req.resume();
      state.stalled.add(req.socket);
      return;
    }
    const garbage = state.uploadAnswer;
    if (garbage && req.method === 'POST' && req.url === '/api/v1/reports') {
      req.resume();
      res.writeHead(garbage.status, { 'content-type': garbage.contentType }).end(garbage.text);
      return;
    }
    if (req.method === 'GET' && req.url === '/api/v1/agent/config' && mode.kind !== 'forward') {
      req.resume();
      if (mode.kind === 'hang') return;
      if (mode.kind === 'answer')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mode.body));
      else res.writeHead(mode.status, { 'content-type': mode.contentType }).end(mode.text);
      return;
    }
    const upstream = request(
      { host: backend.hostname, port: backend.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  front.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      front.once('error', reject);
      front.listen(port, '127.0.0.1', () => {
        front.off('error', reject);
        resolve((front.address() as { port: number }).port);
      });
    });
  const port = await listen(0);
  const closeFront = () =>
    new Promise<void>((resolve) => {
      if (!front.listening) return resolve();
      front.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    serverUrl: server.url,
    token,
    tenantId,
    get configMode() {
      return state.configMode;
    },
    set configMode(mode: ConfigMode) {
      state.configMode = mode;
    },
    seen: state.seen,
    get refuseCatalog() {
      return state.refuseCatalog;
    },
    set refuseCatalog(on: boolean) {
      state.refuseCatalog = on;
    },
    get stallReports() {
      return state.stallReports;
    },
    set stallReports(on: boolean) {
      state.stallReports = on;
    },
    get uploadAnswer() {
      return state.uploadAnswer;
    },
    set uploadAnswer(answer) {
      state.uploadAnswer = answer;
    },
    async newAgentToken() {
      const secret = newSecret(AGENT_TOKEN_PREFIX);
      const id = randomUUID();
      await store.agentTokens.create({
        tenantId,
        id,
        name: `agent-test ${id.slice(0, 8)}`,
        officeId: null,
        tokenHash: hashSecret(secret),
        createdAt: new Date().toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      });
      return {
        token: secret,
        // As the dashboard does it: the collector forgets the token at once.
        revoke: async () => {
          const res = await fetch(new URL(`/api/v1/agent-tokens/${id}`, server.url), {
            method: 'DELETE',
            headers: { authorization: `Bearer ${adminToken}` },
          });
          if (res.status !== 204) throw new Error(`revoke token: HTTP ${res.status} ${await res.text()}`);
        },
      };
    },
    releaseStalled() {
      for (const s of state.stalled) s.destroy();
      state.stalled.clear();
    },
    async putAgentPolicy(policy) {
      const res = await fetch(new URL('/api/v1/settings/agents', server.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(policy),
      });
      return { status: res.status, body: await res.text() };
    },
    async createEnrollmentSecret(body) {
      const res = await fetch(new URL('/api/v1/enrollment-secrets', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`enrollment secret: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; secret: string };
    },
    async agents() {
      const res = await fetch(new URL('/api/v1/agents', server.url), {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      return (await res.json()) as Awaited<ReturnType<TestCollector['agents']>>;
    },
    async revokeEnrollmentSecret(id) {
      const res = await fetch(new URL(`/api/v1/enrollment-secrets/${id}`, server.url), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (res.status !== 204) throw new Error(`revoke: HTTP ${res.status}`);
    },
    async storedIds() {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.reports.list(tenantId, { limit: 500, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return ids.reverse();
    },
    async storedReport(id) {
      const r = await store.reports.get(tenantId, id);
      return r ? (JSON.parse(r.body) as ProbeReport) : undefined;
    },
    goOffline: closeFront,
    comeBack: async () => {
      if (!front.listening) await listen(port);
    },
    async close() {
      await closeFront();
      await server.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
