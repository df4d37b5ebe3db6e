/**
 * @module cli/command
 * The shape every subcommand shares, the exit codes, and how a command's
 * errors reach the person who ran it. Shared by the `netinsights` CLI and the
 * probe's stand-alone endpoint build, which runs the same probe command.
 */

/** 0 healthy / done, 1 problems found, 2 usage or internal error. */
export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;

export interface Command {
  name: string;
  summary: string;
  /** Position in `netinsights --help` (lower first; default 50). */
  order?: number;
  /** Full help text printed by `netinsights <name> --help`. */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** A usage error: printed as one line plus a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs one command and turns what it throws into the exit code and a message
 * meant for people: a usage error with a hint, a known configuration error as
 * one line, anything else as an internal error with its stack.
 * `prog` is how the command is invoked, e.g. `netinsights probe`.
 */
export async function runCommand(command: Command, argv: string[], prog: string): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(command.help);
    return EXIT.OK;
  }
  try {
    return await command.run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${prog}: ${err.message}\nRun "${prog} --help" for usage.`);
      return EXIT.USAGE;
    }
    const e = err as Error;
    // Known, user-facing errors (bad profile, bad config) carry a message meant for people.
    if (e?.name === 'ProfileError' || e?.name === 'NetinsightsError' || e?.name === 'ConfigError') {
      console.error(`${prog}: ${e.message}`);
      return EXIT.USAGE;
    }
    console.error(`${prog}: internal error: ${e?.stack ?? String(err)}`);
    return EXIT.USAGE;
  }
}
