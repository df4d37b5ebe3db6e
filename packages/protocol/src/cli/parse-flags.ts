/**
 * @module cli/parse-flags
 * Thin wrapper over node:util parseArgs that turns its errors into
 * UsageErrors worded for people, and handles --help everywhere.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    const e = err as Error & { code?: string };
    const unknown = /Unknown option '([^']+)'/.exec(e.message);
    if (unknown) throw new UsageError(`unknown flag ${unknown[1]}`);
    const unexpected = /Unexpected argument '([^']+)'/.exec(e.message);
    if (unexpected) throw new UsageError(`unexpected argument "${unexpected[1]}"`);
    throw new UsageError(e.message.replace(/\. To specify.*$/s, ''));
  }
}

export function requireNumber(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}
