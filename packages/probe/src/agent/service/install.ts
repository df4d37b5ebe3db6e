/**
 * @module agent/service/install
 * `agent install | uninstall | status`: puts the agent on a machine as a
 * service with the tools the OS ships (systemctl, launchctl, schtasks),
 * takes it off again, and says how it is doing. Installing copies this
 * executable to the OS's program folder (when it is the one-file build; a
 * `node script` is referenced where it is), writes the configuration
 * readable by the service only, and the service definition. With `root` the
 * files go under that folder and no OS tool is run: for tests and for
 * preparing an image. Uninstall keeps the state and logs unless `purge`.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { isSea } from 'node:sea';
import type { AgentRunRecord } from '../agent-log.ts';
import { type AgentConfigFile, readAgentConfigFile } from './agent-config-file.ts';
import { launchdPlist } from './launchd-plist.ts';
import { accountCommands, accountRemovalCommands } from './service-account.ts';
import { type ServiceOs, type ServicePaths, servicePaths, underRoot } from './service-paths.ts';
import { systemdUnit } from './systemd-unit.ts';
import { windowsTaskFile, windowsTaskXml } from './windows-task.ts';

/** Runs one OS tool; the default runs it for real and throws with its output when it fails. */
export type ToolRunner = (program: string, args: string[]) => void;

const runTool: ToolRunner = (program, args) => {
  try {
    execFileSync(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
};

export interface ServiceOptions {
  os: ServiceOs;
  /** Install under this folder, without running OS tools. */
  root?: string;
  /** The program the service runs, before `agent`; default: this executable (or node and this script). */
  command?: string[];
  run?: ToolRunner;
  env?: Record<string, string | undefined>;
}

export interface InstallOptions extends ServiceOptions {
  config: Omit<AgentConfigFile, 'installedAt' | 'installedVersion'>;
  version: string;
  /** Start it now (default true; never with `root`). */
  start?: boolean;
}

export interface InstallResult {
  paths: ServicePaths;
  written: string[];
  /** The OS commands run (or, with `root`, that would be run). */
  commands: string[][];
}

function startCommands(p: ServicePaths, definition: string): string[][] {
  if (p.os === 'linux')
    return [
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', p.serviceName],
    ];
  if (p.os === 'darwin') return [...accountCommands(p), ['launchctl', 'bootstrap', 'system', definition]];
  return [
    ...accountCommands(p),
    ['schtasks', '/Create', '/XML', definition, '/TN', p.serviceName, '/F'],
    ['schtasks', '/Run', '/TN', p.serviceName],
  ];
}

function stopCommands(p: ServicePaths): string[][] {
  if (p.os === 'linux') return [['systemctl', 'disable', '--now', p.serviceName]];
  if (p.os === 'darwin') return [['launchctl', 'bootout', `system/${p.serviceName}`]];
  return [
    ['schtasks', '/End', '/TN', p.serviceName],
    ['schtasks', '/Delete', '/TN', p.serviceName, '/F'],
  ];
}

/** What the service runs, and whether this executable must be copied to the program folder. */
function programFor(opts: ServiceOptions, p: ServicePaths): { command: string[]; copyFrom?: string } {
  if (opts.command) return { command: opts.command };
  if (isSea()) return { command: [p.binary], copyFrom: process.execPath };
  return { command: [process.execPath, process.argv[1] ?? ''] };
}

function write(file: string, data: string | Buffer, mode: number): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, data, { mode });
  chmodSync(file, mode);
}

