#!/usr/bin/env node
/**
 * @module netinsights-probe
 * The probe as shipped to an endpoint: only `netinsights probe`, same flags,
 * same output and exit codes, without the rest of the CLI (lab, server,
 * dashboard). `npm run build:probe` bundles this file into one JavaScript
 * file, packages/probe/dist/netinsights-probe.mjs, which needs nothing but
 * Node.js 24 — no TypeScript stripping, no node_modules, no database driver.
 *
 *   netinsights-probe [probe] [flags]    (the leading `probe` is optional)
 */
import { EXIT, runCommand } from '@netinsights/protocol/cli/command.ts';
import pkg from '../package.json' with { type: 'json' };
import { command } from '../src/cli/probe-command.ts';

const NAME = 'netinsights-probe';

async function main(argv: string[]): Promise<number> {
  // Accept `netinsights-probe probe …` too, so a command line written for the full CLI works as is.
  const args = argv[0] === 'probe' ? argv.slice(1) : argv;
  if (args.includes('--version')) {
    console.log(`${NAME} ${pkg.version} (node ${process.versions.node})`);
    return EXIT.OK;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.help.replace('Usage: netinsights probe', `Usage: ${NAME}`));
    return EXIT.OK;
  }
  return runCommand(command, args, NAME);
}

process.exitCode = await main(process.argv.slice(2));
