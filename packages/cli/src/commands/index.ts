/**
 * @module commands
 * Finds the subcommands: every other file in this folder exports `command`,
 * and its file name is the command's name. Listing the folder (instead of a
 * hand-kept list) lets each part of the product add its command without
 * touching a shared file; loading only the file a run needs keeps the probe
 * from paying for the server's dependencies (memory on an endpoint matters).
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Command } from '@netinsights/protocol/cli/command.ts';

const here = new URL('./', import.meta.url);

type LoadedCommand = Command & { order?: number };

function commandFiles(): string[] {
  return readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'));
}

async function importCommand(file: string): Promise<LoadedCommand> {
  return ((await import(new URL(file, here).href)) as { command: LoadedCommand }).command;
}

/** Every command, in `--help` order. */
export async function loadCommands(): Promise<Command[]> {
  const loaded = await Promise.all(commandFiles().map(importCommand));
  return loaded.sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || a.name.localeCompare(b.name));
}

/** Only the named command's file, or undefined when there is no such command. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = `${name}.ts`;
  if (!existsSync(new URL(file, here))) return undefined;
  return importCommand(file);
}
