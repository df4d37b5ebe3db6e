/**
 * The one-file executables (`npm run build:agent`, built here when stale).
 * The Linux x64 file runs on this machine: `version`, a full probe against
 * the lab's healthy path uploaded to a real collector, a PAC run (the QuickJS
 * sandbox comes from the executable's own assets), and an `agent --once`
 * run — from an empty folder with a PATH that has no Node.js. The Windows,
 * macOS and Linux arm64 files cannot run here: their headers are checked
 * (PE / Mach-O / ELF, the right machine) and the injected blob is found
 * where Node looks for it, holding this build's program, with the SEA fuse
 * flipped.
 *
 * NETINSIGHTS_AGENT_TARGETS=linux-x64 (comma-separated) limits what is built
 * and checked; by default all four.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { compileValidator, ProbeReport } from '@netinsights/protocol';
import { type AgentTarget, agentBinary, buildAgents, TARGETS } from '../../../scripts/build-agent.ts';
import { labConfig, startTestCollector, type TestCollector } from './agent-fixture.ts';
import { inspectExecutable } from './helpers/executable-format.ts';
import { labFlags } from './helpers/lab-flags.ts';
import { type ProgramRun, runProgram } from './helpers/run-program.ts';

const chosen = (process.env.NETINSIGHTS_AGENT_TARGETS ?? Object.keys(TARGETS).join(','))
  .split(',')
  .map((t) => t.trim())
  .filter((t): t is AgentTarget => t in TARGETS);
const runsHere = process.platform === 'linux' && process.arch === 'x64';
if (runsHere && !chosen.includes('linux-x64')) chosen.push('linux-x64');

type Run = ProgramRun;

let dir: string;
let lab: Lab;
let collector: TestCollector;

function run(args: string[]): Promise<Run> {
  // No Node.js on the PATH and an empty working folder: the file must carry everything.
  return runProgram(agentBinary('linux-x64'), args, {
    cwd: dir,
    env: { PATH: '/usr/sbin:/sbin', NO_COLOR: '1', HOME: dir },
  });
}

const validator = compileValidator<ProbeReport>(ProbeReport, 'report');

before(async () => {
  await buildAgents(chosen);
  dir = await mkdtemp(join(tmpdir(), 'ni-agent-binary-'));
  if (runsHere) {
    lab = await startLab();
    collector = await startTestCollector();
  }
});
after(async () => {
  await collector?.close();
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the Linux x64 executable', { skip: runsHere ? false : 'runs only on Linux x64' }, () => {
  test('version names the build and the Node.js 24 inside it', async () => {
    const r = await run(['version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^netinsights-agent \\d+\\.\\d+\\.\\d+ \\(node ${TARGETS['linux-x64'].version.replaceAll('.', '\\.')}\\)\n$`,
      ),
    );
    assert.equal(r.stderr, '', 'no experimental-feature warning');
  });

  test('a full probe of the lab’s healthy path: all ok, exit 0, uploaded to the collector', async () => {
    const r = await run([
      'probe',
      ...(await labFlags(lab, dir, 'healthy-direct')),
      '--collector',
      collector.url,
      '--token',
      collector.token,
      '--spool',
      join(dir, 'probe-spool'),
    ]);
    assert.equal(r.status, 0, r.stderr);
    const report = validator.parse(JSON.parse(r.stdout));
    assert.deepEqual(
      report.results.filter((x) => x.outcome.status !== 'ok').map((x) => x.id),
      [],
    );
    for (const kind of ['dns', 'tcp', 'tls', 'https', 'websocket', 'http2', 'quic', 'throughput'])
      assert.ok(
        report.results.some((x) => x.kind === kind),
        `a ${kind} check ran`,
      );
    assert.ok((await collector.storedIds()).includes(report.reportId), 'the collector stored the report');
  });

  test('a PAC file is evaluated in the QuickJS sandbox carried inside the file', async () => {
    const { writeFile } = await import('node:fs/promises');
    const proxy = lab.parts.proxy;
    const pac = join(dir, 'proxy.pac');
    await writeFile(pac, `function FindProxyForURL(u, h) { return "PROXY ${proxy.host}:${proxy.port}"; }\n`);
    const tunnels = proxy.stats.tunnels;
    const r = await run(['probe', ...(await labFlags(lab, dir, 'healthy-proxy')), '--pac', pac]);
    assert.equal(r.status, 0, r.stderr);
    const report = validator.parse(JSON.parse(r.stdout));
    assert.ok(report.results.filter((x) => x.kind === 'https').every((x) => x.path.type === 'proxy'));
    assert.ok(proxy.stats.tunnels > tunnels, 'the lab proxy opened tunnels');
  });

  test('agent --once takes the collector’s settings, probes and uploads; exit 0', async () => {
    collector.configMode = { kind: 'answer', body: labConfig(lab) };
    const before = (await collector.storedIds()).length;
    const flags = await labFlags(lab, dir, 'healthy-direct');
    const ca = flags[flags.indexOf('--ca') + 1] as string;
    const dns = flags.flatMap((f, i) =>
      f === '--dns-server' ? ['--dns-server', flags[i + 1] as string] : [],
    );
    const r = await run([
      'agent',
      '--once',
      '--collector',
      collector.url,
      '--token',
      collector.token,
      '--state',
      join(dir, 'agent-state'),
      '--ca',
      ca,
      ...dns,
      '--log-format',
      'json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const record = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(record.outcome, 'done');
    assert.equal(record.settings.source, 'collector');
    assert.equal((await collector.storedIds()).length, before + 1);
  });
  test('agent install copies the executable itself to /usr/local/bin and the unit runs it', async () => {
    const root = join(dir, 'install-root');
    const r = await run([
      'agent',
      'install',
      '--root',
      root,
      '--os',
      'linux',
      '--collector',
      collector.url,
      '--token',
      collector.token,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const installed = join(root, 'usr/local/bin/netinsights-agent');
    const { statSync } = await import('node:fs');
    assert.equal(statSync(installed).size, statSync(agentBinary('linux-x64')).size);
    assert.equal(statSync(installed).mode & 0o755, 0o755);
    const unit = await readFile(join(root, 'etc/systemd/system/netinsights-agent.service'), 'utf8');
    assert.match(
      unit,
      /^ExecStart=\/usr\/local\/bin\/netinsights-agent agent --config %d\/agent\.json --state \/var\/lib\/netinsights$/m,
    );
    const { execFileSync } = await import('node:child_process');
    assert.match(execFileSync(installed, ['version'], { encoding: 'utf8' }), /^netinsights-agent /);
  });
});

describe('every platform’s executable, by its headers', () => {
  const expected: Record<AgentTarget, { format: string; arch: string }> = {
    'linux-x64': { format: 'elf', arch: 'x64' },
    'linux-arm64': { format: 'elf', arch: 'arm64' },
    'win-x64': { format: 'pe', arch: 'x64' },
    'darwin-x64': { format: 'macho', arch: 'x64' },
  };
  for (const target of chosen)
    test(`${target}: ${expected[target].format} for ${expected[target].arch}, with this build’s blob injected`, async () => {
      const buf = await readFile(agentBinary(target));
      const info = inspectExecutable(buf);
      assert.equal(info.format, expected[target].format);
      assert.equal(info.arch, expected[target].arch);
      assert.ok(info.blob, `the NODE_SEA_BLOB is where ${info.format} keeps it`);
      // Node's SEA blob starts with its magic number; the program is in it as source (no code cache).
      assert.equal(buf.readUInt32LE(info.blob.offset), 0x143da20, 'the blob starts with the SEA magic');
      const blob = buf.subarray(info.blob.offset, info.blob.offset + info.blob.size);
      assert.ok(
        blob.includes('the netinsights probe and agent for endpoints'),
        'the blob holds this program',
      );
      assert.ok(blob.includes('quickjs.wasm'), 'the QuickJS sandbox is an asset');
      assert.ok(buf.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), 'the SEA fuse is flipped');
    });
});
