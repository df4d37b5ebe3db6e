/**
 * @module test/helpers/server-fixture
 * An in-process server on a temporary SQLite file, and tenants seeded with
 * every kind of credential, for route tests with `app.inject()`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/auth/password.ts';
import { AGENT_TOKEN_PREFIX, API_TOKEN_PREFIX, hashSecret, newSecret } from '../../src/auth/secrets.ts';
import { defaultConfig, type ServerConfig } from '../../src/config/server-config.ts';
import { noopInsights } from '../../src/insights-hook.ts';
import { buildServer, type ServerDeps } from '../../src/server.ts';
import type { Store } from '../../src/store/contract.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

export interface Fixture {
  app: FastifyInstance;
  store: Store;
  dir: string;
  close(): Promise<void>;
}

export async function startFixture(
  overrides: Partial<ServerConfig> = {},
  deps: ServerDeps = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ni-server-'));
  const store = await openSqliteStore({ file: join(dir, 'test.db') });
  await store.migrate();
  const config = defaultConfig({ db: join(dir, 'test.db'), groupCommitMs: 1, ...overrides });
  let app: FastifyInstance;
  try {
    app = await buildServer(config, { store, insights: noopInsights, logger: false, ...deps });
    await app.ready();
  } catch (err) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    store,
    dir,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SeededTenant {
  tenantId: string;
  ownerEmail: string;
  adminEmail: string;
  viewerEmail: string;
  password: string;
  /** Cookie header value for the owner's session. */
  ownerCookie: string;
  adminCookie: string;
  viewerCookie: string;
  readToken: string;
  writeToken: string;
  agentToken: string;
  agentTokenId: string;
  officeId: string;
}

let passwordHash: Promise<string> | undefined;
let subnetCounter = 0;
export const PASSWORD = 'correct horse battery staple';

/** A tenant with an owner, an admin, a viewer, read/read-write API tokens, an agent token and one office. */
export async function seedTenant(f: Fixture, name: string): Promise<SeededTenant> {
  const { store, app } = f;
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const now = new Date().toISOString();
  const tenantId = randomUUID();
  const tag = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  await store.tenants.create({ id: tenantId, name, createdAt: now });
  const ownerEmail = `owner@${tag}.example`;
  const adminEmail = `admin@${tag}.example`;
  const viewerEmail = `viewer@${tag}.example`;
  await store.users.create({
    tenantId,
    id: randomUUID(),
    email: ownerEmail,
    passwordHash: hash,
    role: 'owner',
    createdAt: now,
  });
  await store.users.create({
    tenantId,
    id: randomUUID(),
    email: adminEmail,
    passwordHash: hash,
    role: 'admin',
    createdAt: now,
  });
  await store.users.create({
    tenantId,
    id: randomUUID(),
    email: viewerEmail,
    passwordHash: hash,
    role: 'viewer',
    createdAt: now,
  });
  const token = async (scope: 'read' | 'read-write') => {
    const t = newSecret(API_TOKEN_PREFIX);
    await store.apiTokens.create({
      tenantId,
      id: randomUUID(),
      name: `${scope} token`,
      scope,
      tokenHash: hashSecret(t),
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
    });
    return t;
  };
  const agentToken = newSecret(AGENT_TOKEN_PREFIX);
  const agentTokenId = randomUUID();
  await store.agentTokens.create({
    tenantId,
    id: agentTokenId,
    name: 'probes',
    officeId: null,
    tokenHash: hashSecret(agentToken),
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  });
  const login = async (email: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const c = res.cookies.find((x) => x.name === 'ni_session');
    return `ni_session=${c!.value}`;
  };
  const ownerCookie = await login(ownerEmail);
  const adminCookie = await login(adminEmail);
  const viewerCookie = await login(viewerEmail);
  const office = await app.inject({
    method: 'POST',
    url: '/api/v1/offices',
    headers: { cookie: ownerCookie },
    payload: {
      name: `${name} HQ`,
      city: 'Berlin',
      country: 'DE',
      latitude: 52.52,
      longitude: 13.405,
      lanSubnets: [`10.${++subnetCounter}.0.0/16`],
      egressRanges: [],
    },
  });
  if (office.statusCode !== 201) throw new Error(`office create failed: ${office.body}`);
  return {
    tenantId,
    ownerEmail,
    adminEmail,
    viewerEmail,
    password: PASSWORD,
    ownerCookie,
    adminCookie,
    viewerCookie,
    readToken: await token('read'),
    writeToken: await token('read-write'),
    agentToken,
    agentTokenId,
    officeId: (office.json() as { id: string }).id,
  };
}

/** A fixture with one seeded tenant: the set-up most route tests share. */
export async function startSeededFixture(
  name: string,
  overrides: Partial<ServerConfig> = {},
): Promise<{ f: Fixture; T: SeededTenant }> {
  const f = await startFixture(overrides);
  return { f, T: await seedTenant(f, name) };
}
