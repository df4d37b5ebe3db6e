/**
 * @module test/store/dialects
 * Which store dialects a test run covers, and a fresh migrated store of each.
 *
 * - SQLite always runs (a temporary file).
 * - PostgreSQL runs when NETINSIGHTS_TEST_PG_URL is set
 *   (scripts/pg-cluster.sh start prints it); each store gets its own schema,
 *   dropped again by `cleanup()`.
 * - NETINSIGHTS_TEST_DIALECTS=sqlite,postgres selects explicitly. Asking for
 *   postgres without a URL is an error, not a skip: a run that was meant to
 *   cover PostgreSQL must not pass without it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../../src/store/contract.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

export type Dialect = 'sqlite' | 'postgres';
const KNOWN: Dialect[] = ['sqlite', 'postgres'];

export const PG_URL = process.env.NETINSIGHTS_TEST_PG_URL || undefined;

/** The dialects this run must cover; throws on a request it cannot honour. */
export function testDialects(): Dialect[] {
  const asked = process.env.NETINSIGHTS_TEST_DIALECTS;
  const list = asked
    ? asked
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : ['sqlite', ...(PG_URL ? ['postgres'] : [])];
  for (const d of list)
    if (!KNOWN.includes(d as Dialect))
      throw new Error(`NETINSIGHTS_TEST_DIALECTS: unknown dialect "${d}" (known: ${KNOWN.join(', ')})`);
  if (list.includes('postgres') && !PG_URL)
    throw new Error(
      'PostgreSQL tests were requested (NETINSIGHTS_TEST_DIALECTS) but NETINSIGHTS_TEST_PG_URL is not set; ' +
        'start a cluster with: eval "$(scripts/pg-cluster.sh start)"',
    );
  return list as Dialect[];
}

/** Opens stores of one dialect and removes what they left behind. */
export interface StoreFactory {
  dialect: Dialect;
  /** A new, migrated, empty store. */
  open(): Promise<Store>;
  /** A second store on the same database as `open()`'s latest (another "server"). */
  openSibling(opts?: { migrate?: boolean }): Promise<Store>;
  /** A new, empty store whose migrations have not run yet. */
  openUnmigrated(): Promise<Store>;
  /** Closes every store opened here and deletes their files / schemas. */
  cleanup(): Promise<void>;
}

/** A whole empty database for one test: what `--db` of a `netinsights` process points at. */
export interface TestDatabase {
  dialect: Dialect;
  /** `--db` value: a SQLite file path, or a postgres:// URL of a new database. */
  url: string;
  /** Deletes the file / drops the database (connections still open are cut). */
  drop(): Promise<void>;
}

/**
 * A fresh database of `dialect` for tests that start `netinsights serve`
 * (or the CLI) as a child process: loop over `testDialects()` and pass
 * `url` as `--db`.
 */
export async function testDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ni-db-'));
    return {
      dialect,
      url: join(dir, 'test.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!PG_URL) throw new Error('NETINSIGHTS_TEST_PG_URL is not set');
  const name = `ni_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return { dialect, url: u.href, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export function storeFactory(dialect: Dialect): StoreFactory {
  const stores: Store[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let last: ((migrate: boolean) => Promise<Store>) | undefined;
  const track = async (s: Store, migrate = true) => {
    stores.push(s);
    if (migrate) await s.migrate();
    return s;
  };
  /** A new, empty database of this dialect: how to open a store on it. */
  let database: () => () => Promise<Store>;

  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ni-store-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    database = () => {
      const file = join(dir, `${randomBytes(6).toString('hex')}.db`);
      return () => openSqliteStore({ file });
    };
  } else {
    const url = PG_URL;
    if (!url) throw new Error('NETINSIGHTS_TEST_PG_URL is not set');
    const schemas: string[] = [];
    cleanups.push(async () => {
      for (const s of schemas) await adminQuery(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    });
    database = () => {
      const schema = `ni_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      return () => openPostgresStore({ url, schema, poolSize: 4 });
    };
  }

  const fresh = (migrate: boolean) => {
    const openOne = database();
    last = async (m) => track(await openOne(), m);
    return last(migrate);
  };
  return {
    dialect,
    open: () => fresh(true),
    openUnmigrated: () => fresh(false),
    async openSibling(opts) {
      if (!last) throw new Error('open() first');
      return last(opts?.migrate ?? true);
    },
    async cleanup() {
      await Promise.all(stores.map((s) => s.close().catch(() => {})));
      for (const c of cleanups) await c();
    },
  };
}
