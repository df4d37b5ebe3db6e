/**
 * @module agent/service/agent-config-file
 * The installed agent's configuration (`agent.json`, written by `agent
 * install`, read with `agent --config`): the collector, the agent's token,
 * its office and the collector's CA. Kept readable by the service only —
 * the token is a secret — and checked in full when read, so a damaged file
 * is a clear message naming the file and the field, not a crash.
 */
import { readFileSync } from 'node:fs';

export interface AgentConfigFile {
  collector: string;
  /** The agent's token; absent when it enrolls on first contact. */
  token?: string;
  /** Traded for a token on first contact (kept in the state folder then). */
  enrollmentSecret?: string;
  officeId?: string;
  /** PEM of the collector's CA, inline so a service user without access to the original file has it. */
  collectorCaPem?: string;
  /** Basic credentials for the proxy (both or neither); kept here, never on the command line. */
  proxyUser?: string;
  proxyPassword?: string;
  /** The version that wrote the file. */
  installedVersion?: string;
  installedAt?: string;
}

/** A config file that cannot be used; the message names the file and the field. */
export class AgentConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Checks decoded JSON as an agent config; `file` names it in errors. */
export function parseAgentConfigFile(value: unknown, file: string): AgentConfigFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AgentConfigFileError(`${file}: must be a JSON object`);
  const v = value as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of [
    'collector',
    'token',
    'enrollmentSecret',
    'officeId',
    'collectorCaPem',
    'proxyUser',
    'proxyPassword',
    'installedVersion',
    'installedAt',
  ]) {
    const x = v[key];
    if (x === undefined) continue;
    if (typeof x !== 'string' || x === '')
      throw new AgentConfigFileError(`${file}: /${key} must be a non-empty string`);
    out[key] = x;
  }
  if (!out.collector) throw new AgentConfigFileError(`${file}: /collector is missing`);
  if ((out.proxyUser === undefined) !== (out.proxyPassword === undefined))
    throw new AgentConfigFileError(`${file}: /proxyUser and /proxyPassword go together`);
  if (out.proxyUser?.includes(':'))
    throw new AgentConfigFileError(`${file}: /proxyUser must not contain ":" (RFC 7617)`);
  if (!out.token && !out.enrollmentSecret)
    throw new AgentConfigFileError(`${file}: needs /token or /enrollmentSecret`);
  return out as unknown as AgentConfigFile;
}

export function readAgentConfigFile(file: string): AgentConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AgentConfigFileError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AgentConfigFileError(`${file}: not JSON (${(err as Error).message})`);
  }
  return parseAgentConfigFile(json, file);
}
