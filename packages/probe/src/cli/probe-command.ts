import { readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import {
  isTenantName,
  loadProfile,
  NetinsightsError,
  type ProbeReport,
  tenantNameProblem,
} from '@netinsights/protocol';
import { type Command, EXIT, UsageError } from '@netinsights/protocol/cli/command.ts';
import { parseFlags, requireNumber } from '@netinsights/protocol/cli/parse-flags.ts';
import { resolverKeyOfToken } from '@netinsights/protocol/resolver-label.ts';
import { statePaths } from '../agent/state-paths.ts';
// The probe is imported when the command runs, so other commands do not load it.
import type { Delivery, ProbeOptions, SweepCatalog } from '../index.ts';
import { readCaFile } from './read-ca-file.ts';

const HELP = `Usage: netinsights probe [flags]

Measures the network path from this machine to the service: DNS, TCP, the TLS
certificate chain (genuine / intercepted / untrusted), HTTPS, WebSocket,
HTTP/2, QUIC, latency and download speed — direct or through your proxy —
and prints what fails, where, the likely cause and what to do.

Flags:
  --profile m365|FILE     service profile (default m365)
  --proxy URL             send traffic through this HTTP proxy (CONNECT);
                          otherwise HTTPS_PROXY / NO_PROXY are honoured.
                          --proxy auto: the system's setting (WinINET/WinHTTP,
                          scutil, env/gsettings, then WPAD), named in the report
  --pac FILE|URL          proxy auto-config file, evaluated per host
  --resolve H:P:ADDR      connect to ADDR for host H port P, like curl (repeatable)
  --dns-server IP[:PORT]  ask this DNS server instead of the system's (repeatable)
  --resolver-zone ZONE    the zone delegated to the collector (its serve
                          --dns-zone): look up this report's own name there,
                          so the collector sees which DNS resolver asks; needs
                          --collector (without it: the profile's whoami name)
  --deadline S            whole-run deadline in seconds (default 20)
  --check-timeout S       deadline of each check phase in seconds (default 5)
  --ws-hold S             hold the WebSocket open this long (default: profile)
  --office ID             the office this machine is in (goes into the report)
  --tenant-name NAME      your SharePoint tenant name (NAME.sharepoint.com): the
                          SharePoint and OneDrive hosts are tested only with it
  --ca FILE               PEM CA certificates this machine trusts besides the
                          system store (e.g. your enterprise CA)
  --json                  print the ProbeReport JSON instead of the text report
  --out FILE              also write the ProbeReport JSON to FILE
  --no-progress           no live progress line on the terminal

Endpoint sweep (optional):
  --sweep                 also test every required Optimize and Allow endpoint
                          of the Microsoft 365 catalog (route, DNS, TCP, TLS
                          verdict, HTTPS, proxy refusals), wildcards through
                          the profile's representative hosts. The catalog is
                          the collector's (with --collector), else the
                          shipped snapshot
  --catalog FILE          sweep this endpoint catalog (the web service's JSON)

Upload (optional):
  --collector URL         send the report to this collector (https://; plain
                          http only to a loopback address); through the
                          proxy when --proxy, the PAC file or HTTPS_PROXY says so
  --token T               the agent token (or set NETINSIGHTS_TOKEN)
  --collector-ca FILE     PEM CA for the collector's certificate, besides the
                          system store
  --spool DIR             where reports that could not be uploaded wait for
                          the next run (default ~/.local/state/netinsights/spool)
  --device-id ID          id of this device in the report; with --collector a
                          random id is created once and kept in the state
                          folder (inside --spool DIR when that is given)

Exit status: 0 healthy, 1 problems found, 2 usage or internal error.
Colour only on a terminal; NO_COLOR turns it off.`;

/**
 * The catalog `--sweep` tests: `--catalog FILE`, else the collector's (the
 * tenant's version in force, fetched along the upload's route: `--proxy`,
 * the PAC file, HTTPS_PROXY), else the shipped snapshot (undefined). A
 * collector that cannot give it is said on stderr and the snapshot is swept.
 */
async function sweepCatalog(
  file: string | undefined,
  collector: { url: string; token: string; caPems: string[]; proxy?: URL } | undefined,
): Promise<{ catalog?: SweepCatalog }> {
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--catalog ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    try {
      return { catalog: { document: JSON.parse(text), source: 'file' } };
    } catch (err) {
      throw new UsageError(`--catalog ${file}: not JSON (${(err as Error).message})`);
    }
  }
  if (!collector) return {};
  const { fetchAgentCatalog } = await import('../agent/catalog-client.ts');
  const fetched = await fetchAgentCatalog(collector);
  if (fetched.ok) return { catalog: fetched.catalog };
  process.stderr.write(`sweep: ${fetched.message}; sweeping the shipped catalog snapshot instead\n`);
  return {};
}

