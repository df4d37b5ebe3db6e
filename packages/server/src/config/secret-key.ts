/**
 * @module config/secret-key
 * Where the key that seals channel secrets (notify/secret-box.ts) comes
 * from: NETINSIGHTS_SECRET_KEY (base64), else --secret-key-file (one base64
 * key per line: the first seals, the others still open older values), else,
 * for a SQLite database file, `<db>.key` next to it, created with mode 0600
 * on first start. Servers sharing a PostgreSQL database must be given the
 * same key; without one, channel secrets are stored unsealed and the server
 * says so at start.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SECRET_KEY_BYTES, SecretBox } from '../notify/secret-box.ts';
import { ConfigError, type ServerConfig } from './server-config.ts';

function decode(text: string, where: string): Buffer[] {
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => Buffer.from(l, 'base64'));
  if (keys.length === 0 || keys.some((k) => k.length !== SECRET_KEY_BYTES))
    throw new ConfigError(
      'secretKeyFile',
      `${where}: each line must be a base64 key of ${SECRET_KEY_BYTES} bytes`,
    );
  return keys;
}

/** The key file a server on `db` uses when --secret-key-file is not given (SQLite only). */
export function defaultKeyFile(db: string): string | undefined {
  return !/^postgres(ql)?:\/\//.test(db) && db !== ':memory:' ? `${db}.key` : undefined;
}

/** The keys in a key file, newest first. */
export function readKeyFile(file: string): Buffer[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('secretKeyFile', `cannot read ${file}: ${(err as Error).message}`);
  }
  return decode(text, file);
}

/** Writes `keys` (newest first) to `file` with mode 0600, replacing it in one rename. */
export function writeKeyFile(file: string, keys: Buffer[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${keys.map((k) => k.toString('base64')).join('\n')}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The secret box for this server, or undefined when no key is available (PostgreSQL without one). */
export function loadSecretBox(
  config: ServerConfig,
  env: NodeJS.ProcessEnv = process.env,
): SecretBox | undefined {
  if (env.NETINSIGHTS_SECRET_KEY)
    return new SecretBox(decode(env.NETINSIGHTS_SECRET_KEY, 'NETINSIGHTS_SECRET_KEY'));
  const file = config.secretKeyFile ?? defaultKeyFile(config.db);
  if (!file) return undefined;
  if (!config.secretKeyFile && !existsSync(file))
    writeFileSync(file, `${SecretBox.newKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return new SecretBox(readKeyFile(file));
}
