/**
 * @module agent/service/service-paths
 * Where an installed agent lives on each OS, in the places each OS's own
 * conventions give system services: on Linux the Filesystem Hierarchy
 * Standard's /usr/local/bin, /etc, /var/lib (systemd's StateDirectory) and
 * /var/log (LogsDirectory); on macOS /usr/local/bin, /Library/Application
 * Support, /Library/Logs and /Library/LaunchDaemons; on Windows
 * %ProgramFiles% for the program and %ProgramData% for configuration, state
 * and logs. `--root DIR` puts every file under DIR (a test prefix, or an
 * image being prepared), while the service definition still names the
 * real paths the files will have on the machine.
 */
import { join, posix, win32 } from 'node:path';

export type ServiceOs = 'linux' | 'darwin' | 'win32';

/** The files of an installed agent, as the machine will see them. */
export interface ServicePaths {
  os: ServiceOs;
  /** The executable the service runs. */
  binary: string;
  /** collector, token, office: readable by the service only. */
  config: string;
  /** The service definition (unit, plist, task XML). */
  definition: string;
  /** Device id, settings cache, last run and spool/. */
  state: string;
  logs: string;
  logFile: string;
  /** The service's name as the OS tools take it. */
  serviceName: string;
}

export const SERVICE_NAME = 'netinsights-agent';
export const LAUNCHD_LABEL = 'com.netinsights.agent';

export function servicePaths(
  os: ServiceOs,
  env: Record<string, string | undefined> = process.env,
): ServicePaths {
  if (os === 'win32') {
    const programFiles = env.ProgramFiles || 'C:\\Program Files';
    const data = win32.join(env.ProgramData || 'C:\\ProgramData', 'netinsights');
    return {
      os,
      binary: win32.join(programFiles, 'netinsights', `${SERVICE_NAME}.exe`),
      config: win32.join(data, 'agent.json'),
      definition: win32.join(data, `${SERVICE_NAME}-task.xml`),
      state: win32.join(data, 'state'),
      logs: win32.join(data, 'logs'),
      logFile: win32.join(data, 'logs', 'agent.log'),
      serviceName: SERVICE_NAME,
    };
  }
  if (os === 'darwin') {
    const support = '/Library/Application Support/netinsights';
    return {
      os,
      binary: `/usr/local/bin/${SERVICE_NAME}`,
      config: posix.join(support, 'agent.json'),
      definition: `/Library/LaunchDaemons/${LAUNCHD_LABEL}.plist`,
      state: posix.join(support, 'state'),
      logs: '/Library/Logs/netinsights',
      logFile: '/Library/Logs/netinsights/agent.log',
      serviceName: LAUNCHD_LABEL,
    };
  }
  return {
    os,
    binary: `/usr/local/bin/${SERVICE_NAME}`,
    config: '/etc/netinsights/agent.json',
    definition: `/etc/systemd/system/${SERVICE_NAME}.service`,
    state: '/var/lib/netinsights',
    logs: '/var/log/netinsights',
    logFile: '/var/log/netinsights/agent.log',
    serviceName: `${SERVICE_NAME}.service`,
  };
}

/** A machine path under `root` (C:\x → <root>/C/x), or the path itself without a root. */
export function underRoot(root: string | undefined, path: string): string {
  if (root === undefined) return path;
  const relative = path
    .replace(/^([A-Za-z]):[\\/]/, '$1/')
    .replaceAll('\\', '/')
    .replace(/^\/+/, '');
  return join(root, ...relative.split('/'));
}
