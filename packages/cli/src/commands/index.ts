/**
 * @module commands
 * Finds the subcommands: every other file in this folder exports `command`.
 * Listing the folder (instead of a hand-kept list) lets each part of the
 * product add its command without touching a shared file.
 */
import { readdirSync } from 'node:fs';
import type { Command } from '../command.ts';

const here = new URL('./', import.meta.url);

export async function loadCommands(): Promise<Command[]> {
  const files = readdirSync(here).filter(
    (f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'),
  );
  const loaded = await Promise.all(
    files.map(
      async (f) =>
        ((await import(new URL(f, here).href)) as { command: Command & { order?: number } }).command,
    ),
  );
  return loaded.sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.name.localeCompare(b.name));
}
