/**
 * @module agent/device-identity
 * The hostname and OS user an agent puts into its reports where the
 * organisation's agent policy enables it (`reportIdentity`, off by
 * default), so a help desk can match a complaint ("Teams drops at my desk")
 * to that machine's reports. The user is the account the agent runs as: a
 * person's own when they run it, the service account (netinsights,
 * LOCAL SERVICE, _netinsights) when it is installed as a service.
 */
import { hostname, userInfo } from 'node:os';
import type { ProbeReport } from '@netinsights/protocol';

/** The report's bounds (protocol Environment): a longer name is cut, not refused. */
const HOSTNAME_MAX = 253;
const USER_MAX = 256;

/** This machine's hostname and OS user; a part the OS cannot tell (no passwd entry) is left out. */
export function deviceIdentity(): { hostname?: string; osUser?: string } {
  const identity: { hostname?: string; osUser?: string } = {};
  const host = hostname().slice(0, HOSTNAME_MAX);
  if (host) identity.hostname = host;
  try {
    const user = userInfo().username.slice(0, USER_MAX);
    if (user) identity.osUser = user;
  } catch {
    // A uid without a name (a container's random uid): no user rather than a number nobody knows.
  }
  return identity;
}

/** The report with (`enabled`) or without the hostname and OS user; other fields untouched. */
export function withIdentity(report: ProbeReport, enabled: boolean): ProbeReport {
  const { hostname: _h, osUser: _u, ...environment } = report.environment;
  return { ...report, environment: enabled ? { ...environment, ...deviceIdentity() } : environment };
}
