/**
 * `netinsights serve`: the collector, store and admin API (and the dashboard
 * when it is built). Configuration by flags, NETINSIGHTS_* environment
 * variables and an optional JSON file, in that order.
 */

import { type Command, EXIT } from '@netinsights/protocol/cli/command.ts';
import { parseFlags } from '@netinsights/protocol/cli/parse-flags.ts';
import {
  CONFIG_KEYS,
  type ConfigKey,
  envName,
  firstRunHint,
  flagName,
  resolveConfig,
  startServer,
} from '@netinsights/server';
import { demoConfig, startDemo } from '../demo/run-demo.ts';

const keys = Object.keys(CONFIG_KEYS) as ConfigKey[];

function help(): string {
  const rows = keys.map((k) => {
    const spec = CONFIG_KEYS[k] as { kind: string; help: string; default?: unknown };
    const arg = spec.kind === 'bool' ? '' : ' <value>';
    const def =
      spec.default !== undefined && spec.kind !== 'bool' ? ` (default ${JSON.stringify(spec.default)})` : '';
    return `  --${flagName(k)}${arg}\n      ${spec.help}${def}; env ${envName(k)}`;
  });
  return [
    'Usage: netinsights serve [flags]',
    '',
    'Runs the collector (POST /api/v1/reports), the admin API and the dashboard,',
    'with an embedded SQLite store (or PostgreSQL with --db postgres://…).',
    'Prints the address it listens on.',
    '',
    'Flags (each also settable by environment variable or in the --config file as camelCase):',
    '  --config <file>\n      JSON file with any of the keys below; env NETINSIGHTS_CONFIG',
    ...rows,
    '',
    'Examples:',
    '  netinsights serve --db /var/lib/netinsights/ni.db --host 0.0.0.0 --port 8443 \\',
    '      --tls-cert cert.pem --tls-key key.pem',
    '  netinsights serve --port 0 --trusted-proxies 10.0.0.5   # behind a reverse proxy',
  ].join('\n');
}

export const command: Command = {
  name: 'serve',
  summary: 'run the collector, admin API and dashboard',
  order: 30,
  get help() {
    return help();
  },
  async run(argv) {
    const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' } };
    for (const k of keys)
      options[flagName(k)] = {
        type: (CONFIG_KEYS[k] as { kind: string }).kind === 'bool' ? 'boolean' : 'string',
      };
    const { values } = parseFlags(argv, options);
    const flags: Record<string, unknown> = {};
    for (const k of keys) {
      const v = (values as Record<string, unknown>)[flagName(k)];
      if (v !== undefined) flags[k] = v;
    }
    const resolved = resolveConfig({
      flags,
      env: process.env,
      ...(typeof values.config === 'string' ? { file: values.config } : {}),
    });
    const config = resolved.demo ? demoConfig(resolved) : resolved;
    const { app, url, dns } = await startServer(config);
    console.log(`netinsights listening on ${url}`);
    if (dns)
      console.log(
        `dns: answering for ${config.dnsZone} on ${dns.host}:${dns.port} (UDP and TCP); delegate the zone here (NS record) and give probes --resolver-zone ${config.dnsZone}`,
      );
    console.log(
      config.ingestWorkers > 0
        ? `ingest: uploads parsed on ${config.ingestWorkers} worker thread(s) (--ingest-workers)`
        : 'ingest: uploads parsed on the event loop (--ingest-workers 0; worker threads pay off with 4+ cores)',
    );
    const tenants = await app.netinsights.store.tenants.count();
    if (tenants === 0 && !config.demo) console.log(firstRunHint(config.db));
    const demo = config.demo
      ? await startDemo({ store: app.netinsights.store, url, log: (line) => console.log(line) })
      : undefined;
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        (demo?.close() ?? Promise.resolve()).finally(() => app.close().then(resolve, resolve));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT.OK;
  },
};
