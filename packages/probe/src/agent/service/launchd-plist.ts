/**
 * @module agent/service/launchd-plist
 * The agent as a macOS launchd daemon (launchd.plist(5)): started at boot
 * (RunAtLoad), started again when it exits with a failure (KeepAlive with
 * SuccessfulExit false; ThrottleInterval spaces the restarts), as the
 * hidden daemon account `_netinsights` (UserName and GroupName; made at
 * install, see service-account.ts) rather than root, its output
 * appended to /Library/Logs/netinsights. An XML property list, written
 * here by hand: it is a few keys and needs no plist library.
 */
import { DARWIN_ACCOUNT } from './service-account.ts';
import { LAUNCHD_LABEL, type ServicePaths } from './service-paths.ts';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The plist's text; `command` is the program and its leading arguments (before `agent`). */
export function launchdPlist(paths: ServicePaths, command: string[]): string {
  const args = [...command, 'agent', '--config', paths.config, '--state', paths.state];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args.map((a) => `    <string>${xml(a)}</string>`).join('\n')}
  </array>
  <key>UserName</key>
  <string>${DARWIN_ACCOUNT}</string>
  <key>GroupName</key>
  <string>${DARWIN_ACCOUNT}</string>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>30</integer>
  <key>Umask</key>
  <integer>63</integer>
  <key>StandardOutPath</key>
  <string>${xml(paths.logFile)}</string>
  <key>StandardErrorPath</key>
  <string>${xml(paths.logFile)}</string>
</dict>
</plist>
`;
}
