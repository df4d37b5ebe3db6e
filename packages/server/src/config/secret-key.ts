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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The secret box for this server, or undefined when no key is available (PostgreSQL without one). */
export function loadSecretBox(
  config: ServerConfig,
  env: NodeJS.ProcessEnv = process.env,
): SecretBox | undefined {
  if (env.NETINSIGHTS_SECRET_KEY)
    return new SecretBox(decode(env.NETINSIGHTS_SECRET_KEY, 'NETINSIGHTS_SECRET_KEY'));
  const isSqliteFile = !/^postgres(ql)?:\/\//.test(config.db) && config.db !== ':memory:';
  const file = config.secretKeyFile ?? (isSqliteFile ? `${config.db}.key` : undefined);
  if (!file) return undefined;
  if (!config.secretKeyFile && !existsSync(file))
    writeFileSync(file, `${SecretBox.newKey().toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('secretKeyFile', `cannot read ${file}: ${(err as Error).message}`);
  }
  return new SecretBox(decode(text, file));
}
