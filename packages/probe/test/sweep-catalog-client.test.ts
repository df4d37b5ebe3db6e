/**
 * The catalog an agent's sweep tests comes from its collector
 * (`GET /api/v1/agent/catalog`, agent/catalog-client.ts): a real
 * `netinsights serve` in-process, then a sweep of that catalog through the
 * lab, whose report names the collector's catalog version; and
 * `netinsights probe --sweep --collector … --proxy …` fetching the catalog
 * through the same proxy as its upload.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRootCa, type Lab, startLab } from '@netinsights/lab';
import type { ProbeReport } from '@netinsights/protocol';
import { fetchAgentCatalog, runProbe } from '../src/index.ts';
import { startTestCollector, type TestCollector } from './agent-fixture.ts';
import { startConnectProxy } from './helpers/connect-proxy.ts';

const CLI = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));

let collector: TestCollector;
let lab: Lab;
before(async () => {
  [collector, lab] = await Promise.all([startTestCollector(), startLab()]);
});
after(async () => {
  await collector?.close();
  await lab?.close();
});

test('the collector gives the tenant’s catalog in force, and the sweep reports its version', async () => {
  const fetched = await fetchAgentCatalog({ url: collector.url, token: collector.token });
  assert.ok(fetched.ok, fetched.ok ? '' : fetched.message);
  assert.equal(fetched.catalog.source, 'collector');
  assert.match(fetched.catalog.version ?? '', /^c[0-9a-f]{12}$/);
  assert.ok(Array.isArray(fetched.catalog.document) && fetched.catalog.document.length > 50);
  const report = await runProbe(
    lab.probeOptionsFor('healthy-direct', { sweep: { catalog: fetched.catalog } }),
  );
  assert.deepEqual(report.sweep?.catalog, { source: 'collector', version: fetched.catalog.version });
  assert.equal(report.sweep?.hosts.length, 45);
  assert.ok(report.sweep?.hosts.every((h) => h.code === 'ok'));
});

test('a refused token is a failure in words, never an exception', async () => {
  const fetched = await fetchAgentCatalog({ url: collector.url, token: 'nia_not-a-token' });
  assert.equal(fetched.ok, false);
  assert.match(fetched.ok ? '' : fetched.message, /HTTP 401/);
});

test('the CLI fetches the catalog along the upload route: through --proxy, the collector verified', async () => {
  // A collector by a name only the proxy reaches (it tunnels every CONNECT to 127.0.0.1).
  const ca = await createRootCa({ commonName: 'Sweep Catalog Route CA' });
  const name = 'collector.netinsights.test';
  const tlsCollector = await startTestCollector(await ca.issueServer([name]));
  const proxy = await startConnectProxy();
  // A DNS server that never answers keeps every lookup on loopback and the run short.
  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  const dir = await mkdtemp(join(tmpdir(), 'ni-sweep-route-'));
  try {
    const caFile = join(dir, 'collector-ca.pem');
    await writeFile(caFile, ca.certPem);
    const port = new URL(tlsCollector.serverUrl).port;
    const args = [
      CLI,
      'probe',
      '--sweep',
      '--json',
      '--no-progress',
      '--deadline',
      '4',
      '--check-timeout',
      '1',
      '--dns-server',
      `127.0.0.1:${silent.address().port}`,
      '--proxy',
      proxy.url,
      '--collector',
      `https://${name}:${port}`,
      '--token',
      tlsCollector.token,
      '--collector-ca',
      caFile,
      '--spool',
      join(dir, 'spool'),
    ];
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, args, {
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
    assert.doesNotMatch(run.stderr, /sweeping the shipped catalog snapshot instead/);
    const report = JSON.parse(run.stdout) as ProbeReport;
    assert.equal(report.sweep?.catalog.source, 'collector', run.stderr);
    assert.match(report.sweep?.catalog.version ?? '', /^c[0-9a-f]{12}$/);
    // Two tunnels to the collector: the catalog, then the upload.
    assert.equal(proxy.seen.filter((t) => t === `${name}:${port}`).length, 2, proxy.seen.join(' '));
    assert.deepEqual(await tlsCollector.storedIds(), [report.reportId]);
  } finally {
    silent.close();
    await proxy.close();
    await tlsCollector.close();
    await rm(dir, { recursive: true, force: true });
  }
});