export function installAgent(opts: InstallOptions): InstallResult {
  const p = servicePaths(opts.os, opts.env);
  const at = (path: string) => underRoot(opts.root, path);
  const { command, copyFrom } = programFor(opts, p);
  const written: string[] = [];
  if (copyFrom) {
    mkdirSync(dirname(at(p.binary)), { recursive: true });
    const tmp = `${at(p.binary)}.new`;
    copyFileSync(copyFrom, tmp);
    chmodSync(tmp, 0o755);
    // Replacing a running executable in place fails on some systems; a rename does not.
    rmSync(at(p.binary), { force: true });
    copyFileSync(tmp, at(p.binary));
    chmodSync(at(p.binary), 0o755);
    rmSync(tmp, { force: true });
    written.push(at(p.binary));
  }
  const config: AgentConfigFile = {
    ...opts.config,
    installedVersion: opts.version,
    installedAt: new Date().toISOString(),
  };
  write(at(p.config), `${JSON.stringify(config, null, 2)}\n`, 0o600);
  written.push(at(p.config));
  const definition =
    p.os === 'linux'
      ? systemdUnit(p, command)
      : p.os === 'darwin'
        ? launchdPlist(p, command)
        : windowsTaskFile(windowsTaskXml(p, command));
  write(at(p.definition), definition, 0o644);
  written.push(at(p.definition));
  // systemd creates its StateDirectory and LogsDirectory; launchd and Task Scheduler do not.
  if (p.os !== 'linux') {
    mkdirSync(at(p.state), { recursive: true, mode: 0o700 });
    mkdirSync(at(p.logs), { recursive: true, mode: 0o750 });
  }
  const commands = startCommands(p, p.definition);
  if (opts.root === undefined && opts.start !== false) {
    const run = opts.run ?? runTool;
    // A re-install (an update) replaces a running service: stop it first, ignoring "not loaded".
    for (const [program, ...args] of stopCommands(p).slice(0, 1))
      try {
        run(program as string, args);
      } catch {}
    for (const [program, ...args] of commands) run(program as string, args);
  }
  return { paths: p, written, commands };
}

export interface UninstallOptions extends ServiceOptions {
  /** Remove the state (spool, device id) and logs too. */
  purge?: boolean;
}

export function uninstallAgent(opts: UninstallOptions): { paths: ServicePaths; removed: string[] } {
  const p = servicePaths(opts.os, opts.env);
  const at = (path: string) => underRoot(opts.root, path);
  if (opts.root === undefined) {
    const run = opts.run ?? runTool;
    for (const [program, ...args] of stopCommands(p))
      try {
        run(program as string, args);
      } catch {}
    if (p.os === 'linux') run('systemctl', ['daemon-reload']);
  }
  const targets = [p.definition, p.config, p.binary, ...(opts.purge ? [p.state, p.logs] : [])];
  const removed: string[] = [];
  for (const t of targets)
    if (existsSync(at(t))) {
      rmSync(at(t), { recursive: true, force: true });
      removed.push(at(t));
    }
  // The daemon account goes with its state (it owns it until then); "no such record" is fine.
  if (opts.root === undefined && opts.purge)
    for (const [program, ...args] of accountRemovalCommands(p))
      try {
        (opts.run ?? runTool)(program as string, args);
      } catch {}
  return { paths: p, removed };
}

/** What `agent status` reports. */
export interface AgentStatus {
  installed: boolean;
  definition: string;
  collector?: string;
  /** Has a token (from install, or got by enrolling); false while waiting to enroll. */
  enrolled?: boolean;
  officeId?: string;
  installedVersion?: string;
  /** This program's version. */
  version: string;
  configProblem?: string;
  lastRun?: AgentRunRecord & { version?: string };
  lastRunProblem?: string;
  spooled?: number;
  spoolProblem?: string;
  /** The state folder's disk is (nearly) full: what that means for the reports. */
  diskProblem?: string;
  state: string;
}

/** Below this much free space a report (tens of KiB) or the last run may not fit. */
const LOW_DISK_BYTES = 1024 * 1024;

const REPORT_FILE = /^[0-9a-f-]{36}\.json$/i;

