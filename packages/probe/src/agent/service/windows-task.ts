/**
 * @module agent/service/windows-task
 * The agent as a Windows scheduled task, in the Task Scheduler schema
 * Microsoft documents (`schtasks /Create /XML`): started at boot, as
 * NT AUTHORITY\LocalService (see service-account.ts) with no privilege but
 * SeChangeNotifyPrivilege (schema 1.3's RequiredPrivileges: the token
 * holds nothing else), with no time limit, restarted every minute after a
 * failure (RestartOnFailure), one instance at a time, on battery too (a
 * laptop measures where its user works). Task Scheduler gives a task no
 * console, so the agent appends its log itself (`--log-file`). schtasks
 * reads the file as UTF-16 with a byte-order mark: that is how it is written.
 */
import { WINDOWS_SERVICE_SID } from './service-account.ts';
import type { ServicePaths } from './service-paths.ts';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Quotes one argument the way the Windows C runtime splits a command line. */
function winArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/** The task definition's text; `command` is the program and its leading arguments. */
export function windowsTaskXml(paths: ServicePaths, command: string[]): string {
  const [program = paths.binary, ...lead] = command;
  const args = [
    ...lead,
    'agent',
    '--config',
    paths.config,
    '--state',
    paths.state,
    '--log-file',
    paths.logFile,
  ];
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>netinsights agent: measures this machine's path to Microsoft 365 and reports it</Description>
    <URI>\\${paths.serviceName}</URI>
  </RegistrationInfo>
  <Triggers>
    <BootTrigger>
      <Enabled>true</Enabled>
    </BootTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${WINDOWS_SERVICE_SID}</UserId>
      <RunLevel>LeastPrivilege</RunLevel>
      <RequiredPrivileges>
        <Privilege>SeChangeNotifyPrivilege</Privilege>
      </RequiredPrivileges>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>999</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(winArg(program))}</Command>
      <Arguments>${xml(args.map(winArg).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}

/** The bytes schtasks reads: UTF-16 little-endian with a byte-order mark. */
export function windowsTaskFile(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]);
}
