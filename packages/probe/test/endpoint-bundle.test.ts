/**
 * The endpoint build of the probe (packages/probe/dist/: netinsights-probe.mjs
 * and the chunks it loads, built here when stale) runs on its own: --help and --version answer, a bad
 * flag is a usage error, a run against the lab's healthy path gives a
 * schema-valid, all-ok ProbeReport with exit 0, and a PAC file still works
 * (the lazily loaded QuickJS sandbox finds its WebAssembly beside the bundle).
 * The bundle is run from a copy of dist/ in an empty folder, so it cannot
 * lean on the repository's node_modules or sources. It also answers
 * `agent --help` and `version`, and on a Node.js older than 24 it says what
 * it needs instead of failing in its own code.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { compileValidator, ProbeReport } from '@netinsights/protocol';
import { buildProbeIfStale, PROBE_BUNDLE } from '../../../scripts/build-probe-if-stale.ts';
import { labFlags as labFlagsFor } from './helpers/lab-flags.ts';
import { type ProgramRun, runProgram } from './helpers/run-program.ts';

type Run = ProgramRun;

let dir: string;
let bundle: string;
let lab: Lab;

function run(args: string[], node = process.execPath): Promise<Run> {
  return runProgram(node, [bundle, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
}

function labFlags(scenario: string): Promise<string[]> {
  return labFlagsFor(lab, dir, scenario);
}

function parseReport(r: Run): ProbeReport {
  return compileValidator<ProbeReport>(ProbeReport, 'report').parse(JSON.parse(r.stdout));
}

function failing(report: ProbeReport): string[] {
  // QUIC behind a proxy does not apply (issue 16): not a failure.
  return report.results
    .filter(
      (r) =>
        r.outcome.status !== 'ok' && !(r.outcome.layer === 'probe' && r.outcome.class === 'not-applicable'),
    )
    .map((r) => `${r.id} ${JSON.stringify(r.outcome)}`);
}

before(async () => {
  await buildProbeIfStale();
  dir = await mkdtemp(join(tmpdir(), 'ni-probe-bundle-'));
  await cp(dirname(PROBE_BUNDLE), join(dir, 'probe'), { recursive: true });
  bundle = join(dir, 'probe', basename(PROBE_BUNDLE));
  lab = await startLab();
});
after(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the endpoint probe bundle', () => {
  test('--help prints the probe usage with every flag; exit 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: netinsights-probe \[flags\]/);
    for (const flag of ['--profile', '--proxy', '--pac', '--resolve', '--json', '--collector'])
      assert.ok(r.stdout.includes(flag), flag);
  });

  test('--version names the probe and the Node.js it runs on', async () => {
    const r = await run(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^netinsights-probe \\d+\\.\\d+\\.\\d+ \\(node ${process.versions.node}\\)`),
    );
  });

  test('a bad flag is a usage error with exit 2 and no stack trace', async () => {
    const r = await run(['--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /netinsights-probe: unknown flag --bogus/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('the lab’s healthy direct path: a schema-valid report, every check ok, exit 0', async () => {
    const r = await run(await labFlags('healthy-direct'));
    const report = parseReport(r);
    assert.deepEqual(failing(report), [], r.stderr);
    assert.equal(r.status, 0);
    for (const kind of ['dns', 'tcp', 'tls', 'https', 'websocket', 'http2', 'quic', 'latency', 'throughput'])
      assert.ok(
        report.results.some((x) => x.kind === kind),
        `a ${kind} check ran`,
      );
    assert.ok(report.results.every((x) => x.path.type === 'direct'));
  });

  test('a PAC file sends the probe through the lab’s proxy (QuickJS loads from the bundle)', async () => {
    const proxy = lab.parts.proxy;
    const pac = join(dir, 'proxy.pac');
    await writeFile(
      pac,
      `function FindProxyForURL(url, host) { return "PROXY ${proxy.host}:${proxy.port}; DIRECT"; }\n`,
    );
    const tunnelsBefore = proxy.stats.tunnels;
    const r = await run([...(await labFlags('healthy-proxy')), '--pac', pac]);
    const report = parseReport(r);
    assert.deepEqual(failing(report), [], r.stderr);
    assert.equal(r.status, 0);
    const https = report.results.filter((x) => x.kind === 'https');
    assert.ok(https.length > 0);
    for (const x of https) assert.equal(x.path.type, 'proxy', `${x.id} went through the proxy`);
    assert.ok(proxy.stats.tunnels > tunnelsBefore, 'the lab proxy opened tunnels');
  });
  test('agent --help prints the agent’s usage, not the probe’s; exit 0', async () => {
    const r = await run(['agent', '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: netinsights-probe agent --collector URL/);
    assert.ok(r.stdout.includes('--interval'));
  });

  test('version names the build and the Node.js it runs on', async () => {
    const r = await run(['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^netinsights-probe \d+\.\d+\.\d+ \(node /);
  });

  test('agent without --collector is a usage error naming the flag, exit 2', async () => {
    const r = await run(['agent']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /netinsights-probe agent: agent needs --collector URL/);
  });

  // The machine's Debian node (20) is the old Node an endpoint may have; skipped where there is none.
  const oldNode = ['/usr/bin/node', '/bin/node'].find((n) => {
    if (!existsSync(n)) return false;
    const v = execFileSync(n, ['--version'], { encoding: 'utf8' }).trim();
    return Number(v.slice(1).split('.')[0]) < 24;
  });
  test('on Node.js older than 24 it says what it needs, exit 2, no code dumped', {
    skip: oldNode ? false : 'no Node.js older than 24 on this machine',
  }, async () => {
    const r = await run(['--help'], oldNode);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^netinsights-probe: needs Node\.js 24 or later \(found 2[0-3]\.\d+\.\d+\)/);
    assert.doesNotMatch(r.stderr, /SyntaxError|\n\s+at /);
    assert.equal(r.stdout, '');
  });
});
