/**
 * @module cli/agent-service-command
 * `agent install | uninstall | status`: the flags of the service commands
 * and what they print. The work is in agent/service/install.
 */
import { UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags } from '@netinsights/protocol/cli/parse-flags.ts';
import pkg from '../../package.json' with { type: 'json' };
import type { ServiceOs } from '../agent/service/service-paths.ts';
import { readCaFile } from './read-ca-file.ts';

/** An argument as a person would type it in that OS's shell (cmd.exe or sh), so a shown command can be pasted. */
function quoteFor(os: string, arg: string): string {
  if (/^[\w@%+=:,./\\*()-]+$/.test(arg)) return arg;
  if (os === 'win32') return `"${arg.replace(/"/g, '\\"')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export const SERVICE_SUBCOMMANDS = ['install', 'uninstall', 'status'] as const;
export type ServiceSubcommand = (typeof SERVICE_SUBCOMMANDS)[number];

export const SERVICE_HELP = `Service commands (run as root / administrator):
  agent install --collector URL --token T|--enroll SECRET [--office ID]
                [--collector-ca FILE] [--proxy-credentials FILE]
                          install this program as a service that starts at
                          boot and restarts after a failure: systemd on Linux,
                          launchd on macOS, a scheduled task on Windows; an
                          update is the same line with a newer file; proxy
                          credentials (user:password in FILE) are kept in the
                          service's config, readable by the service only
  agent uninstall [--purge]
                          stop and remove it (--purge: its state and logs too)
  agent status [--json]   installed or not, the collector, the last run and
                          its result, spooled reports, version
  --root DIR              (all three) work on the files under DIR instead of
                          this machine, and run no OS tool
  --os linux|darwin|win32 (all three) the OS to write for (default: this one)`;

function osOf(value: string | undefined): ServiceOs {
  const os = value ?? process.platform;
  if (os === 'linux' || os === 'darwin' || os === 'win32') return os;
  throw new UsageError(`--os must be linux, darwin or win32, got "${os}"`);
}

export async function runServiceCommand(sub: ServiceSubcommand, argv: string[]): Promise<number> {
  const service = await import('../agent/service/install.ts');
  const { collectorEndpoint } = await import('../upload/collector-client.ts');
  if (sub === 'install') {
    const { values } = parseFlags(argv, {
      collector: { type: 'string' },
      token: { type: 'string' },
      enroll: { type: 'string' },
      office: { type: 'string' },
      'collector-ca': { type: 'string' },
      'proxy-credentials': { type: 'string' },
      root: { type: 'string' },
      os: { type: 'string' },
      'no-start': { type: 'boolean' },
    });
    if (values.collector === undefined) throw new UsageError('agent install needs --collector URL');
    try {
      collectorEndpoint(values.collector);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const token = values.token ?? process.env.NETINSIGHTS_TOKEN;
    const enrollmentSecret = values.enroll ?? process.env.NETINSIGHTS_ENROLL;
    if (!token && !enrollmentSecret)
      throw new UsageError(
        'agent install needs --token T or --enroll SECRET (or NETINSIGHTS_TOKEN / NETINSIGHTS_ENROLL)',
      );
    if (values.office !== undefined && !/^[\w.:-]{1,128}$/.test(values.office))
      throw new UsageError(`--office "${values.office}" must be 1–128 letters, digits, or . _ : -`);
    const ca =
      values['collector-ca'] === undefined ? [] : readCaFile(values['collector-ca'], '--collector-ca');
    let proxy: { user: string; password: string } | undefined;
    if (values['proxy-credentials'] !== undefined) {
      const { readProxyCredentials } = await import('../agent/proxy-credentials.ts');
      try {
        proxy = readProxyCredentials(values['proxy-credentials']);
      } catch (err) {
        throw new UsageError(`--proxy-credentials ${(err as Error).message}`);
      }
    }
    const result = service.installAgent({
      os: osOf(values.os),
      ...(values.root !== undefined ? { root: values.root } : {}),
      version: pkg.version,
      start: !values['no-start'],
      config: {
        collector: values.collector,
        ...(token ? { token } : { enrollmentSecret: enrollmentSecret as string }),
        ...(values.office !== undefined ? { officeId: values.office } : {}),
        ...(ca.length ? { collectorCaPem: ca.join('\n') } : {}),
        ...(proxy ? { proxyUser: proxy.user, proxyPassword: proxy.password } : {}),
      },
    });
    for (const f of result.written) console.log(`wrote ${f}`);
    const started = values.root === undefined && !values['no-start'];
    const shown = (c: string[]) => c.map((a) => quoteFor(result.paths.os, a)).join(' ');
    for (const c of result.commands) console.log(`${started ? 'ran' : 'to start it, run'}: ${shown(c)}`);
    return 0;
  }
  if (sub === 'uninstall') {
    const { values } = parseFlags(argv, {
      root: { type: 'string' },
      os: { type: 'string' },
      purge: { type: 'boolean' },
    });
    const result = service.uninstallAgent({
      os: osOf(values.os),
      ...(values.root !== undefined ? { root: values.root } : {}),
      purge: values.purge === true,
    });
    for (const f of result.removed) console.log(`removed ${f}`);
    if (!result.removed.length) console.log('the agent was not installed');
    return 0;
  }
  const { values } = parseFlags(argv, {
    root: { type: 'string' },
    os: { type: 'string' },
    state: { type: 'string' },
    json: { type: 'boolean' },
  });
  const status = service.agentStatus({
    os: osOf(values.os),
    ...(values.root !== undefined ? { root: values.root } : {}),
    ...(values.state !== undefined ? { state: values.state } : {}),
    version: pkg.version,
  });
  console.log(values.json ? JSON.stringify(status) : service.formatStatus(status));
  return 0;
}
