/**
 * @module test/helpers/recursive-resolver
 * A real recursive resolver from Debian — unbound or dnsmasq — on a loopback
 * address of its own, forwarding one zone to the collector's DNS listener
 * (unbound: `stub-zone`; dnsmasq: `--server=/zone/addr#port`) and sending
 * those questions from another loopback address, as an office resolver
 * would from its public one. Waits (bounded) until it answers for the zone.
 * Undefined binary path: not installed, and the test skips saying so.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RECURSIVE_RESOLVERS = ['unbound', 'dnsmasq'] as const;
export type ResolverKind = (typeof RECURSIVE_RESOLVERS)[number];

export const RESOLVER_BINARY: Record<ResolverKind, string | undefined> = {
  unbound: installed('/usr/sbin/unbound'),
  dnsmasq: installed('/usr/sbin/dnsmasq'),
};

function installed(path: string): string | undefined {
  return spawnSync(path, ['--help'], { stdio: 'ignore' }).error ? undefined : path;
}

export interface RecursiveResolver {
  /** `address:port` to give the probe as `--dns-server`. */
  address: string;
  output(): string;
  stop(): Promise<void>;
}

async function freeTcpPort(host: string): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startRecursiveResolver(opts: {
  kind: ResolverKind;
  /** Where the resolver listens, e.g. 127.0.0.2. */
  listen: string;
  /** The address its questions to the zone come from, e.g. 127.0.0.3. */
  outgoing: string;
  zone: string;
  /** The collector's DNS listener. */
  upstream: { host: string; port: number };
  /** Where it listens (default: a free port); 53 for clients that cannot be told another (resolv.conf). */
  port?: number;
}): Promise<RecursiveResolver> {
  const binary = RESOLVER_BINARY[opts.kind];
  if (!binary) throw new Error(`${opts.kind} is not installed`);
  const dir = await mkdtemp(join(tmpdir(), `ni-${opts.kind}-`));
  const port = opts.port ?? (await freeTcpPort(opts.listen));
  let args: string[];
  if (opts.kind === 'unbound') {
    const conf = join(dir, 'unbound.conf');
    await writeFile(
      conf,
      [
        'server:',
        `  interface: ${opts.listen}`,
        `  port: ${port}`,
        `  outgoing-interface: ${opts.outgoing}`,
        '  do-daemonize: no',
        '  username: ""',
        '  chroot: ""',
        `  directory: "${dir}"`,
        `  pidfile: "${join(dir, 'unbound.pid')}"`,
        '  use-syslog: no',
        '  logfile: ""',
        '  verbosity: 1',
        '  num-threads: 1',
        '  so-reuseport: no',
        '  access-control: 127.0.0.0/8 allow',
        // The stub is on loopback, which unbound refuses to query unless told.
        '  do-not-query-localhost: no',
        // Iterator only: no DNSSEC validation (the lab zone is unsigned), no root priming needed.
        '  module-config: "iterator"',
        '  qname-minimisation: no',
        '  cache-max-ttl: 0',
        'stub-zone:',
        `  name: "${opts.zone}"`,
        `  stub-addr: ${opts.upstream.host}@${opts.upstream.port}`,
        '',
      ].join('\n'),
    );
    args = ['-d', '-c', conf];
  } else {
    args = [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--pid-file=',
      '--user=root',
      '--bind-interfaces',
      `--listen-address=${opts.listen}`,
      `--port=${port}`,
      '--cache-size=0',
      // dnsmasq's own syntax: /domain/server#port@source-address.
      `--server=/${opts.zone}/${opts.upstream.host}#${opts.upstream.port}@${opts.outgoing}`,
      '--log-facility=-',
    ];
  }
  let output = '';
  const child: ChildProcess = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 3000))]);
    if (!exited) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  // Ready when it answers a question in the zone through the listener: 50 tries, 200 ms apart.
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`${opts.listen}:${port}`]);
  for (let i = 0; i < 50 && !exited; i++) {
    try {
      await resolver.resolve4(`ready.${opts.zone}`);
      return { address: `${opts.listen}:${port}`, output: () => output, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stop();
  throw new Error(`${opts.kind} never answered for ${opts.zone}:\n${output.slice(-2000)}`);
}
