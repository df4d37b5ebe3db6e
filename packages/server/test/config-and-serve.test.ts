/**
 * Configuration precedence and errors (each names its key and source), and
 * `netinsights serve` / `admin` as real processes: HTTPS with a certificate
 * chain generated here, the bound address printed for port 0, the first-run
 * hint on an empty database, and the admin commands creating what a probe
 * needs to upload.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRootCa } from '@netinsights/lab/pki.ts';
import { ConfigError, resolveConfig } from '../src/config/server-config.ts';
import { sampleReport } from './helpers/sample-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'ni-config-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const CLI = new URL('../../cli/bin/netinsights.ts', import.meta.url).pathname;

describe('configuration', () => {
  test('flags beat environment, environment beats the file, the file beats defaults', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 9001, retentionDays: 7, host: '0.0.0.0' }));
    const c = resolveConfig({
      file,
      env: { NETINSIGHTS_PORT: '9002', NETINSIGHTS_RETENTION_DAYS: '9' },
      flags: { port: '9003' },
    });
    assert.deepEqual([c.port, c.retentionDays, c.host, c.maxJsonDepth], [9003, 9, '0.0.0.0', 32]);
  });

  const bad: Array<[string, Parameters<typeof resolveConfig>[0], string, RegExp]> = [
    ['a non-numeric port flag', { flags: { port: 'eighty' } }, 'port', /--port: must be a number/],
    [
      'an out-of-range env value',
      { env: { NETINSIGHTS_RETENTION_DAYS: '0' } },
      'retentionDays',
      /NETINSIGHTS_RETENTION_DAYS: must be from 1/,
    ],
    [
      'a bad trusted proxy',
      { flags: { trustedProxies: '10.0.0.1,not-an-ip' } },
      'trustedProxies',
      /not-an-ip/,
    ],
    ['a cert without a key', { flags: { tlsCert: 'cert.pem' } }, 'tlsKey', /go together/],
    ['an unknown log level', { env: { NETINSIGHTS_LOG_LEVEL: 'loud' } }, 'logLevel', /must be one of/],
  ];
  for (const [what, sources, key, message] of bad) {
    test(`${what} → ConfigError naming ${key}`, () => {
      assert.throws(
        () => resolveConfig(sources),
        (err: unknown) => err instanceof ConfigError && err.key === key && message.test(err.message),
      );
    });
  }

  test('an unknown key or broken JSON in the config file is named', () => {
    const unknown = join(dir, 'u.json');
    writeFileSync(unknown, JSON.stringify({ prot: 80 }));
    assert.throws(
      () => resolveConfig({ file: unknown }),
      (e: unknown) => e instanceof ConfigError && e.key === 'prot',
    );
    const broken = join(dir, 'b.json');
    writeFileSync(broken, '{"port": ');
    assert.throws(() => resolveConfig({ file: broken }), /not valid JSON/);
  });
});

function cli(...args: string[]): Record<string, string> {
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, '--json'], { encoding: 'utf8' }));
}

function serve(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      // Wait a moment for the lines printed right after it.
      if (m)
        setTimeout(() => {
          clearTimeout(timer);
          resolve({ child, url: m[1]!, out: () => out });
        }, 200);
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d;
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('netinsights serve and admin', () => {
  test('an empty database prints how to create a tenant and a user', async () => {
    const s = await serve(['--db', join(dir, 'empty.db')]);
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(s.out(), /admin create-tenant/);
      assert.match(s.out(), /admin create-user/);
    } finally {
      await stop(s.child);
    }
  });

  test('a bad flag exits 2 with the key named', () => {
    let err: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [CLI, 'serve', '--db', join(dir, 'x.db'), '--max-json-depth', '1'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      err = e as typeof err;
    }
    assert.equal(err.status, 2);
    assert.match(err.stderr ?? '', /--max-json-depth: must be from 4 to 512/);
  });

  test('a port already taken exits 2 naming the port and how to pick another (it was a stack trace)', async () => {
    const taken = createServer();
    await new Promise<void>((res) => taken.listen(0, '127.0.0.1', res));
    const port = String((taken.address() as AddressInfo).port);
    try {
      const child = spawn(process.execPath, [CLI, 'serve', '--db', join(dir, 'taken.db'), '--port', port], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      assert.equal(code, 2, stderr);
      assert.match(stderr, new RegExp(`port ${port} is already in use \\(127\\.0\\.0\\.1:${port}\\)`));
      assert.match(stderr, /--port N/);
      assert.doesNotMatch(stderr, /internal error|\n\s+at /);
    } finally {
      taken.close();
    }
  });

  test('HTTPS with a generated chain: a probe trusting the CA uploads with a token made by `admin`', async () => {
    const db = join(dir, 'tls.db');
    const tenant = cli('admin', 'create-tenant', '--db', db, '--name', 'TLS Corp');
    const { token } = cli(
      'admin',
      'create-agent-token',
      '--db',
      db,
      '--tenant',
      tenant.id!,
      '--name',
      'probes',
    );
    const listed = execFileSync(process.execPath, [CLI, 'admin', 'list-tenants', '--db', db], {
      encoding: 'utf8',
    });
    assert.match(listed, /TLS Corp/);
    const ca = await createRootCa({ commonName: 'netinsights test root' });
    const leaf = await ca.issueServer(['localhost', '127.0.0.1']);
    writeFileSync(join(dir, 'cert.pem'), leaf.chainPem);
    writeFileSync(join(dir, 'key.pem'), leaf.keyPem);
    const s = await serve([
      '--db',
      db,
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
    ]);
    try {
      assert.match(s.url, /^https:\/\//);
      assert.doesNotMatch(s.out(), /no tenant yet/);
      const body = JSON.stringify(sampleReport());
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${s.url}/api/v1/reports`,
          {
            method: 'POST',
            ca: ca.certPem,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(answer.status, 202, answer.body);
      assert.equal(JSON.parse(answer.body).duplicate, false);
      // Without the CA the client refuses the server: the chain is really checked.
      await assert.rejects(
        new Promise((resolve, reject) => {
          const req = request(`${s.url}/api/v1/openapi.json`, { method: 'GET' }, resolve);
          req.on('error', reject);
          req.end();
        }),
        /self-signed|unable to verify|certificate/i,
      );
    } finally {
      await stop(s.child);
    }
  });
});
