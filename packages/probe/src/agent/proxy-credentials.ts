/**
 * @module agent/proxy-credentials
 * The agent's Basic credentials for the proxy, from a file of its own
 * (`--proxy-credentials FILE`: one line `user:password`) or from the
 * installed config (`proxyUser` / `proxyPassword` in agent.json) — never
 * from the command line, where every user of the machine can read them in
 * the process list. Errors name the file and what is wrong with it, never
 * its content.
 */
import { readFileSync } from 'node:fs';
import type { ProxyCredentials } from '../transport/proxy-selection.ts';

/** A credentials file that cannot be used; the message names the file, not the secret. */
export class ProxyCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyCredentialsError';
  }
}

/** Parses `user:password` (the first line; the password may hold colons, RFC 7617 §2 forbids them in the user). */
export function parseProxyCredentials(text: string, file: string): ProxyCredentials {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const colon = line.indexOf(':');
  if (colon <= 0)
    throw new ProxyCredentialsError(`${file}: the first line must be user:password (no user name found)`);
  const user = line.slice(0, colon);
  const password = line.slice(colon + 1);
  if (password === '') throw new ProxyCredentialsError(`${file}: the password after "user:" is empty`);
  // RFC 7617 §2: control characters are not allowed in either part.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
  if (/[\u0000-\u001f\u007f]/.test(line))
    throw new ProxyCredentialsError(`${file}: the user or password holds a control character`);
  return { user, password };
}

export function readProxyCredentials(file: string): ProxyCredentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProxyCredentialsError(
      `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return parseProxyCredentials(text, file);
}
