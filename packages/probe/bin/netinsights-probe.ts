#!/usr/bin/env node
import { EXIT, UsageError } from '@netinsights/cli/command.ts';
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
import { command } from '@netinsights/cli/commands/probe.ts';
import pkg from '../package.json' with { type: 'json' };

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
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${NAME}: ${err.message}\nRun "${NAME} --help" for usage.`);
      return EXIT.USAGE;
    }
    const e = err as Error;
    // Known, user-facing errors (a bad profile, say) carry a message meant for people.
    if (e?.name === 'ProfileError' || e?.name === 'NetinsightsError') {
      console.error(`${NAME}: ${e.message}`);
      return EXIT.USAGE;
    }
    console.error(`${NAME}: internal error: ${e?.stack ?? String(err)}`);
    return EXIT.USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
