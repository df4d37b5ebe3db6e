/**
 * @module config/server-config
 * The server's configuration: one table of keys, each settable by a flag
 * (`--kebab-name`), an environment variable (`NETINSIGHTS_UPPER_SNAKE`) or a
 * JSON config file (`camelCase` keys), in that order of precedence, over a
 * default. Every value is validated, and a bad one raises a ConfigError that
 * names the key and where it came from.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_JSON_ELEMENTS } from '../ingest/json-body.ts';
import { parseCidr } from '../net/cidr.ts';

/**
 * One ingest worker thread when the machine has cores to spare for it. On
 * 2 cores the bench measured the opposite: the worker's messages and the
 * threads competing for the cores made ingest slower than parsing on the
 * event loop (bench/ingest.bench.ts prints both).
 */
const DEFAULT_INGEST_WORKERS = availableParallelism() >= 4 ? 1 : 0;

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'level';

interface KeySpec {
  kind: Kind;
  help: string;
  min?: number;
  max?: number;
  default?: unknown;
}

/** Every configuration key. Flags and env names are derived from the key. */
export const CONFIG_KEYS = {
  host: { kind: 'string', default: '127.0.0.1', help: 'address to listen on (0.0.0.0 / :: for all)' },
  port: { kind: 'int', min: 0, max: 65535, default: 8080, help: 'TCP port (0 picks a free one)' },
  db: {
    kind: 'string',
    default: 'netinsights.db',
    help: 'SQLite database file, or postgres://user[:password]@host[:port]/database (several servers may share it)',
  },
  dbRead: {
    kind: 'string',
    help: 'postgres://… of a streaming replica of --db: dashboard and API reads go there (an editor reads from --db until the replica has caught up with the edit)',
  },
  tlsCert: { kind: 'string', help: 'PEM certificate chain; serve HTTPS (with --tls-key)' },
  tlsKey: { kind: 'string', help: 'PEM private key for --tls-cert' },
  trustedProxies: {
    kind: 'list',
    default: [],
    help: 'comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed',
  },
  geoip: { kind: 'string', help: 'MaxMind-format .mmdb city database for egress locations' },
  geoTable: { kind: 'string', help: 'JSON or CSV table of IP range → city (alternative to --geoip)' },
  dnsZone: {
    kind: 'string',
    help: 'DNS zone delegated to this collector (NS records pointing here): its DNS listener then answers for it and records which resolver asks for each report; off when not given',
  },
  dnsHost: {
    kind: 'string',
    default: '0.0.0.0',
    help: 'address the DNS listener binds (UDP and TCP), with --dns-zone',
  },
  dnsPort: {
    kind: 'int',
    min: 0,
    max: 65535,
    default: 53,
    help: 'port of the DNS listener (0 picks a free one), with --dns-zone',
  },
  retentionDays: { kind: 'int', min: 1, max: 3650, default: 30, help: 'days raw reports are kept' },
  purgeIntervalSeconds: {
    kind: 'int',
    min: 1,
    max: 86_400,
    default: 3600,
    help: 'how often expired reports and sessions are purged',
  },
  evaluateIntervalSeconds: {
    kind: 'int',
    min: 1,
    max: 3600,
    default: 60,
    help: 'how often every office is re-evaluated (insights also resolve when offices go quiet)',
  },
  maxBodyBytes: {
    kind: 'int',
    min: 1024,
    max: 64 * 1024 * 1024,
    default: 1024 * 1024,
    help: 'largest request body as sent (compressed)',
  },
  maxDecompressedBytes: {
    kind: 'int',
    min: 1024,
    max: 256 * 1024 * 1024,
    // The lab's largest report (47 checks) is 70 KB; 1 MiB leaves ~15 times that, and bounds what
    // JSON.parse can be made to chew on the event loop (ingest/json-body.ts).
    default: 1024 * 1024,
    help: 'largest report after gzip/deflate decompression',
  },
  maxJsonDepth: { kind: 'int', min: 4, max: 512, default: 32, help: 'deepest JSON nesting accepted' },
  maxJsonElements: {
    kind: 'int',
    min: 100,
    max: 10_000_000,
    default: DEFAULT_MAX_JSON_ELEMENTS,
    help: 'most JSON values (objects, arrays, items) in one report; checked before parsing',
  },
  ingestRatePerSecond: {
    kind: 'number',
    min: 0.001,
    max: 1_000_000,
    default: 50,
    help: 'sustained reports per second per agent token',
  },
  ingestBurst: {
    kind: 'int',
    min: 1,
    max: 10_000_000,
    default: 500,
    help: 'burst of reports per agent token',
  },
  requestTimeoutSeconds: {
    kind: 'int',
    min: 1,
    max: 3600,
    default: 30,
    help: 'longest a client may take to send one whole request (slow bodies are cut off)',
  },
  headersTimeoutSeconds: {
    kind: 'int',
    min: 1,
    max: 3600,
    default: 10,
    help: 'longest a client may take to send the request headers (at most --request-timeout-seconds)',
  },
  idleTimeoutSeconds: {
    kind: 'int',
    min: 1,
    max: 3600,
    default: 30,
    help: 'a connection with no bytes moving for this long is closed (also the keep-alive timeout)',
  },
  maxConnections: {
    kind: 'int',
    min: 1,
    max: 1_000_000,
    // Under the common 1,024 file-descriptor limit, with room for the database, logs and static files.
    default: 768,
    help: 'open client connections at most; further ones are closed on arrival',
  },
  maxConnectionsPerAddress: {
    kind: 'int',
    min: 0,
    max: 1_000_000,
    // Well above one office's agents behind one NAT uploading at once (short requests), far below the global cap.
    default: 128,
    help: 'open connections from one client address at most (0: no limit; --trusted-proxies are not counted)',
  },
  sessionHours: { kind: 'int', min: 1, max: 720, default: 12, help: 'admin session lifetime' },
  groupCommitMs: {
    kind: 'int',
    min: 0,
    max: 100,
    default: 2,
    help: 'how long ingest collects reports into one transaction (one fsync per batch)',
  },
  groupCommitMax: { kind: 'int', min: 1, max: 10_000, default: 256, help: 'most reports per transaction' },
  groupCommitParallel: {
    kind: 'int',
    min: 1,
    max: 16,
    help: 'ingest transactions committing at once (default: 1 on SQLite, which has one writer; 2 on PostgreSQL)',
  },
  ingestWorkers: {
    kind: 'int',
    min: 0,
    max: 64,
    default: DEFAULT_INGEST_WORKERS,
    help: 'threads that parse and validate uploads beside the event loop (0: on it; default 1 with 4+ cores, else 0)',
  },
  webRoot: { kind: 'string', help: 'folder with the built dashboard to serve at /' },
  secureCookies: { kind: 'bool', help: 'mark cookies Secure (default: on when serving HTTPS)' },
  demo: { kind: 'bool', default: false, help: 'start with a demo tenant and simulated offices' },
  publicUrl: {
    kind: 'string',
    help: 'the URL admins reach this server at; makes links in notifications absolute',
  },
  notifyAllowPrivateTargets: {
    kind: 'bool',
    default: false,
    help: 'let notification webhooks, SMTP hosts and OIDC issuers point at loopback/private addresses, and issuers use http:// (off: a tenant cannot make the server probe the internal network)',
  },
  secretKeyFile: {
    kind: 'string',
    help: 'file with the key that seals channel secrets (base64, 32 bytes; later lines: older keys still accepted). Default with SQLite: <db>.key, created on first start; NETINSIGHTS_SECRET_KEY gives the key itself',
  },
  metricsToken: {
    kind: 'string',
    help: 'bearer token (32+ characters) for GET /metrics; no token, no /metrics',
  },
  logLevel: { kind: 'level', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export interface ServerConfig {
  host: string;
  port: number;
  db: string;
  dbRead?: string;
  tlsCert?: string;
  tlsKey?: string;
  trustedProxies: string[];
  geoip?: string;
  geoTable?: string;
  dnsZone?: string;
  dnsHost: string;
  dnsPort: number;
  retentionDays: number;
  purgeIntervalSeconds: number;
  evaluateIntervalSeconds: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxJsonDepth: number;
  maxJsonElements: number;
  ingestRatePerSecond: number;
  ingestBurst: number;
  requestTimeoutSeconds: number;
  headersTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  sessionHours: number;
  groupCommitMs: number;
  groupCommitMax: number;
  groupCommitParallel?: number;
  ingestWorkers: number;
  webRoot?: string;
  secureCookies?: boolean;
  demo: boolean;
  publicUrl?: string;
  notifyAllowPrivateTargets: boolean;
  secretKeyFile?: string;
  metricsToken?: string;
  logLevel: string;
}

/** A configuration value is wrong; the message names the key and its source. */
export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.key = key;
  }
}

