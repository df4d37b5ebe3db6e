/**
 * @module agents/agent-version
 * The agent version this collector announces as current (its own release:
 * agents and collector ship from one repository), and how a reported
 * version compares with it. Versions are `major.minor.patch`; anything else
 * an agent sends is kept as text and counts as out of date.
 */
import pkg from '../../package.json' with { type: 'json' };

export const CURRENT_AGENT_VERSION: string = pkg.version;
/** What an agent may send as its version and device id (headers of GET /api/v1/agent/config). */
export const VERSION_HEADER = 'x-netinsights-agent-version';
export const DEVICE_HEADER = 'x-netinsights-device-id';
/** The office the agent says it is in (`--office`): its planning unit when its token names none. */
export const OFFICE_HEADER = 'x-netinsights-office-id';
/** What the agent's own daily traffic cap has left, in bytes: the planner grants only what fits. */
export const TRAFFIC_LEFT_HEADER = 'x-netinsights-traffic-left';
const SEMVER = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:[-+][\w.-]{1,64})?$/;

/** True when `version` is older than `current` (or not a version at all). */
export function isOutOfDate(version: string, current = CURRENT_AGENT_VERSION): boolean {
  const a = SEMVER.exec(version);
  const b = SEMVER.exec(current);
  if (!a || !b) return true;
  for (let i = 1; i <= 3; i++) {
    const d = Number(a[i]) - Number(b[i]);
    if (d !== 0) return d < 0;
  }
  return false;
}

/** A header value fit to store: short printable text, else undefined. */
export function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && /^[\w.:+-]{1,64}$/.test(s) ? s : undefined;
}
