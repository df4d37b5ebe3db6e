/**
 * @module test/catalog/pac-engine
 * Evaluates a generated PAC file with the probe's own PAC engine
 * (`@netinsights/probe` transport/pac.ts: pac-resolver in a QuickJS
 * sandbox), so the tests prove that what the server hands out is read the
 * same way by the probe that measures the network.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPac } from '@netinsights/probe/transport/pac.ts';

/** Compiles `pacText` and returns a function giving the PAC answer for `https://<host>/`. */
export async function compilePac(pacText: string): Promise<(host: string) => Promise<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'ni-pac-'));
  const file = join(dir, 'generated.pac');
  try {
    await writeFile(file, pacText);
    const pac = await loadPac(file);
    return async (host: string) => (await pac.find(host, 443)).answer;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
