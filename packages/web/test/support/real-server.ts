/**
 * @module test/support/real-server
 * The real netinsights server for the browser tests and the dashboard bench:
 * started in-process on 127.0.0.1 port 0 with a fresh SQLite file, serving
 * the built dashboard (packages/web/dist). Tenants and their first owner
 * are created with the real CLI (`netinsights admin create-tenant` /
 * `create-user` on the same database file); everything after that (offices,
 * tokens, reports) goes through /api/v1.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeReport } from '@netinsights/protocol';
import { openStore, resolveConfig, startServer } from '@netinsights/server';
import type { Page } from 'playwright-core';

const DIST = join(import.meta.dirname, '../../dist');
const CLI = join(import.meta.dirname, '../../../cli/bin/netinsights.ts');

/** Runs `netinsights admin …` and returns its --json answer. */
function admin(args: string[], env: Record<string, string> = {}): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, 'admin', ...args, '--json'],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`netinsights admin ${args[0]} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, string>);
      },
    );
  });
}

export interface TenantLogin {
  tenantId: string;
  name: string;
  email: string;
  password: string;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export interface RealServer {
  url: string;
  createTenant(name: string, email: string): Promise<TenantLogin>;
  /** Calls /api/v1 as the tenant's owner (signing in once per tenant). */
  api<T = unknown>(who: TenantLogin, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** Imports `n` offices spread over the world through the CSV import. */
  importOffices(who: TenantLogin, n: number): Promise<void>;
  /** Uploads reports with an agent token; returns the HTTP statuses. */
  upload(agentToken: string, reports: ProbeReport[]): Promise<number[]>;
  /** Signs in through the dashboard's own form. */
  signIn(page: Page, who: TenantLogin): Promise<void>;
  close(): Promise<void>;
}

/** How a test wants the server configured. */
export interface RealServerOptions {
  /** The operator setting that lets notification targets be loopback/private (default false, as shipped). */
  notifyAllowPrivateTargets?: boolean;
}

export async function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error(
      `the dashboard is not built: run "npm run build -w @netinsights/web" (no ${DIST}/index.html)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'netinsights-web-'));
  const config = resolveConfig({
    flags: {
      host: '127.0.0.1',
      port: 0,
      db: join(dir, 'netinsights.db'),
      webRoot: DIST,
      // Re-evaluate every second so insights open soon after the seed reports arrive.
      evaluateIntervalSeconds: 1,
      logLevel: 'warn',
      notifyAllowPrivateTargets: options.notifyAllowPrivateTargets ?? false,
    },
  });
  const store = await openStore({ url: config.db });
  const { app, url } = await startServer(config, { store, logger: false });
  const cookies = new Map<string, string>();

  async function login(who: TenantLogin): Promise<string> {
    const known = cookies.get(who.email);
    if (known) return known;
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: who.email, password: who.password }),
    });
    if (res.status !== 200)
      throw new Error(`sign-in of ${who.email} answered ${res.status}: ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    cookies.set(who.email, cookie);
    return cookie;
  }

  const server: RealServer = {
    url,
    async createTenant(name, email) {
      const password = `Pw-${randomUUID()}`;
      const tenant = await admin(['create-tenant', '--db', config.db, '--name', name]);
      const tenantId = tenant.id ?? '';
      await admin(
        ['create-user', '--db', config.db, '--tenant', tenantId, '--email', email, '--role', 'owner'],
        {
          NETINSIGHTS_PASSWORD: password,
        },
      );
      return { tenantId, name, email, password };
    },
    async api<T>(who: TenantLogin, method: string, path: string, body?: unknown) {
      const cookie = await login(who);
      const csv = typeof body === 'string';
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': csv ? 'text/csv' : 'application/json' }),
        },
        body: body === undefined ? undefined : csv ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async importOffices(who, n) {
      const rows = ['name,address,city,country,latitude,longitude,lan_subnets,egress_ranges'];
      // Real ISO 3166 codes: the import refuses anything else.
      const countries = ['DE', 'FR', 'US', 'JP', 'BR', 'AU', 'IN', 'ZA', 'NO', 'CA'];
      for (let i = 0; i < n; i++) {
        // A deterministic spread over inhabited latitudes; subnets never overlap.
        const lat = (((i * 37) % 120) - 50 + (i % 7) * 0.3).toFixed(3);
        const lon = (((i * 73) % 340) - 170 + (i % 11) * 0.2).toFixed(3);
        rows.push(
          `Branch ${i},,City ${i % 97},${countries[i % countries.length]},${lat},${lon},10.${i >> 8}.${i & 255}.0/24,`,
        );
      }
      const r = await server.api(who, 'POST', '/offices/import', rows.join('\n'));
      if (r.status !== 200) throw new Error(`office import answered ${r.status}: ${JSON.stringify(r.body)}`);
    },
    async upload(agentToken, reports) {
      const statuses: number[] = [];
      for (const report of reports) {
        const res = await fetch(`${url}/api/v1/reports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(report),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      return statuses;
    },
    async signIn(page, who) {
      await page.goto(`${url}/`);
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password').fill(who.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor({ timeout: 60_000 });
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
