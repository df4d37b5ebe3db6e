/**
 * @module agent/state-paths
 * Where a probe or agent run by hand keeps what it must remember — the
 * device id, the collector's last settings, the last run, and the spool of
 * reports not yet uploaded — all inside one state folder, and nothing
 * beside it. The per-user state folder follows each OS's convention: the
 * XDG Base Directory specification's `$XDG_STATE_HOME` on Linux, Apple's
 * `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on Windows.
 * An installed agent (agent install) is given the system-wide folders
 * instead (see service/service-paths).
 */
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

/** The files of one state folder. */
export interface StatePaths {
  state: string;
  spool: string;
  deviceId: string;
  configCache: string;
  /** The last run's summary, for `agent status`. */
  lastRun: string;
  /** The agent token got by enrollment. */
  token: string;
  /** The day's measurement traffic under the daily cap (agent/traffic-budget.ts). */
  trafficBudget: string;
}

/** The per-user state folder of this OS. */
export function defaultStateDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'netinsights');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'netinsights');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'netinsights');
}

/**
 * The paths for `--state` and `--spool` as given: `--state DIR` puts
 * everything in DIR (the spool in DIR/spool unless `--spool` says
 * otherwise); `--spool DIR` alone keeps the agent's own files inside DIR
 * with the reports (the spool only reads report-id files), never in DIR's
 * parent; neither: the OS's per-user state folder.
 */
export function statePaths(flags: { state?: string | undefined; spool?: string | undefined }): StatePaths {
  const state = flags.state ?? flags.spool ?? defaultStateDir();
  const spool = flags.spool ?? join(state, 'spool');
  return {
    state,
    spool,
    deviceId: join(state, 'device-id'),
    configCache: join(state, 'agent-config.json'),
    lastRun: join(state, 'last-run.json'),
    token: join(state, 'agent-token'),
    trafficBudget: join(state, 'traffic-budget.json'),
  };
}
