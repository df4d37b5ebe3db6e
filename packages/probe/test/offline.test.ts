/**
 * The default m365 profile on a machine where nothing answers (like a CI box
 * without internet): DNS is pointed at a loopback UDP socket that never
 * replies, so the run is bounded and never leaves the machine. It must end
 * within its deadline and say in one line that nothing is reachable, and at
 * which layer — not print a wall of identical errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProfile, workloadHosts } from '@netinsights/protocol';
import { diagnose, renderReport } from '../src/index.ts';
import { probe } from './helpers/fixture.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
const silent = createSocket('udp4');
let dnsAddress = '';
before(async () => {
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  silent.on('message', () => {}); // swallow queries, answer nothing
  dnsAddress = `127.0.0.1:${silent.address().port}`;
});
after(() => new Promise<void>((r) => silent.close(() => r())));

describe('offline run of the default profile', () => {
  test('finishes within its deadline and reports one finding: DNS fails for all 16 hosts', async () => {
    const deadlineMs = 6000;
    const started = Date.now();
    const report = await probe({
      profile: loadProfile('m365'),
      dnsServers: [dnsAddress],
      deadlineMs,
      checkTimeoutMs: 1500,
      env: {},
    });
    const took = Date.now() - started;
    assert.ok(took < deadlineMs * 1.1, `took ${took} ms`);
    const d = diagnose(report);
    assert.equal(d.healthy, false);
    assert.equal(d.passed, 0);
    const dnsFinding = d.findings.find((f) => f.layer === 'dns');
    assert.ok(dnsFinding);
    assert.equal(dnsFinding.hosts.length, 16);
    assert.equal(dnsFinding.title, 'DNS fails for all 16 hosts (Entra ID sign-in, Exchange Online, Teams)');
    assert.match(d.headline, /^Nothing is reachable: DNS fails for all 16 hosts/);
    const text = renderReport(report, { color: false });
    assert.match(
      text,
      /Nothing is reachable: DNS fails for all 16 hosts \(Entra ID sign-in, Exchange Online, Teams\) \(dns\/timeout/,
    );
    // One finding block, not one per host.
    assert.equal(text.match(/cause:/g)?.length, d.findings.length);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that no ANSI escapes are present
    assert.doesNotMatch(text, /\x1b\[/);
  });

  test('the CLI prints the same and exits 1 within its deadline', async () => {
    const started = Date.now();
    const { status, stdout } = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          CLI,
          'probe',
          '--dns-server',
          dnsAddress,
          '--deadline',
          '5',
          '--check-timeout',
          '1.5',
          '--no-progress',
        ],
        {
          env: { ...process.env, HTTPS_PROXY: '', https_proxy: '', NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.on('close', (code) => resolve({ status: code, stdout: out }));
    });
    assert.ok(Date.now() - started < 5000 * 1.1 + 3000, 'deadline plus process start-up');
    assert.equal(status, 1);
    assert.match(stdout, /Nothing is reachable: DNS fails for all 16 hosts/);
  });
});

describe('a path where names resolve but no connection gets through', () => {
  test('the headline says nothing is reachable and names the TCP layer', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const profile = loadProfile('m365');
    // Every name the profile uses resolves (pinned), and every port is closed.
    const names = new Set([
      ...profile.criticalDomains.flatMap((d) => d.hosts),
      // The workload hosts that need no tenant name (the SharePoint ones wait for one, not run).
      ...workloadHosts(profile).flatMap((w) => (w.host ? [w.host] : [])),
      'substrate.office.com',
      profile.quic.host,
      profile.latency.host,
    ]);
    const resolve = [...names].map((h) => `${h}:443:127.0.0.1`);
    // The Teams relay and the resolver check are UDP checks with findings of their own; left out so
    // nothing is looked up unpinned.
    const { teamsMedia: _udp, resolver: _whoami, ...tcpOnly } = profile;
    const closed = {
      ...tcpOnly,
      criticalDomains: profile.criticalDomains.map((d) => ({ ...d, port })),
      workloads: profile.workloads?.map((w) => ({ ...w, port })),
      latency: { ...profile.latency, port },
      quic: { ...profile.quic, port },
    };
    closed.websocket = {
      ...profile.websocket,
      url: `wss://substrate.office.com:${port}/hub`,
      holdSeconds: 0,
    };
    closed.throughput = { ...profile.throughput, url: `https://res.public.onecdn.static.microsoft:${port}/` };
    const report = await probe({
      profile: closed,
      resolve: [...resolve, ...[...names].map((h) => `${h}:${port}:127.0.0.1`)],
      env: {},
      deadlineMs: 6000,
      checkTimeoutMs: 1500,
    });
    const d = diagnose(report);
    assert.match(
      d.headline,
      /^Nothing is reachable: TCP connections fail for all 14 hosts \(Entra ID sign-in, Exchange Online, Teams\) \(tcp\/refused/,
    );
  });
});
