/**
 * `netinsights probe` flag handling: every bad flag ends with exit 2 and a
 * message that says what is wrong (no stack trace); --help works; --json and
 * --out write a valid ProbeReport for a healthy local service (exit 0).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileValidator, ProbeReport } from '@netinsights/protocol';
import { loopbackPins, type Pki, testPki, testProfile } from './helpers/fixture.ts';
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';
import { startQuicResponder } from './helpers/quic-responder.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'probe', ...args], {
      env: { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', https_proxy: '', NETINSIGHTS_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ni-probe-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('netinsights probe flags', () => {
  const bad: [string[], RegExp][] = [
    [['--bogus'], /unknown flag --bogus/],
    [['--deadline', 'soon'], /--deadline must be a number from 1 to 3600, got "soon"/],
    [['--check-timeout', '0'], /--check-timeout must be a number/],
    [['--resolve', 'example.com:443'], /--resolve "example.com:443" must look like HOST:PORT:ADDRESS/],
    [['--resolve', 'example.com:99999:127.0.0.1'], /port "99999" is not a number from 1 to 65535/],
    [['--resolve', 'example.com:443:not-an-ip'], /"not-an-ip" is not an IPv4 or IPv6 address/],
    [['--dns-server', 'dns.example'], /--dns-server "dns.example" must be an IP address/],
    [['--proxy', 'socks5://127.0.0.1:1080'], /only http:\/\/ proxies are supported/],
    [['--proxy', 'http://127.0.0.1:3128', '--pac', 'x.pac'], /--proxy and --pac cannot be used together/],
    [['--profile', '/nonexistent/profile.json'], /\/nonexistent\/profile\.json: no such file/],
    [['--ca', '/nonexistent/ca.pem'], /--ca \/nonexistent\/ca\.pem: no such file/],
    [['--pac', '/nonexistent/proxy.pac', '--deadline', '2'], /PAC \/nonexistent\/proxy\.pac: no such file/],
    [['--office', 'has spaces'], /--office "has spaces" must be/],
    [['extra'], /unexpected argument "extra"/],
    [['--token', 'nia_x'], /--token, --collector-ca and --spool need --collector URL/],
    [
      ['--collector', 'http://collector.example.com', '--token', 'nia_x'],
      /refusing to send the agent token over plain http/,
    ],
    [['--collector', 'https://collector.example.com'], /--collector needs an agent token/],
    [
      [
        '--collector',
        'https://collector.example.com',
        '--token',
        'nia_x',
        '--collector-ca',
        '/nonexistent/c.pem',
      ],
      /--collector-ca \/nonexistent\/c\.pem: no such file/,
    ],
  ];
  for (const [args, message] of bad) {
    test(`${args.join(' ')} → exit 2 with a precise message`, async () => {
      const { status, stderr } = await cli(args);
      assert.equal(status, 2);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('a malformed profile names the file and the JSON path', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, JSON.stringify({ id: 'x', name: 'x', version: '1', criticalDomains: [] }));
    const { status, stderr } = await cli(['--profile', file]);
    assert.equal(status, 2);
    assert.ok(stderr.includes(file));
    assert.match(stderr, /\/criticalDomains|\/websocket/);
  });

  test('--help describes every flag', async () => {
    const child = spawn(process.execPath, [CLI, 'probe', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const status = await new Promise((r) => child.on('close', r));
    assert.equal(status, 0);
    for (const flag of [
      '--profile',
      '--proxy',
      '--pac',
      '--resolve',
      '--dns-server',
      '--deadline',
      '--check-timeout',
      '--ws-hold',
      '--office',
      '--ca',
      '--json',
      '--out',
      '--no-progress',
    ])
      assert.ok(out.includes(flag), flag);
  });
});

describe('netinsights probe against a healthy local service', () => {
  let pki: Pki;
  let origin: Origin;
  let udp: { port: number; close(): Promise<void> };
  before(async () => {
    pki = await testPki();
    origin = await startGenuineOrigin(pki, { h2: true });
    udp = await startQuicResponder('vn');
  });
  after(async () => {
    await udp.close();
    await origin.close();
  });

  test('--json and --out write a schema-valid report; exit 0 when healthy', async () => {
    const profileFile = join(dir, 'profile.json');
    await writeFile(
      profileFile,
      JSON.stringify(
        testProfile({
          port: origin.port,
          quicPort: udp.port,
          genuineRoot: pki.genuineRoot,
          slowBelowMbps: 0,
        }),
      ),
    );
    const caFile = join(dir, 'root.pem');
    await writeFile(caFile, pki.genuineRoot.certPem);
    const out = join(dir, 'report.json');
    const args = [
      '--profile',
      profileFile,
      '--ca',
      caFile,
      '--office',
      'hq-1',
      '--json',
      '--out',
      out,
      '--ws-hold',
      '0.2',
    ];
    for (const pin of loopbackPins(origin.port, udp.port)) args.push('--resolve', pin);
    const { status, stdout, stderr } = await cli(args);
    const report = compileValidator<ProbeReport>(ProbeReport, 'report').parse(JSON.parse(stdout));
    const failing = report.results
      .filter((r) => r.outcome.status === 'fail')
      .map((r) => `${r.id} ${JSON.stringify(r.outcome)}`);
    assert.deepEqual(failing, [], stderr);
    assert.equal(status, 0);
    assert.equal(report.environment.officeId, 'hq-1');
    assert.equal(report.results.find((r) => r.kind === 'websocket')?.websocket?.holdTargetMs, 200);
    assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), report);
  });
});
