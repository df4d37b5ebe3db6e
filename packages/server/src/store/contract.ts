/**
 * @module store/contract
 * The one interface both store dialects (sqlite/ and postgres/) implement.
 * Callers only ever see `Store`: a set of repositories plus
 * `transaction()` and `migrate()`. Every row belongs to a tenant and every
 * tenant-owned method takes the tenant id first, so no query can forget it.
 *
 * All methods return promises so that an asynchronous dialect (pg) fits the
 * same contract; the SQLite dialect answers from a synchronous connection.
 * Timestamps are ISO-8601 strings (`Date#toISOString()`), which sort
 * correctly as text in every dialect.
 */
import type { BeforeCommitFn } from './before-commit.ts';

export type { BeforeCommitFn } from './before-commit.ts';

/** owner: everything, including users; admin: everything else; viewer: reads only, everywhere. */
export type Role = 'owner' | 'admin' | 'viewer';
export type ApiScope = 'read' | 'read-write';

export interface TenantRow {
  id: string;
  name: string;
  createdAt: string;
}

export interface UserRow {
  tenantId: string;
  id: string;
  /** Lower-cased; unique across the instance (login is by e-mail alone). */
  email: string;
  /** PHC-style string, see server/auth/password.ts. */
  passwordHash: string;
  role: Role;
  createdAt: string;
}

