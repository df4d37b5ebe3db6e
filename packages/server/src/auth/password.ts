/**
 * @module auth/password
 * Password hashing with Argon2id through node:crypto (Node 24.7+). Parameters
 * follow the OWASP Password Storage Cheat Sheet's first Argon2id option:
 * m = 19 MiB, t = 2, p = 1 (and RFC 9106 §4 for the salt and tag length).
 * The stored form is the PHC string format, so parameters can be raised
 * later and old hashes still verify.
 */
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { PASSWORD_HASH_GATE } from './hash-gate.ts';

const MEMORY_KIB = 19 * 1024;
const PASSES = 2;
const PARALLELISM = 1;
const TAG_BYTES = 32;
/** RFC 9106 §3.1: a 16-byte salt is recommended. */
const SALT_BYTES = 16;

function derive(
  password: string,
  salt: Buffer,
  m: number,
  t: number,
  p: number,
  len: number,
): Promise<Buffer> {
  // Every hash passes the process-wide gate so sign-in floods cannot take the whole libuv threadpool.
  return PASSWORD_HASH_GATE.run(
    () =>
      new Promise((resolve, reject) => {
        argon2(
          'argon2id',
          { message: password, nonce: salt, memory: m, passes: t, parallelism: p, tagLength: len },
          (err, key) => (err ? reject(err) : resolve(key)),
        );
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const tag = await derive(password, salt, MEMORY_KIB, PASSES, PARALLELISM, TAG_BYTES);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${MEMORY_KIB},t=${PASSES},p=${PARALLELISM}$${b64(salt)}$${b64(tag)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const salt = Buffer.from(m[4]!, 'base64');
  const expected = Buffer.from(m[5]!, 'base64');
  const tag = await derive(password, salt, Number(m[1]), Number(m[2]), Number(m[3]), expected.length);
  return timingSafeEqual(tag, expected);
}

/** A hash of a random password: verified against when the e-mail is unknown, so timing does not tell. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** Minimum length per NIST SP 800-63B §3.1.1.2 (15 without MFA); we ask 12 and cap at 256. */
export function checkPasswordPolicy(password: string): string | undefined {
  if (password.length < 12) return 'must be at least 12 characters';
  if (password.length > 256) return 'must be at most 256 characters';
  return undefined;
}
