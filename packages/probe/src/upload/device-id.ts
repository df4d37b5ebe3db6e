/**
 * @module upload/device-id
 * A stable, random id per installation (not a hardware id, not a host name),
 * kept next to the spool, so the collector can count distinct devices — its
 * insights need evidence from at least two. Created on first use.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const VALID = /^[A-Za-z0-9._:-]{1,64}$/;

/** `<state dir>/device-id`, next to the default spool. */
export function defaultDeviceIdFile(spoolDir: string): string {
  return join(dirname(spoolDir), 'device-id');
}

/** Reads the id, or creates it; an unreadable or invalid file is replaced. */
export async function loadOrCreateDeviceId(file: string): Promise<string> {
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (VALID.test(id)) return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomUUID();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${id}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return id;
}

export function isValidDeviceId(id: string): boolean {
  return VALID.test(id);
}
