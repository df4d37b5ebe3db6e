/**
 * @module agent/service/service-account
 * The unprivileged account an installed agent runs as, and the commands that
 * give it exactly the folders it needs (its state and logs to write, its
 * config — which holds the token — to read) and nothing else. The probe
 * needs no privilege: outbound TCP and UDP sockets, DNS and reading the
 * system proxy settings are open to any account.
 * - Linux: systemd's DynamicUser (systemd-unit.ts), nothing to create.
 * - Windows: NT AUTHORITY\LocalService (S-1-5-19), a built-in service
 *   account with the rights of an ordinary user and anonymous credentials
 *   on the network; the task asks Task Scheduler for no privilege but
 *   SeChangeNotifyPrivilege (windows-task.ts). Granted with icacls by SID,
 *   so a localised Windows ("SERVICE LOCAL") resolves it too.
 * - macOS: a hidden daemon account `_netinsights` (Apple's convention for
 *   daemons: a leading underscore, no shell, no home), created with dscl
 *   at install at the first UID/GID from 300 that neither a user nor a
 *   group uses, removed at uninstall; the plist names it as UserName and
 *   GroupName (launchd-plist.ts).
 */
import type { ServicePaths } from './service-paths.ts';

/** NT AUTHORITY\LocalService; S-1-5-32-544 Administrators and S-1-5-18 LocalSystem keep full control. */
export const WINDOWS_SERVICE_SID = 'S-1-5-19';
const ADMINISTRATORS_SID = 'S-1-5-32-544';
const LOCAL_SYSTEM_SID = 'S-1-5-18';

/** The macOS daemon account (and its group of the same name). */
export const DARWIN_ACCOUNT = '_netinsights';
/** Where the free-UID search starts: below 500 (hidden from the login window), above Apple's own. */
const DARWIN_FIRST_ID = 300;

/**
 * The shell script (run by /bin/sh as root) that creates the macOS account
 * once: a re-install (an update) finds it and changes nothing.
 */
export function darwinAccountScript(): string {
  const a = DARWIN_ACCOUNT;
  return [
    `id -u ${a} >/dev/null 2>&1 && exit 0`,
    `used=$( (dscl . -list /Users UniqueID; dscl . -list /Groups PrimaryGroupID) | awk '{print $2}')`,
    `id=${DARWIN_FIRST_ID}; while printf '%s\\n' "$used" | grep -qx "$id"; do id=$((id + 1)); done`,
    `dscl . -create /Groups/${a} PrimaryGroupID "$id"`,
    `dscl . -create /Groups/${a} RealName "netinsights agent"`,
    `dscl . -create /Users/${a} UniqueID "$id"`,
    `dscl . -create /Users/${a} PrimaryGroupID "$id"`,
    `dscl . -create /Users/${a} UserShell /usr/bin/false`,
    `dscl . -create /Users/${a} NFSHomeDirectory /var/empty`,
    `dscl . -create /Users/${a} RealName "netinsights agent"`,
    `dscl . -create /Users/${a} IsHidden 1`,
  ].join('\n');
}

/** Commands run before the service starts: the account, and its folders handed to it. */
export function accountCommands(p: ServicePaths): string[][] {
  if (p.os === 'win32') {
    const sid = `*${WINDOWS_SERVICE_SID}`;
    return [
      // State and logs: modify, inherited by what the agent creates; /T also for files of an older install.
      ['icacls', p.state, '/grant', `${sid}:(OI)(CI)M`, '/T'],
      ['icacls', p.logs, '/grant', `${sid}:(OI)(CI)M`, '/T'],
      // The config holds the token: read for the agent, full for admins and SYSTEM, nobody else.
      [
        'icacls',
        p.config,
        '/inheritance:r',
        '/grant:r',
        `*${ADMINISTRATORS_SID}:F`,
        `*${LOCAL_SYSTEM_SID}:F`,
        `${sid}:R`,
      ],
    ];
  }
  if (p.os === 'darwin')
    return [
      ['/bin/sh', '-c', darwinAccountScript()],
      ['chown', '-R', `${DARWIN_ACCOUNT}:${DARWIN_ACCOUNT}`, p.state, p.logs],
      // The config holds the token: root writes it, the agent's group reads it.
      ['chown', `root:${DARWIN_ACCOUNT}`, p.config],
      ['chmod', '0640', p.config],
    ];
  return [];
}

/** Commands run after the service is removed (purge only: the account owns the state until then). */
export function accountRemovalCommands(p: ServicePaths): string[][] {
  if (p.os === 'darwin')
    return [
      ['dscl', '.', '-delete', `/Users/${DARWIN_ACCOUNT}`],
      ['dscl', '.', '-delete', `/Groups/${DARWIN_ACCOUNT}`],
    ];
  return [];
}
