/**
 * @module cli/read-ca-file
 * Reads a PEM file named by a flag (`--ca`, `--collector-ca`) for the probe
 * and agent commands, with an error that names the flag, the file and what
 * is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '@netinsights/protocol/cli/command.ts';
import { splitPem } from '../verdicts/trust-store.ts';

export function readCaFile(file: string, flag: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`,
    );
  }
  const pems = splitPem(text);
  if (pems.length === 0)
    throw new UsageError(`${flag} ${file}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file`);
  return pems;
}
