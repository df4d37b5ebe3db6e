/**
 * @module notify/secret-box
 * Secrets at rest: a webhook's signing secret, an SMTP password, a Slack or
 * Teams incoming-webhook URL (the URL is the credential) and a tenant's
 * OpenID client secret are stored sealed with AES-256-GCM (NIST SP 800-38D; node:crypto) under a
 * server key, never in the clear. A sealed value reads
 * `nisec:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url, 96-bit random IV,
 * 128-bit tag); the key id (the first 8 hex digits of the key's SHA-256)
 * names the key, so a ring can hold the current key and older ones while
 * values are re-sealed. Values stored before sealing existed are read as
 * they are and sealed on their next write.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ChannelType } from './channels/index.ts';

const PREFIX = 'nisec:v1:';
export const SECRET_KEY_BYTES = 32;

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export class SecretBox {
  readonly #current: { id: string; key: Buffer };
  readonly #byId = new Map<string, Buffer>();

  /** `keys[0]` seals; every key opens what it sealed. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('a secret box needs at least one key');
    for (const k of keys) {
      if (k.length !== SECRET_KEY_BYTES)
        throw new Error(`a secret key is ${SECRET_KEY_BYTES} bytes, got ${k.length}`);
      this.#byId.set(keyId(k), k);
    }
    this.#current = { id: keyId(keys[0]!), key: keys[0]! };
  }

  static newKey(): Buffer {
    return randomBytes(SECRET_KEY_BYTES);
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const b = (x: Buffer) => x.toString('base64url');
    return `${PREFIX}${this.#current.id}:${b(iv)}:${b(cipher.getAuthTag())}:${b(ct)}`;
  }

  /** The plain value; a value that is not sealed is returned as it is. Throws naming the key when it cannot open. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const [id, iv, tag, ct] = value.slice(PREFIX.length).split(':');
    const key = this.#byId.get(id ?? '');
    if (!key || !iv || !tag || ct === undefined)
      throw new Error(`a secret is sealed with key ${id}, which this server does not have`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * A stored secret in the clear for use. A sealed value on a server without a
 * key cannot be used: that is a configuration error to report, not a value to pass on.
 */
export function openSecret(box: SecretBox | undefined, value: string): string {
  if (box) return box.open(value);
  if (SecretBox.isSealed(value))
    throw new Error(
      'a secret is sealed under a server key, but this server has none: give it the same key as the others (NETINSIGHTS_SECRET_KEY or --secret-key-file)',
    );
  return value;
}

/** A secret sealed for storing, or kept as it is where the server has no key (it says so at start). */
export const sealSecret = (box: SecretBox | undefined, plain: string): string =>
  box ? box.seal(plain) : plain;

/** The settings of each channel type that are credentials. */
export const SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  webhook: ['secret'],
  email: ['password'],
  slack: ['url'],
  teams: ['url'],
};

function mapSecrets<C extends object>(type: ChannelType, config: C, f: (v: string) => string): C {
  const out = { ...config } as Record<string, unknown>;
  for (const field of SECRET_FIELDS[type]) {
    const v = out[field];
    if (typeof v === 'string') out[field] = f(v);
  }
  return out as C;
}

/** The channel with its secret settings sealed (for storing). */
export function sealChannel<T extends { type: ChannelType; config: object }>(box: SecretBox, channel: T): T {
  return { ...channel, config: mapSecrets(channel.type, channel.config, (v) => box.seal(v)) };
}

/** The channel with its secret settings opened (for sending, or redacting for the API). */
export function openChannel<T extends { type: ChannelType; config: object }>(box: SecretBox, channel: T): T {
  return { ...channel, config: mapSecrets(channel.type, channel.config, (v) => box.open(v)) };
}
