/**
 * @module command
 * The shape every subcommand shares, and the exit codes of the CLI.
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
