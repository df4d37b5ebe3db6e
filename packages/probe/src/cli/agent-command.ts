import { isIP } from 'node:net';
import { MAX_DAILY_MB, MIN_DAILY_MB } from '@netinsights/protocol';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags, requireNumber } from '@netinsights/protocol/cli/parse-flags.ts';
import { resolverKeyOfToken } from '@netinsights/protocol/resolver-label.ts';
import type { AgentLogFormat, AgentRunRecord } from '../agent/agent-log.ts';
import { enrolledToken } from '../agent/enrolled-token.ts';
import { keepRun } from '../agent/last-run.ts';
import { PROBE_CHILD_COMMAND } from '../agent/probe-runner.ts';
import { statePaths } from '../agent/state-paths.ts';
import { withCredentials } from '../transport/proxy-selection.ts';
import {
  runServiceCommand,
  SERVICE_HELP,
  SERVICE_SUBCOMMANDS,
  type ServiceSubcommand,
} from './agent-service-command.ts';
import { readCaFile } from './read-ca-file.ts';

const HELP = `Usage: netinsights agent --collector URL --token T [flags]

Runs the probe again and again on this machine (an endpoint or an office
box) and uploads each report to the collector. Before each run it asks the
collector for the service profile and schedule, so admins change them in one
place; when the collector cannot be reached it uses the last settings it got
(kept beside the spool), or the shipped m365 profile. Reports that cannot be
uploaded wait in the spool and are sent first, under their original ids, once
the collector answers again. One log line per run on stdout. SIGINT or
SIGTERM stops the run in flight and exits 0.

Flags:
  --collector URL         the collector (https://; plain http only to a
                          loopback address)
  --token T               the agent token (or set NETINSIGHTS_TOKEN)
  --collector-ca FILE     PEM CA for the collector's certificate, besides the
                          system store
  --state DIR             where the agent keeps the device id, the last
                          collector settings, the last run and (in spool/)
                          the reports waiting for the collector (default: this
                          OS's per-user state folder, ~/.local/state/netinsights
                          on Linux)
  --spool DIR             the reports' folder instead of <state>/spool; given
                          alone, the agent's own files are kept in it too
  --interval S            seconds between runs, instead of the collector's
                          (default: the collector's, else 900); each wait is
                          jittered by ±10 % so a fleet does not run in step
  --once                  one run, then exit (0 healthy, 1 problems found)
  --max-daily-mb MB       cap on measurement traffic per UTC day, sent and
                          received, in MB of 10^6 bytes (default 25, or the
                          organisation's cap when lower); heavy checks that
                          would not fit are not run, and a restart frees
                          nothing (kept in <state>/traffic-budget.json)
  --office ID             the office this machine is in (goes into the reports)
  --device-id ID          id of this device (default: a random id created once
                          and kept beside the spool)
  --proxy URL             reach the service and the collector through this
                          HTTP proxy (otherwise HTTPS_PROXY / NO_PROXY)
  --pac FILE|URL          proxy auto-config file, evaluated per host
  --proxy-credentials FILE
                          Basic credentials for the proxy, as one line
                          user:password in FILE (keep it readable by the
                          agent only); used for whichever proxy is chosen.
                          Never logged nor put in a report
  --dns-server IP[:PORT]  ask this DNS server instead of the system's (repeatable)
  --resolver-zone ZONE    the zone delegated to the collector (serve --dns-zone):
                          each run looks up its report's own name there, so the
                          collector sees which DNS resolver the machine uses
  --ca FILE               PEM CA certificates this machine trusts besides the
                          system store, e.g. your enterprise CA (repeatable)
  --log-format text|json  one line per run as text (default) or JSON

  --enroll SECRET         the organisation's enrollment secret (or set
                          NETINSIGHTS_ENROLL): traded once for this agent's own
                          token, kept in the state folder; used when there is
                          no --token
  --config FILE           collector, token, office, collector CA and proxy
                          credentials from this JSON file (agent install
                          writes it); flags win
  --log-file FILE         also append each run's line to FILE (a scheduled
                          task has no console)
  --inline-probe          run each probe inside the agent's own process
                          instead of a fresh child process per run (the child
                          gives all of a run's memory back; inline keeps it)

${SERVICE_HELP}

Example:
  NETINSIGHTS_TOKEN=nia_… netinsights agent --collector https://ni.example.com --office hq`;

