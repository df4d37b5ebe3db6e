/**
 * @module test/helpers/external-proxy
 * Starts a real third-party proxy binary (squid, mitmdump) on a free
 * loopback port with a throw-away directory, waits for it to accept
 * connections (bounded), and stops it again. Returns undefined when the
 * binary is not installed so the test can skip with a clear message.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export function which(binary: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface ExternalProcess {
  port: number;
  dir: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Spawns `binary args` and waits until it listens on `port` and `ready()`
 * holds, polling every 100 ms for at most `timeoutMs`.
 */
export async function startExternal(opts: {
  binary: string;
  args: (dir: string, port: number) => string[];
  prepare?: (dir: string, port: number) => Promise<void>;
  ready?: (dir: string) => boolean;
  timeoutMs?: number;
}): Promise<ExternalProcess> {
  const dir = await mkdtemp(join(tmpdir(), `ni-${basename(opts.binary)}-`));
  // squid drops root privileges to its own user, which must still write here.
  await chmod(dir, 0o777);
  const port = await freePort();
  await opts.prepare?.(dir, port);
  let output = '';
  const child: ChildProcess = spawn(opts.binary, opts.args(dir, port), {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await accepts(port)) && (opts.ready?.(dir) ?? true))
      return { port, dir, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${opts.binary} did not become ready on port ${port}:\n${output.slice(-2000)}`);
}

export const fileExists = existsSync;

/**
 * The lines every throw-away squid.conf starts with: listen on loopback,
 * keep every file in `dir`, resolve names from `dir/hosts`, cache nothing,
 * stop at once.
 */
export function squidBaseConfig(dir: string, port: number): string[] {
  return [
    `http_port 127.0.0.1:${port}`,
    `pid_filename ${dir}/squid.pid`,
    `cache_log ${dir}/cache.log`,
    `access_log stdio:${dir}/access.log`,
    `coredump_dir ${dir}`,
    `hosts_file ${dir}/hosts`,
    'cache deny all',
    'pinger_enable off',
    'shutdown_lifetime 0 seconds',
  ];
}
