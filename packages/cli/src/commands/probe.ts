/** `netinsights probe`: lives with the probe, so the endpoint build runs the very same command. */
export { command } from '@netinsights/probe/cli/probe-command.ts';