export interface SessionRow {
  tenantId: string;
  id: string;
  userId: string;
  /** SHA-256 (hex) of the cookie value; the value itself is never stored. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
}

/** Shared by agent tokens and API tokens. */
export interface TokenRowBase {
  tenantId: string;
  id: string;
  name: string;
  /** SHA-256 (hex) of the token; the token is shown once and never stored. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AgentTokenRow extends TokenRowBase {
  /** Reports sent with this token map to this office first. */
  officeId: string | null;
}

export interface ApiTokenRow extends TokenRowBase {
  scope: ApiScope;
  /** The user who created it (revoked with them); null when made by the command line. */
  createdBy?: string | null;
}

export interface AuditRow {
  tenantId: string;
  id: string;
  at: string;
  /** `user:<email>`, `api-token:<name>` or `cli`. */
  actor: string;
  /** e.g. `office.create`, `agent-token.revoke`. */
  action: string;
  /** What was acted on, e.g. `office:<id>`. */
  target: string;
  details: unknown;
}

export interface OfficeFields {
  name: string;
  address: string | null;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  /** Normalised CIDR strings. */
  lanSubnets: string[];
  egressRanges: string[];
}

export interface OfficeRow extends OfficeFields {
  tenantId: string;
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface GeoInfo {
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Reports seen from one discovered prefix: how many, when, and the newest GeoIP answer. */
export interface Sightings {
  reports: number;
  firstAt: string;
  lastAt: string;
  geo: GeoInfo;
}

export interface DiscoveredRow extends GeoInfo {
  tenantId: string;
  id: string;
  /** Egress /24 (IPv4) or /48 (IPv6) in CIDR notation. */
  egressPrefix: string;
  reports: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Set once an admin adopted it; its reports map to that office from then on. */
  adoptedOfficeId: string | null;
}

export interface ReportRow {
  tenantId: string;
  /** The probe's reportId (idempotency key together with tenantId). */
  id: string;
  receivedAt: string;
  officeId: string | null;
  discoveredId: string | null;
  deviceId: string | null;
  egressIp: string;
  checks: number;
  failures: number;
  /** Distinct `layer/class` codes of failed checks. */
  failureCodes: string[];
  /** The report as received, JSON text. */
  body: string;
}

export type ReportMeta = Omit<ReportRow, 'body'>;

/** Which reports a list shows; every field narrows it, none means all. */
export interface ReportFilter {
  officeId?: string;
  deviceId?: string;
  /** `passed`: no check failed; `failed`: at least one did (checks that were not run count as neither). */
  result?: 'passed' | 'failed';
  /** Received at or after (ISO 8601). */
  since?: string;
  /** Received before (ISO 8601). */
  until?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface OfficeActivity {
  officeId: string;
  reports: number;
  devices: number;
  lastReportAt: string | null;
}

/** Tenants are the root: their id is the tenant key. */
export interface TenantsRepo {
  create(row: TenantRow): Promise<void>;
  get(id: string): Promise<TenantRow | undefined>;
  list(): Promise<TenantRow[]>;
  count(): Promise<number>;
}

export interface UsersRepo {
  create(row: UserRow): Promise<void>;
  /** Instance-wide lookup for login (e-mail is unique across tenants). */
  findByEmail(email: string): Promise<UserRow | undefined>;
  get(tenantId: string, id: string): Promise<UserRow | undefined>;
  list(tenantId: string): Promise<UserRow[]>;
  delete(tenantId: string, id: string): Promise<boolean>;
  count(): Promise<number>;
}

/** A run of failed sign-ins for one key (auth/login-throttle.ts). */
export interface LoginFailureWindow {
  failures: number;
  /** When the first failure of this run happened (ISO). */
  firstAt: string;
}

/**
 * Failed sign-ins per key (a hash of e-mail and client address), kept in the
 * store so every server sharing it throttles alike and a restart forgets
 * nothing. Not tenant data: sign-in happens before any tenant is known.
 */
export interface LoginFailuresRepo {
  /** Counts one failure; a run that started before `windowStart` starts over. Returns the run in force. */
  record(keyHash: string, now: string, windowStart: string): Promise<LoginFailureWindow>;
  get(keyHash: string): Promise<LoginFailureWindow | undefined>;
  clear(keyHash: string): Promise<void>;
  /** Forgets runs that started before `windowStart`; returns how many. */
  purgeBefore(windowStart: string): Promise<number>;
}

export interface SessionsRepo {
  create(row: SessionRow): Promise<void>;
  /** Instance-wide lookup by hashed cookie value; the caller checks expiry. */
  findByTokenHash(tokenHash: string): Promise<SessionRow | undefined>;
  delete(tenantId: string, id: string): Promise<void>;
  deleteForUser(tenantId: string, userId: string): Promise<void>;
  purgeExpired(now: string): Promise<number>;
}

/** Agent tokens and API tokens: one table shape, one repository interface. */
export interface TokensRepo<T extends TokenRowBase> {
  create(row: T): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<T | undefined>;
  list(tenantId: string): Promise<T[]>;
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
  touch(tenantId: string, id: string, at: string): Promise<void>;
}

export type AgentTokensRepo = TokensRepo<AgentTokenRow>;
export interface ApiTokensRepo extends TokensRepo<ApiTokenRow> {
  /** Revokes every live token `userId` created (when the user is deleted); returns how many. */
  revokeCreatedBy(tenantId: string, userId: string, at: string): Promise<number>;
}

export interface AuditRepo {
  append(row: AuditRow): Promise<void>;
  /** Newest first. */
  list(tenantId: string, opts: { cursor?: string; limit: number }): Promise<Page<AuditRow>>;
}

export interface OfficesRepo {
  create(row: OfficeRow): Promise<void>;
  get(tenantId: string, id: string): Promise<OfficeRow | undefined>;
  list(tenantId: string): Promise<OfficeRow[]>;
  update(row: OfficeRow): Promise<boolean>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

export interface DiscoveredRepo {
  /** Creates the location on first sight, else bumps its counters; returns it. */
  recordSeen(
    tenantId: string,
    egressPrefix: string,
    geo: GeoInfo,
    at: string,
    newId: string,
  ): Promise<DiscoveredRow>;
  /**
   * Adds a batch of sightings without reading the row back (one statement;
   * ingest calls it once per prefix per commit). `id` is used on first sight;
   * ingest derives it from tenant and prefix (offices/discovered-id.ts).
   */
  countSeen(tenantId: string, egressPrefix: string, sightings: Sightings, id: string): Promise<void>;
  get(tenantId: string, id: string): Promise<DiscoveredRow | undefined>;
  findByPrefix(tenantId: string, egressPrefix: string): Promise<DiscoveredRow | undefined>;
  /** Adopted locations (prefix → office), for the office mapper's cache. */
  listAdopted(tenantId: string): Promise<Array<{ egressPrefix: string; officeId: string }>>;
  /** Not yet adopted, most recently seen first. */
  listOpen(tenantId: string): Promise<DiscoveredRow[]>;
  adopt(tenantId: string, id: string, officeId: string): Promise<boolean>;
  /** Distinct device ids among its stored reports. */
  devices(tenantId: string, id: string): Promise<number>;
}

export interface ReportsRepo {
  /** Inserts unless (tenantId, id) exists; `inserted` false means duplicate. */
  /**
   * `bodyUtf8`, when given, is `body` as UTF-8 bytes (ingest has them): a store
   * that compresses bodies starts from them instead of encoding the text again.
   */
  insert(row: ReportRow & { bodyUtf8?: Uint8Array }): Promise<{ inserted: boolean }>;
  /**
   * Optional: inserts several reports in one statement, in order; each
   * `true` when stored, `false` when (tenantId, id) was already there
   * (including earlier in `rows`). Ingest uses it for a group commit.
   */
  insertMany?(rows: Array<ReportRow & { bodyUtf8?: Uint8Array }>): Promise<boolean[]>;
  get(tenantId: string, id: string): Promise<ReportRow | undefined>;
  getMeta(tenantId: string, id: string): Promise<ReportMeta | undefined>;
  /** Newest first, narrowed by the filter's fields; the cursor is opaque. */
  list(tenantId: string, opts: ReportFilter & { cursor?: string; limit: number }): Promise<Page<ReportMeta>>;
  /** Per-office counts of reports and distinct devices since `since`. */
  activitySince(tenantId: string, since: string): Promise<OfficeActivity[]>;
  countSince(tenantId: string, since: string): Promise<{ reports: number; devices: number }>;
  /** The newest report per office, over all stored history. */
  lastReportPerOffice(tenantId: string): Promise<Array<{ officeId: string; at: string }>>;
  /** Moves reports of a discovered location to an office (on adoption). */
  reassignDiscovered(tenantId: string, discoveredId: string, officeId: string): Promise<number>;
  /** Retention, across all tenants; returns rows deleted (bounded per call). */
  purgeOlderThan(cutoff: string, limit: number): Promise<number>;
  /**
   * Storage upkeep ahead of `now` (PostgreSQL: creates the coming days'
   * partitions of raw reports). Optional: a store without it needs none.
   */
  prepareAhead?(now: string): Promise<void>;
}

/** Small per-tenant JSON documents (e.g. `insights` settings). */
export interface SettingsRepo {
  get(tenantId: string, key: string): Promise<unknown>;
  put(tenantId: string, key: string, value: unknown, at: string): Promise<void>;
}

export interface CoreRepositories {
  tenants: TenantsRepo;
  users: UsersRepo;
  sessions: SessionsRepo;
  loginFailures: LoginFailuresRepo;
  agentTokens: AgentTokensRepo;
  apiTokens: ApiTokensRepo;
  audit: AuditRepo;
  offices: OfficesRepo;
  discovered: DiscoveredRepo;
  reports: ReportsRepo;
  settings: SettingsRepo;
}

/**
 * Repositories added by other parts of the server (insights, outbox, …).
 * Each part declares its own through module augmentation, in its own file:
 *
 * ```ts
 * declare module '../store/contract.ts' {
 *   interface StoreExtensions { insights: InsightsRepo }
 * }
 * ```
 * and adds one `*-repo.ts` file to each dialect folder (see store/README.md).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation
export interface StoreExtensions {}

/**
 * A read replica beside the primary (PostgreSQL `--db-read`). Positions are
 * WAL positions (`pg_lsn` text such as `0/3015FB0`).
 */
export interface ReadReplica {
  /** The primary's WAL position now: every write committed so far lies before it. */
  writePosition(): Promise<string>;
  /** Whether the replica has replayed the WAL up to `position`, so it shows every write before it. */
  hasReplayed(position: string): Promise<boolean>;
}

export interface Store extends CoreRepositories, StoreExtensions {
  /** `sqlite` or `postgres`. */
  readonly dialect: string;
  /** Set when reads may be served by a replica (store/read-routing.ts decides which). */
  readonly replica?: ReadReplica;
  /**
   * Runs `fn` in one transaction and commits before resolving. The `tx`
   * store is bound to that transaction; calling `tx.transaction()` opens a
   * savepoint (so one bad item can roll back alone inside a batch).
   * Inside `fn` use only `tx`, never the outer store (it waits for the
   * transaction: deadlock), and do no network I/O (it holds the writer).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction only: runs `fn` once in this transaction, after the
   * transaction's function has returned and just before COMMIT — so work
   * many calls share (a rollup that several reports of a batch touch) is
   * written once, yet commits together with them. Callbacks run in the
   * order registered, including any registered while they run, and share a
   * `scratch` map for the one commit. One registered inside a savepoint that
   * rolls back is dropped; one that throws rolls the transaction back.
   * Outside a transaction it throws.
   */
  beforeCommit(fn: BeforeCommitFn): void;
  /** Applies pending migrations in order; returns the versions applied. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
}
