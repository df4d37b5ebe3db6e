/** `netinsights agent`: lives with the probe (an endpoint runs it without the rest of the CLI). */
export { command } from '@netinsights/probe/cli/agent-command.ts';