/** Reads the installed agent's state; every unreadable part is said, never thrown. */
export function agentStatus(opts: ServiceOptions & { version: string; state?: string }): AgentStatus {
  const p = servicePaths(opts.os, opts.env);
  const at = (path: string) => underRoot(opts.root, path);
  const state = opts.state ?? at(p.state);
  const status: AgentStatus = {
    installed: existsSync(at(p.definition)),
    definition: at(p.definition),
    version: opts.version,
    state,
  };
  if (existsSync(at(p.config)))
    try {
      const c = readAgentConfigFile(at(p.config));
      status.collector = c.collector;
      status.enrolled = c.token !== undefined || existsSync(`${state}/agent-token`);
      if (c.officeId) status.officeId = c.officeId;
      if (c.installedVersion) status.installedVersion = c.installedVersion;
    } catch (err) {
      status.configProblem = (err as Error).message;
    }
  const lastRunFile = `${state}/last-run.json`;
  try {
    status.lastRun = JSON.parse(readFileSync(lastRunFile, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      status.lastRunProblem = `${lastRunFile}: ${code === 'EACCES' ? 'not readable by this user (run as administrator/root)' : (code ?? (err as Error).message)}`;
  }
  try {
    status.spooled = readdirSync(`${state}/spool`).filter((n) => REPORT_FILE.test(n)).length;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') status.spooled = 0;
    else
      status.spoolProblem = `${state}/spool: ${code === 'EACCES' ? 'not readable by this user (run as administrator/root)' : code}`;
  }
  try {
    const fs = statfsSync(state);
    const free = fs.bavail * fs.bsize;
    if (free < LOW_DISK_BYTES)
      status.diskProblem = `only ${Math.floor(free / 1024)} KiB free in ${state}: new reports cannot be spooled (the running agent keeps them in memory and sends them when the collector answers) and runs may not be recorded here; free some space`;
  } catch {
    // No state folder yet: nothing to say about its disk.
  }
  return status;
}

/** `agent status` as text for a person. */
export function formatStatus(s: AgentStatus): string {
  const lines = [
    `installed:  ${s.installed ? `yes (${s.definition})` : 'no'}`,
    `collector:  ${s.collector ?? (s.configProblem ? `unknown: ${s.configProblem}` : '-')}`,
  ];
  if (s.enrolled === false)
    lines.push('token:      none yet: the agent enrolls on its first contact with the collector');
  if (s.officeId) lines.push(`office:     ${s.officeId}`);
  lines.push(
    `version:    ${s.version}${s.installedVersion && s.installedVersion !== s.version ? ` (installed: ${s.installedVersion})` : ''}`,
  );
  const r = s.lastRun;
  if (r) {
    const result =
      r.outcome !== 'done'
        ? `${r.outcome}${r.error ? `: ${r.error}` : ''}`
        : r.report
          ? r.report.healthy
            ? 'healthy'
            : `problems: ${r.report.headline}`
          : 'done';
    const upload = r.upload?.failure
      ? `; upload failed: ${r.upload.failure}`
      : r.upload
        ? `; uploaded ${r.upload.sent}`
        : '';
    const config = r.configError ? `; collector settings not used: ${r.configError.message}` : '';
    const held = r.upload?.heldInMemory
      ? `; ${r.upload.heldInMemory} kept in memory: ${r.upload.spoolError ?? 'the spool cannot take them'}`
      : '';
    const full = r.upload?.droppedOldest ? `; spool full: the ${r.upload.droppedOldest} oldest dropped` : '';
    lines.push(`last run:   ${r.at}, ${result}${upload}${config}${held}${full}`);
    if (r.traffic) {
      const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
      const notRun = Object.keys(r.traffic.notRun);
      lines.push(
        `traffic:    ${mb(r.traffic.usedTodayBytes)} of ${mb(r.traffic.capBytes)} today (UTC day)${notRun.length ? `; last run left out ${notRun.join(', ')}` : ''}`,
      );
    }
  } else lines.push(`last run:   ${s.lastRunProblem ?? 'none yet'}`);
  lines.push(
    `spooled:    ${s.spoolProblem ?? `${s.spooled ?? 0} report${s.spooled === 1 ? '' : 's'} waiting for the collector`}`,
  );
  if (s.diskProblem) lines.push(`disk:       ${s.diskProblem}`);
  lines.push(`state:      ${s.state}`);
  return lines.join('\n');
}