function checkDnsServer(entry: string): string {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+)(?::(\d+))?$/.exec(entry);
  const ip = m?.[1] ?? entry;
  const port = m?.[2];
  const valid =
    (m ? isIP(ip) : isIP(entry)) !== 0 &&
    (port === undefined || (Number(port) >= 1 && Number(port) <= 65535));
  if (!valid)
    throw new UsageError(
      `--dns-server "${entry}" must be an IP address with an optional port, e.g. 10.0.0.53 or 10.0.0.53:5353 or [::1]:53`,
    );
  return entry;
}

/** One line per upload attempt, on stderr (stdout stays the report). */
function describeDelivery(d: Delivery, dir: string): string {
  const lines = d.lines.map((l) => {
    const which = l.spooled ? `spooled report ${l.reportId}` : `report ${l.reportId}`;
    if (l.result.ok)
      return `uploaded ${which}${l.result.duplicate ? ' (already stored)' : ''}${l.result.egressIp ? `; the collector sees this machine as ${l.result.egressIp}` : ''}`;
    return `upload of ${which} failed: ${l.result.message}${l.result.retryable ? '' : ' — the collector will not accept it, dropped'}`;
  });
  if (d.waiting > 0)
    lines.push(`${d.waiting} report${d.waiting === 1 ? '' : 's'} waiting in ${dir} for the next run`);
  if (d.broken.length > 0)
    lines.push(
      `${d.broken.length} unreadable file(s) in ${dir} were left alone: ${d.broken.slice(0, 3).join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  name: 'probe',
  summary: 'measure this machine’s path to Microsoft 365 and explain what breaks it',
  order: 10,
  help: HELP,
  async run(argv) {
    const {
      collectorEndpoint,
      collectorProxy,
      deliver,
      diagnose,
      PinError,
      parsePins,
      progressLine,
      renderReport,
      runProbe,
      Spool,
      sweepHealthy,
      wantsColor,
      isValidDeviceId,
      loadOrCreateDeviceId,
    } = await import('../index.ts');
    const { values } = parseFlags(argv, {
      profile: { type: 'string' },
      proxy: { type: 'string' },
      pac: { type: 'string' },
      resolve: { type: 'string', multiple: true },
      'dns-server': { type: 'string', multiple: true },
      'resolver-zone': { type: 'string' },
      deadline: { type: 'string' },
      'check-timeout': { type: 'string' },
      'ws-hold': { type: 'string' },
      office: { type: 'string' },
      'tenant-name': { type: 'string' },
      ca: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      out: { type: 'string' },
      'no-progress': { type: 'boolean' },
      sweep: { type: 'boolean' },
      catalog: { type: 'string' },
      collector: { type: 'string' },
      token: { type: 'string' },
      'collector-ca': { type: 'string' },
      spool: { type: 'string' },
      'device-id': { type: 'string' },
    });
    const deadline = requireNumber(values.deadline, '--deadline', 1, 3600);
    const checkTimeout = requireNumber(values['check-timeout'], '--check-timeout', 0.1, 600);
    const wsHold = requireNumber(values['ws-hold'], '--ws-hold', 0, 600);
    try {
      parsePins(values.resolve);
    } catch (err) {
      if (err instanceof PinError) throw new UsageError(err.message);
      throw err;
    }
    if (values.proxy !== undefined && values.pac !== undefined)
      throw new UsageError('--proxy and --pac cannot be used together: pick one way to choose the proxy');
    if (values.office !== undefined && !/^[\w.:-]{1,128}$/.test(values.office))
      throw new UsageError(`--office "${values.office}" must be 1–128 letters, digits, or . _ : -`);
    const tenantName = values['tenant-name'];
    if (tenantName !== undefined && !isTenantName(tenantName))
      throw new UsageError(tenantNameProblem('--tenant-name', tenantName));
    const dnsServers = (values['dns-server'] ?? []).map(checkDnsServer);
    if (values.catalog !== undefined && !values.sweep)
      throw new UsageError('--catalog FILE names the catalog of the endpoint sweep: add --sweep');
    const token = values.token ?? process.env.NETINSIGHTS_TOKEN;
    if (
      values.collector === undefined &&
      (values.token !== undefined || values['collector-ca'] !== undefined || values.spool !== undefined)
    )
      throw new UsageError('--token, --collector-ca and --spool need --collector URL');
    if (values.collector !== undefined) {
      try {
        collectorEndpoint(values.collector);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      if (!token) throw new UsageError('--collector needs an agent token: --token T or NETINSIGHTS_TOKEN');
    }
    const resolverZone = values['resolver-zone'];
    if (resolverZone !== undefined) {
      if (values.collector === undefined)
        throw new UsageError(
          '--resolver-zone needs --collector URL and its token: the collector records the resolver for the uploaded report',
        );
      if (
        !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+\.?$/i.test(
          resolverZone,
        )
      )
        throw new UsageError(`--resolver-zone "${resolverZone}" must be a DNS name like probe.example.com`);
    }
    const collectorCas =
      values['collector-ca'] === undefined ? [] : readCaFile(values['collector-ca'], '--collector-ca');
    const extraTrustedCas = (values.ca ?? []).flatMap((f) => readCaFile(f, '--ca'));
    const profile = loadProfile(values.profile ?? 'm365');
    const deviceIdFlag = values['device-id'];
    if (deviceIdFlag !== undefined && !isValidDeviceId(deviceIdFlag))
      throw new UsageError(`--device-id "${deviceIdFlag}" must be 1–64 letters, digits, or . _ : -`);
    const paths = statePaths({ spool: values.spool });
    const spoolDir = paths.spool;
    let deviceId = deviceIdFlag;
    if (deviceId === undefined && values.collector !== undefined) {
      try {
        deviceId = await loadOrCreateDeviceId(paths.deviceId);
      } catch (err) {
        throw new UsageError(
          `cannot keep the device id in ${paths.state}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    }

    // The collector is reached as the upload reaches it: the catalog fetch and the report take one route.
    const routeToCollector = () =>
      collectorProxy(values.collector ?? '', {
        ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
        ...(values.pac !== undefined ? { pac: values.pac } : {}),
      });
    let sweep: { catalog?: SweepCatalog } | undefined;
    if (values.sweep) {
      let catalogProxy: URL | undefined;
      let unroutable = false;
      if (values.catalog === undefined && values.collector !== undefined) {
        try {
          catalogProxy = await routeToCollector();
        } catch (err) {
          // Never direct instead: the route the admin set is the only one the collector may be asked on.
          unroutable = true;
          process.stderr.write(
            `sweep: cannot decide the route to the collector (${(err as Error).message}); sweeping the shipped catalog snapshot instead\n`,
          );
        }
      }
      sweep = await sweepCatalog(
        values.catalog,
        values.collector && token && !unroutable
          ? {
              url: values.collector,
              token,
              caPems: collectorCas,
              ...(catalogProxy ? { proxy: catalogProxy } : {}),
            }
          : undefined,
      );
    }
    const color = wantsColor(process.stderr);
    const progress =
      !values['no-progress'] && process.stderr.isTTY ? progressLine(process.stderr, color) : undefined;
    const options: ProbeOptions = {
      profile,
      ...(values.proxy !== undefined ? { proxy: values.proxy } : {}),
      ...(values.pac !== undefined ? { pac: values.pac } : {}),
      ...(values.resolve ? { resolve: values.resolve } : {}),
      ...(dnsServers.length ? { dnsServers } : {}),
      ...(resolverZone !== undefined && token
        ? { resolverZone, resolverKey: resolverKeyOfToken(token) }
        : {}),
      ...(deadline !== undefined ? { deadlineMs: deadline * 1000 } : {}),
      ...(checkTimeout !== undefined ? { checkTimeoutMs: checkTimeout * 1000 } : {}),
      ...(wsHold !== undefined ? { wsHoldSeconds: wsHold } : {}),
      ...(extraTrustedCas.length ? { extraTrustedCas } : {}),
      ...(values.office !== undefined ? { officeId: values.office } : {}),
      ...(tenantName !== undefined ? { tenantName } : {}),
      ...(deviceId !== undefined ? { deviceId } : {}),
      ...(progress ? { onProgress: progress.onProgress } : {}),
      ...(sweep
        ? {
            sweep: {
              ...(sweep.catalog ? { catalog: sweep.catalog } : {}),
              ...(progress ? { onProgress: progress.onSweep } : {}),
            },
          }
        : {}),
    };
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    let report: ProbeReport;
    try {
      report = await runProbe({ ...options, signal: controller.signal });
    } catch (err) {
      if (
        err instanceof NetinsightsError &&
        (err.code === 'NI_ERR_USAGE' || err.code === 'NI_ERR_PAC_INVALID')
      )
        throw new UsageError(err.message);
      throw err;
    } finally {
      progress?.end();
      process.off('SIGINT', stop);
    }
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (values.out !== undefined) {
      try {
        await writeFile(values.out, json);
      } catch (err) {
        throw new UsageError(
          `--out ${values.out}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
      }
    }
    if (values.json) process.stdout.write(json);
    else process.stdout.write(`${renderReport(report, { color: wantsColor(process.stdout) })}\n`);
    if (values.collector !== undefined && token) {
      const spool = new Spool(spoolDir);
      try {
        const proxy = await routeToCollector();
        const delivery = await deliver(
          report,
          { url: values.collector, token, caPems: collectorCas, ...(proxy ? { proxy } : {}) },
          spool,
        );
        process.stderr.write(describeDelivery(delivery, spool.dir));
      } catch (err) {
        // The run itself is done and printed; a read-only spool or a PAC error must not hide it.
        const e = err as NodeJS.ErrnoException;
        process.stderr.write(
          `upload failed: ${e.code && e.syscall ? `the spool ${spool.dir}: ${e.code}` : e.message}\n`,
        );
      }
    }
    return diagnose(report).healthy && sweepHealthy(report.sweep) ? EXIT.OK : EXIT.PROBLEMS;
  },
};