export const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (key: string) => `NETINSIGHTS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function convert(key: ConfigKey, raw: unknown, where: string): unknown {
  const spec: KeySpec = CONFIG_KEYS[key];
  const bad = (what: string) => new ConfigError(key, `${where}: ${what}, got ${JSON.stringify(raw)}`);
  switch (spec.kind) {
    case 'string':
      if (typeof raw !== 'string' || raw === '') throw bad('must be a non-empty string');
      return raw;
    case 'int':
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw bad('must be a number');
      if (spec.kind === 'int' && !Number.isInteger(n)) throw bad('must be a whole number');
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        throw bad(`must be from ${spec.min} to ${spec.max}`);
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      throw bad('must be true or false');
    case 'list': {
      const items =
        typeof raw === 'string'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      if (!Array.isArray(items) || items.some((s) => typeof s !== 'string'))
        throw bad('must be a comma-separated list or a JSON array of strings');
      for (const item of items as string[]) {
        const c = parseCidr(item);
        if (typeof c === 'string') throw new ConfigError(key, `${where}: ${c}`);
      }
      return items;
    }
    case 'level':
      if (typeof raw !== 'string' || !LEVELS.includes(raw)) throw bad(`must be one of ${LEVELS.join(', ')}`);
      return raw;
  }
}

export interface ConfigSources {
  /** Parsed flags, camelCase keys (strings or booleans as parseArgs gives them). */
  flags?: Partial<Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** JSON config file; also taken from NETINSIGHTS_CONFIG. */
  file?: string;
}

/** Resolves flags > env > file > defaults into a validated ServerConfig. */
export function resolveConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? {};
  const file = sources.file ?? env.NETINSIGHTS_CONFIG;
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('config', `cannot read config file ${file}: ${(err as Error).message}`);
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError('config', `config file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile))
      throw new ConfigError('config', `config file ${file} must hold a JSON object`);
    for (const k of Object.keys(fromFile))
      if (!(k in CONFIG_KEYS))
        throw new ConfigError(
          k,
          `config file ${file}: unknown key "${k}" (known: ${Object.keys(CONFIG_KEYS).join(', ')})`,
        );
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
    const spec: KeySpec = CONFIG_KEYS[key];
    const flag = sources.flags?.[key];
    const envValue = env[envName(key)];
    if (flag !== undefined) out[key] = convert(key, flag, `--${flagName(key)}`);
    else if (envValue !== undefined && envValue !== '') out[key] = convert(key, envValue, envName(key));
    else if (fromFile[key] !== undefined) out[key] = convert(key, fromFile[key], `${file}: "${key}"`);
    else if (spec.default !== undefined) out[key] = structuredClone(spec.default);
  }
  const config = out as unknown as ServerConfig;
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey))
    throw new ConfigError(
      config.tlsCert ? 'tlsKey' : 'tlsCert',
      '--tls-cert and --tls-key go together: give both or neither',
    );
  if (config.dbRead !== undefined) checkReadReplicaUrl(config.db, config.dbRead);
  if (config.geoip && config.geoTable)
    throw new ConfigError('geoTable', 'give either --geoip or --geo-table, not both');
  // RFC 1035 §2.3.1: letters, digits and hyphens in labels of 1–63 octets, 253 in all.
  if (
    config.dnsZone !== undefined &&
    !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+\.?$/i.test(
      config.dnsZone,
    )
  )
    throw new ConfigError(
      'dnsZone',
      `--dns-zone must be a DNS name with at least two labels, like probe.example.com, got ${JSON.stringify(config.dnsZone)}`,
    );
  if (config.headersTimeoutSeconds > config.requestTimeoutSeconds)
    throw new ConfigError('headersTimeoutSeconds', 'must be at most requestTimeoutSeconds');
  if (config.maxDecompressedBytes < config.maxBodyBytes)
    throw new ConfigError('maxDecompressedBytes', 'must be at least maxBodyBytes');
  return config;
}

