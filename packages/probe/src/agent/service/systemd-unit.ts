/**
 * @module agent/service/systemd-unit
 * The agent's systemd service, hardened the way systemd.exec(5) documents:
 * a transient user of its own (DynamicUser), the whole file system read-only
 * but for its StateDirectory (state and spool) and LogsDirectory
 * (ProtectSystem=strict), no privilege gain (NoNewPrivileges), no
 * capabilities, only IP and local sockets. The configuration with the token
 * stays root-only in /etc and reaches the service as a credential
 * (LoadCredential, `%d`), never on the command line. Restarted when it fails.
 * MemoryDenyWriteExecute is left out on purpose: V8's JIT needs it off.
 */
import type { ServicePaths } from './service-paths.ts';

/** Quotes one ExecStart word per systemd.service(5) (double quotes, backslash escapes). */
function quote(word: string): string {
  return /^[\w./%:=@+-]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, '\\$&')}"`;
}

/** The unit file's text; `command` is the program and its leading arguments (before `agent`). */
export function systemdUnit(paths: ServicePaths, command: string[]): string {
  const exec = [...command, 'agent', '--config', '%d/agent.json', '--state', paths.state]
    .map(quote)
    .join(' ');
  return `# Written by \`netinsights-agent agent install\`; \`agent uninstall\` removes it.
[Unit]
Description=netinsights agent: measures this machine's path to Microsoft 365 and reports it
Wants=network-online.target
After=network-online.target

[Service]
Type=exec
ExecStart=${exec}
LoadCredential=agent.json:${paths.config}
DynamicUser=yes
StateDirectory=netinsights
StateDirectoryMode=0700
LogsDirectory=netinsights
LogsDirectoryMode=0750
StandardOutput=append:${paths.logFile}
StandardError=journal
Restart=on-failure
RestartSec=30
UMask=0077
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
AmbientCapabilities=

[Install]
WantedBy=multi-user.target
`;
}
