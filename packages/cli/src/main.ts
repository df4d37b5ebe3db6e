/**
 * @module main
 * Dispatches `netinsights <command>`; every command answers --help.
 */
import pkg from '../package.json' with { type: 'json' };
import { type Command, EXIT, UsageError } from './command.ts';
import { loadCommand, loadCommands } from './commands/index.ts';

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
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return EXIT.OK;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`netinsights ${name}: ${err.message}\nRun "netinsights ${name} --help" for usage.`);
      return EXIT.USAGE;
    }
    const e = err as Error & { code?: string };
    // Known, user-facing errors (bad profile, bad config) carry a message meant for people.
    if (e?.name === 'ProfileError' || e?.name === 'NetinsightsError' || e?.name === 'ConfigError') {
      console.error(`netinsights ${name}: ${e.message}`);
      return EXIT.USAGE;
    }
    console.error(`netinsights ${name}: internal error: ${e?.stack ?? String(err)}`);
    return EXIT.USAGE;
  }
}
