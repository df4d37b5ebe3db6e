/**
 * @module test/store/pgbouncer
 * A real PgBouncer (Debian's `pgbouncer` package) in transaction mode in
 * front of the test cluster, on a free loopback port, for one test file:
 * every client transaction may run on a different server connection, which
 * is what breaks session state (session advisory locks, `SET`, named
 * prepared statements before PgBouncer 1.21). Trust authentication, as the
 * cluster itself (scripts/pg-cluster.sh). As root it runs as the `postgres`
 * user, because PgBouncer refuses to run as root.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const havePgBouncer = () => existsSync(PGBOUNCER);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

export interface Bouncer {
  /** `pgUrl` with host and port replaced by PgBouncer's. */
  via(pgUrl: string): string;
  /**
   * Keeps PgBouncer's log past `stop()` (a copy outside its directory) and
   * returns where it is and its last `lines` lines, for the message of a
   * test that failed.
   */
  keepLog(lines?: number): string;
  stop(): Promise<void>;
}

/** Starts PgBouncer in transaction mode in front of the server of `pgUrl`. */
export async function startPgBouncer(pgUrl: string): Promise<Bouncer> {
  const target = new URL(pgUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ni-pgbouncer-'));
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chown', ['postgres:', dir]);
  const port = await freePort();
  const user = decodeURIComponent(target.username || 'postgres');
  writeFileSync(join(dir, 'users.txt'), `"${user}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
* = host=${target.hostname} port=${target.port || 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
pool_mode = transaction
max_client_conn = 400
default_pool_size = 3
logfile = ${join(dir, 'pgbouncer.log')}
`,
  );
  const cmd = root ? ['runuser', '-u', 'postgres', '--', PGBOUNCER] : [PGBOUNCER];
  const child: ChildProcess = spawn(cmd[0]!, [...cmd.slice(1), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  for (let i = 0; i < 100 && !(await accepting(port)); i++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}): ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await accepting(port))) throw new Error(`pgbouncer is not listening on ${port}: ${stderr}`);
  return {
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      u.searchParams.set('pooler', 'transaction');
      return u.href;
    },
    keepLog(lines = 40) {
      const log = join(dir, 'pgbouncer.log');
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      const kept = join(tmpdir(), `ni-pgbouncer-${Date.now()}.log`);
      writeFileSync(kept, `${text}${stderr ? `\n--- stderr ---\n${stderr}` : ''}`);
      return `PgBouncer's log kept at ${kept}; its last lines:\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