/**
 * `--db-read` must be a PostgreSQL URL beside a PostgreSQL `--db` (the
 * replica's contents are checked when the store opens: store/postgres).
 */
function checkReadReplicaUrl(db: string, dbRead: string): void {
  if (!/^postgres(ql)?:\/\//i.test(dbRead))
    throw new ConfigError(
      'dbRead',
      `--db-read must be a postgres://… URL of a streaming replica, got "${dbRead}"`,
    );
  if (!/^postgres(ql)?:\/\//i.test(db))
    throw new ConfigError(
      'dbRead',
      '--db-read needs a PostgreSQL --db (postgres://…): SQLite has no replicas',
    );
  let url: URL;
  try {
    url = new URL(dbRead);
  } catch {
    throw new ConfigError(
      'dbRead',
      `--db-read is not a valid URL: "${dbRead}" (postgres://user@host:port/database)`,
    );
  }
  if (!url.hostname)
    throw new ConfigError(
      'dbRead',
      `--db-read names no host: "${dbRead}" (postgres://user@host:port/database)`,
    );
  if (dbRead === db)
    throw new ConfigError(
      'dbRead',
      "--db-read is the same URL as --db: give the replica's address, or leave --db-read out",
    );
}

/** Defaults with overrides, for tests and in-process use. */
export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...resolveConfig({}), ...overrides };
}
