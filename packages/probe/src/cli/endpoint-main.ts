/**
 * @module cli/endpoint-main
 * The command line of the probe as shipped to endpoints — the `.mjs` bundle
 * (`netinsights-probe`) and the one-file executables (`netinsights-agent`):
 * `probe` and `agent` with the same flags, exit codes and output as
 * `netinsights probe|agent`, plus `version`. The bundle keeps its old
 * contract: with no command name the arguments are the probe's.
 */
import { type Command, EXIT, runCommand } from '@netinsights/protocol/cli/command.ts';
import pkg from '../../package.json' with { type: 'json' };

// Each command loads only when named: a long-lived agent keeps none of the probe's code in memory
// (its runs are child processes), and `version` loads neither.
const agentCommand = async () => (await import('./agent-command.ts')).command;
const probeCommand = async () => (await import('./probe-command.ts')).command;

/** What this build is called and what it runs when no command is named. */
export interface EndpointBuild {
  name: string;
  /** `probe` for the bundle (backwards compatible); undefined: print the overview. */
  defaultCommand?: 'probe';
}

/** The version line `version` and `--version` print. */
export function versionLine(name: string): string {
  return `${name} ${pkg.version} (node ${process.versions.node})`;
}

/** The endpoint build's own version, as agents report it to the collector. */
export const ENDPOINT_VERSION: string = pkg.version;

async function overview(name: string): Promise<string> {
  const [agent, probe] = await Promise.all([agentCommand(), probeCommand()]);
  return [
    `${name} — the netinsights probe and agent for endpoints and office boxes`,
    '',
    `Usage: ${name} <command> [flags]      (${name} <command> --help for details)`,
    '',
    'Commands:',
    `  probe    ${probe.summary}`,
    `  agent    ${agent.summary}`,
    '  version  print the version of this build and of the Node.js inside it',
  ].join('\n');
}

function withName(command: Command, name: string): Command {
  return {
    ...command,
    help: command.help.replaceAll(`netinsights ${command.name}`, `${name} ${command.name}`),
  };
}

/** Runs one endpoint command line; resolves to the exit code. */
export async function endpointMain(argv: string[], build: EndpointBuild): Promise<number> {
  const { name } = build;
  const [first, ...rest] = argv;
  if (first === 'version' || first === '--version' || (first === 'probe' && rest.includes('--version'))) {
    console.log(versionLine(name));
    return EXIT.OK;
  }
  if (first === 'agent') return runCommand(withName(await agentCommand(), name), rest, `${name} agent`);
  if (first === 'probe') return runCommand(withName(await probeCommand(), name), rest, `${name} probe`);
  if (build.defaultCommand === 'probe' && (first === undefined || first.startsWith('-'))) {
    const probe = await probeCommand();
    if (argv.includes('--version')) {
      console.log(versionLine(name));
      return EXIT.OK;
    }
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(probe.help.replace('Usage: netinsights probe', `Usage: ${name}`));
      return EXIT.OK;
    }
    return runCommand(probe, argv, name);
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    console.log(await overview(name));
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  console.error(`${name}: unknown command "${first}"\n\n${await overview(name)}`);
  return EXIT.USAGE;
}