export const command: Command = {
  name: 'agent',
  summary: 'run the probe on a schedule and upload to the collector (endpoint or office box)',
  order: 11,
  help: HELP,
  async run(argv) {
    if (argv[0] === PROBE_CHILD_COMMAND) {
      const { runProbeChild } = await import('../agent/probe-child.ts');
      return runProbeChild();
    }
    const sub = argv[0] as ServiceSubcommand;
    if ((SERVICE_SUBCOMMANDS as readonly string[]).includes(sub))
      return runServiceCommand(sub, argv.slice(1));
    const { values } = parseFlags(argv, {
      config: { type: 'string' },
      'log-file': { type: 'string' },
      enroll: { type: 'string' },
      collector: { type: 'string' },
      token: { type: 'string' },
      'collector-ca': { type: 'string' },
      state: { type: 'string' },
      spool: { type: 'string' },
      interval: { type: 'string' },
      'max-daily-mb': { type: 'string' },
      once: { type: 'boolean' },
      office: { type: 'string' },
      'device-id': { type: 'string' },
      proxy: { type: 'string' },
      pac: { type: 'string' },
      'proxy-credentials': { type: 'string' },
      'dns-server': { type: 'string', multiple: true },
      'resolver-zone': { type: 'string' },
      ca: { type: 'string', multiple: true },
      'log-format': { type: 'string' },
      'inline-probe': { type: 'boolean' },
    });
    // Only what the long-lived loop needs: the probe's checks load in each run's child process.
    const probe = {
      ...(await import('../agent/agent-log.ts')),
      ...(await import('../agent/run-agent.ts')),
      ...(await import('../agent/probe-runner.ts')),
      ...(await import('../upload/collector-client.ts')),
      ...(await import('../upload/collector-route.ts')),
      ...(await import('../upload/device-id.ts')),
    };
    const fileCas: string[] = [];
    let proxyCredentials: { user: string; password: string } | undefined;
    if (values.config !== undefined) {
      const { readAgentConfigFile } = await import('../agent/service/agent-config-file.ts');
      const file = readAgentConfigFile(values.config);
      values.collector ??= file.collector;
      values.token ??= file.token;
      values.enroll ??= file.enrollmentSecret;
      values.office ??= file.officeId;
      if (file.collectorCaPem && values['collector-ca'] === undefined) fileCas.push(file.collectorCaPem);
      if (file.proxyUser !== undefined && file.proxyPassword !== undefined)
        proxyCredentials = { user: file.proxyUser, password: file.proxyPassword };
    }
    if (values['proxy-credentials'] !== undefined) {
      const { readProxyCredentials } = await import('../agent/proxy-credentials.ts');
      try {
        proxyCredentials = readProxyCredentials(values['proxy-credentials']);
      } catch (err) {
        throw new UsageError(`--proxy-credentials ${(err as Error).message}`);
      }
    }
    if (values.collector === undefined) throw new UsageError('agent needs --collector URL');
    try {
      probe.collectorEndpoint(values.collector);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let token = values.token ?? process.env.NETINSIGHTS_TOKEN;
    const enrollSecret = values.enroll ?? process.env.NETINSIGHTS_ENROLL;
    if (!token && !enrollSecret)
      throw new UsageError(
        'agent needs an agent token: --token T or NETINSIGHTS_TOKEN (or an enrollment secret: --enroll S)',
      );
    const interval = requireNumber(values.interval, '--interval', 0, 86_400);
    const maxDailyMb = requireNumber(values['max-daily-mb'], '--max-daily-mb', MIN_DAILY_MB, MAX_DAILY_MB);
    const format = values['log-format'] ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new UsageError(`--log-format must be text or json, got "${format}"`);
    if (values.office !== undefined && !/^[\w.:-]{1,128}$/.test(values.office))
      throw new UsageError(`--office "${values.office}" must be 1–128 letters, digits, or . _ : -`);
    const deviceIdFlag = values['device-id'];
    if (deviceIdFlag !== undefined && !probe.isValidDeviceId(deviceIdFlag))
      throw new UsageError(`--device-id "${deviceIdFlag}" must be 1–64 letters, digits, or . _ : -`);
    if (values.proxy !== undefined && values.pac !== undefined)
      throw new UsageError('--proxy and --pac cannot be used together: pick one way to choose the proxy');
    const caPems =
      values['collector-ca'] === undefined ? fileCas : readCaFile(values['collector-ca'], '--collector-ca');
    const extraTrustedCas = (values.ca ?? []).flatMap((f) => readCaFile(f, '--ca'));
    const dnsServers = values['dns-server'] ?? [];
    for (const server of dnsServers) {
      const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+)(?::(\d+))?$/.exec(server);
      const ip = m ? m[1] : server;
      const port = m?.[2];
      if (!ip || isIP(ip) === 0 || (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)))
        throw new UsageError(
          `--dns-server "${server}" must be an IP address with an optional port, e.g. 10.0.0.53 or [::1]:53`,
        );
    }
    const resolverZone = values['resolver-zone'];
    if (
      resolverZone !== undefined &&
      !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+\.?$/i.test(
        resolverZone,
      )
    )
      throw new UsageError(`--resolver-zone "${resolverZone}" must be a DNS name like probe.example.com`);
    const paths = statePaths(values);
    const spoolDir = paths.spool;
    let deviceId = deviceIdFlag;
    try {
      deviceId ??= await probe.loadOrCreateDeviceId(paths.deviceId);
    } catch (err) {
      throw new UsageError(
        `cannot keep the device id in ${paths.state}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    const route = {
      ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
      ...(values.pac !== undefined ? { pac: values.pac } : {}),
    };
    let collectorProxy: URL | undefined;
    try {
      collectorProxy = await probe.collectorProxy(values.collector, route);
      if (collectorProxy) collectorProxy = withCredentials(collectorProxy, proxyCredentials);
    } catch (err) {
      throw new UsageError(`cannot choose the route to the collector: ${(err as Error).message}`);
    }

    const controller = new AbortController();
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`agent: ${signal} received, stopping\n`);
      controller.abort();
      // Sockets of an upload abandoned mid-way must not keep a stopping agent alive.
      setTimeout(() => process.exit(EXIT.OK), 5_000).unref();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let last: AgentRunRecord | undefined;
    try {
      token ??= await enrolledToken({
        collector: { url: values.collector, caPems, ...(collectorProxy ? { proxy: collectorProxy } : {}) },
        secret: enrollSecret as string,
        deviceId,
        tokenFile: paths.token,
        once: values.once === true,
        signal: controller.signal,
      });
    } catch (err) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      throw err;
    }
    if (token === undefined) return EXIT.OK; // stopped while waiting to enroll
    process.stderr.write(
      `agent: collector ${new URL(values.collector).origin}, device ${deviceId}, spool ${spoolDir}\n`,
    );
    try {
      const summary = await probe.runAgent({
        collector: {
          url: values.collector,
          token,
          caPems,
          ...(collectorProxy ? { proxy: collectorProxy } : {}),
        },
        spoolDir,
        configCacheFile: paths.configCache,
        budgetFile: paths.trafficBudget,
        ...(maxDailyMb !== undefined ? { maxDailyMegabytes: maxDailyMb } : {}),
        deviceId,
        ...(values.office !== undefined ? { officeId: values.office } : {}),
        ...(interval !== undefined ? { intervalSeconds: interval } : {}),
        ...(values.once ? { maxRuns: 1 } : {}),
        probeOptions: (s) => ({
          profile: s.profile,
          wsHoldSeconds: s.wsHoldSeconds,
          ...route,
          ...(proxyCredentials ? { proxyCredentials } : {}),
          ...(dnsServers.length ? { dnsServers } : {}),
          ...(resolverZone !== undefined ? { resolverZone, resolverKey: resolverKeyOfToken(token) } : {}),
          ...(extraTrustedCas.length ? { extraTrustedCas } : {}),
        }),
        log: async (record) => {
          last = record;
          const line = probe.formatRunRecord(record, format as AgentLogFormat);
          process.stdout.write(`${line}\n`);
          await keepRun(paths.lastRun, values['log-file'], record, line);
        },
        runProbe: values['inline-probe'] ? probe.inlineProbeRunner : probe.childProbeRunner(),
        signal: controller.signal,
      });
      process.stderr.write(`agent: stopped after ${summary.runs} run${summary.runs === 1 ? '' : 's'}\n`);
      if (summary.aborted || !values.once) return EXIT.OK;
      return last?.outcome === 'done' && last.report?.healthy ? EXIT.OK : EXIT.PROBLEMS;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
