/**
 * @module main
 * Dispatches `netinsights <command>`; every command answers --help.
 */

import { type Command, EXIT, runCommand } from '@netinsights/protocol/cli/command.ts';
import pkg from '../package.json' with { type: 'json' };
import { loadCommand, loadCommands } from './commands/index.ts';
import { npmBannerHint } from './npm-banner.ts';

function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'netinsights — is my network path breaking or slowing Microsoft 365?',
    '',
    'Usage: netinsights <command> [flags]      (netinsights <command> --help for details)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const hint = npmBannerHint(argv);
  if (hint) console.error(hint);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview(await loadCommands()));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version') {
    console.log(pkg.version);
    return EXIT.OK;
  }
  const command: Command | undefined = await loadCommand(name);
  if (!command) {
    console.error(`netinsights: unknown command "${name}"\n\n${overview(await loadCommands())}`);
    return EXIT.USAGE;
  }
  return runCommand(command, rest, `netinsights ${name}`);
}
