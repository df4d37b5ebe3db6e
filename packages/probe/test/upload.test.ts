/**
 * Uploading reports to a collector over real HTTPS (a local collector stub
 * with a certificate from a test CA): gzip + Bearer token, certificate
 * verification with --collector-ca, no token over plain HTTP except to
 * loopback, and the spool — failed uploads kept and re-sent first on the next
 * round under their original id, permanent rejections dropped.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createRootCa } from '@netinsights/lab/pki.ts';
import type { ProbeReport } from '@netinsights/protocol';
import { collectorEndpoint, deliver, Spool, uploadReport } from '../src/index.ts';

function sampleReport(startedAt = new Date().toISOString()): ProbeReport {
  return {
    schema: 'netinsights.probe-report/v1',
    reportId: randomUUID(),
    probe: { version: '0.1.0', profile: 'test' },
    startedAt,
    finishedAt: startedAt,
    environment: {
      os: { platform: 'linux', release: '6', arch: 'x64' },
      proxy: { mode: 'direct', source: 'none' },
      dnsResolvers: [],
      localAddresses: [],
    },
    results: [],
  };
}

const TOKEN = 'nia_test_token';
let mode: 'accept' | 'unavailable' | 'reject' = 'accept';
const received: { id: string; encoding?: string; auth?: string; deviceId?: string }[] = [];
let server: Server;
let url = '';
let caPem = '';
let dir: string;

before(async () => {
  const ca = await createRootCa({ commonName: 'Collector Test CA' });
  caPem = ca.certPem;
  const leaf = await ca.issueServer(['localhost', '127.0.0.1']);
  const stored = new Set<string>();
  server = createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/v1/reports') {
        res.writeHead(404).end();
        return;
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'NI_ERR_UNAUTHENTICATED', message: 'bad token' } }));
        return;
      }
      const body =
        req.headers['content-encoding'] === 'gzip'
          ? gunzipSync(Buffer.concat(chunks))
          : Buffer.concat(chunks);
      const report = JSON.parse(body.toString('utf8')) as ProbeReport;
      received.push({
        id: report.reportId,
        ...(report.environment.deviceId ? { deviceId: report.environment.deviceId } : {}),
        ...(req.headers['content-encoding'] ? { encoding: req.headers['content-encoding'] } : {}),
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      });
      if (mode === 'unavailable') {
        res.writeHead(503).end();
        return;
      }
      if (mode === 'reject') {
        res
          .writeHead(422, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'NI_ERR_SCHEMA', message: '/results/0 is wrong' } }));
        return;
      }
      const duplicate = stored.has(report.reportId);
      stored.add(report.reportId);
      res.writeHead(202, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          reportId: report.reportId,
          duplicate,
          egressIp: req.socket.remoteAddress,
          officeId: null,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  mode = 'accept';
  received.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'ni-spool-'));
});

describe('collector endpoint', () => {
  test('plain http only to loopback; no credentials in the URL', () => {
    assert.throws(
      () => collectorEndpoint('http://collector.example.com'),
      /refusing to send the agent token over plain http/,
    );
    assert.equal(collectorEndpoint('http://127.0.0.1:8080').href, 'http://127.0.0.1:8080/api/v1/reports');
    assert.equal(collectorEndpoint('http://[::1]:8080').pathname, '/api/v1/reports');
    assert.equal(
      collectorEndpoint('https://collector.example.com/').href,
      'https://collector.example.com/api/v1/reports',
    );
    assert.throws(() => collectorEndpoint('https://user:secret@collector.example.com'), /not in the URL/);
    assert.throws(() => collectorEndpoint('ftp://x'), /must be an https:\/\/ URL/);
  });
});

describe('upload', () => {
  test('gzipped JSON with the Bearer token, verified against --collector-ca', async () => {
    const report = sampleReport();
    const result = await uploadReport(report, { url, token: TOKEN, caPems: [caPem] });
    assert.deepEqual(result, {
      ok: true,
      status: 202,
      duplicate: false,
      egressIp: '127.0.0.1',
      officeId: null,
    });
    assert.deepEqual(received, [{ id: report.reportId, encoding: 'gzip', auth: `Bearer ${TOKEN}` }]);
    const again = await uploadReport(report, { url, token: TOKEN, caPems: [caPem] });
    assert.equal(again.ok && again.duplicate, true);
  });

  test('a collector certificate this machine does not trust is refused before anything is sent', async () => {
    const result = await uploadReport(sampleReport(), { url, token: TOKEN });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /certificate is not trusted.*--collector-ca/);
    assert.equal(received.length, 0);
  });

  test('a failed upload is spooled and sent first next time, under its original id', async () => {
    const spool = new Spool(dir);
    const first = sampleReport('2026-01-01T00:00:00.000Z');
    const untrusted = await deliver(first, { url, token: TOKEN }, spool);
    assert.equal(untrusted.waiting, 1);
    mode = 'unavailable';
    const second = sampleReport('2026-01-01T00:15:00.000Z');
    const down = await deliver(second, { url, token: TOKEN, caPems: [caPem] }, spool);
    assert.equal(down.waiting, 2);
    // The spooled report was tried; after it failed the new one was not sent (it would fail the same way).
    assert.deepEqual(
      received.map((r) => r.id),
      [first.reportId],
    );
    mode = 'accept';
    received.length = 0;
    const third = sampleReport('2026-01-01T00:30:00.000Z');
    const up = await deliver(third, { url, token: TOKEN, caPems: [caPem] }, spool);
    assert.deepEqual(
      received.map((r) => r.id),
      [first.reportId, second.reportId, third.reportId],
    );
    assert.equal(up.waiting, 0);
    assert.ok(up.lines.every((l) => l.result.ok));
    await rm(dir, { recursive: true, force: true });
  });

  test('a report the collector rejects for good (422) is dropped, not spooled', async () => {
    mode = 'reject';
    const spool = new Spool(dir);
    const d = await deliver(sampleReport(), { url, token: TOKEN, caPems: [caPem] }, spool);
    const line = d.lines[0];
    assert.equal(line?.result.ok, false);
    assert.equal(!line?.result.ok && line?.result.retryable, false);
    assert.match(!line?.result.ok ? line?.result.message : '', /422: NI_ERR_SCHEMA \/results\/0 is wrong/);
    assert.equal(d.waiting, 0);
    await rm(dir, { recursive: true, force: true });
  });

  test('a wrong token is kept for later (it may be fixed), with the collector’s message', async () => {
    const d = await deliver(sampleReport(), { url, token: 'nia_wrong', caPems: [caPem] }, new Spool(dir));
    const result = d.lines[0]?.result;
    assert.match(result && !result.ok ? result.message : '', /401: NI_ERR_UNAUTHENTICATED bad token/);
    assert.equal(d.waiting, 1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('upload through a proxy', () => {
  test('tunnels with CONNECT and still verifies the collector certificate', async () => {
    const { startConnectProxy } = await import('./helpers/connect-proxy.ts');
    const proxy = await startConnectProxy();
    // The collector's name, as seen through the proxy (which connects to 127.0.0.1 on the port).
    const port = new URL(url).port;
    try {
      const report = sampleReport();
      const through = await uploadReport(report, {
        url: `https://localhost:${port}`,
        token: TOKEN,
        caPems: [caPem],
        proxy: new URL(proxy.url),
      });
      assert.equal(through.ok, true);
      assert.deepEqual(proxy.seen, [`localhost:${port}`]);
      assert.deepEqual(
        received.map((r) => r.id),
        [report.reportId],
      );
      const untrusted = await uploadReport(sampleReport(), {
        url: `https://localhost:${port}`,
        token: TOKEN,
        proxy: new URL(proxy.url),
      });
      assert.match(!untrusted.ok ? untrusted.message : '', /certificate is not trusted/);
      assert.equal(received.length, 1);
    } finally {
      await proxy.close();
    }
  });

  test('an unreachable proxy is a retryable failure that names the proxy', async () => {
    const result = await uploadReport(sampleReport(), {
      url,
      token: TOKEN,
      caPems: [caPem],
      proxy: new URL('http://127.0.0.1:9'),
    });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /proxy http:\/\/127\.0\.0\.1:9 cannot be reached/);
    assert.equal(!result.ok && result.retryable, true);
  });

  test('the route to the collector follows --proxy and NO_PROXY; loopback is always direct', async () => {
    const { collectorProxy } = await import('../src/index.ts');
    assert.equal(
      (await collectorProxy('https://ni.example.com', { proxy: 'http://proxy.corp:3128' }))?.host,
      'proxy.corp:3128',
    );
    assert.equal(
      await collectorProxy('https://ni.example.com', {
        env: { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'example.com' },
      }),
      undefined,
    );
    assert.equal(
      await collectorProxy('https://127.0.0.1:8443', { proxy: 'http://proxy.corp:3128' }),
      undefined,
    );
  });
});

describe('spool', () => {
  test('is bounded: the oldest reports go first', async () => {
    const spool = new Spool(dir, 2);
    const reports = [
      sampleReport('2026-01-01T00:00:00.000Z'),
      sampleReport('2026-01-01T00:15:00.000Z'),
      sampleReport('2026-01-01T00:30:00.000Z'),
    ];
    for (const [i, r] of reports.entries()) {
      await spool.put(r);
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      await utimes(join(dir, `${r.reportId}.json`), t, t);
    }
    // The trim ran inside the third put, before its mtime was set: put a fourth to trim with settled times.
    const fourth = sampleReport('2026-01-01T00:45:00.000Z');
    await spool.put(fourth);
    const { reports: left } = await spool.list();
    assert.deepEqual(
      left.map((r) => r.reportId),
      [reports[2]?.reportId, fourth.reportId],
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe('netinsights probe --collector', () => {
  test('uploads the report with a device id that stays the same across runs', async () => {
    const { spawn } = await import('node:child_process');
    const { createSocket } = await import('node:dgram');
    const { writeFile, readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
    // A DNS server that never answers keeps the run short and on loopback.
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    const caFile = join(dir, 'collector-ca.pem');
    await writeFile(caFile, caPem);
    const spoolDir = join(dir, 'state', 'spool');
    const run = () =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            cli,
            'probe',
            '--dns-server',
            `127.0.0.1:${silent.address().port}`,
            '--deadline',
            '3',
            '--check-timeout',
            '1',
            '--no-progress',
            '--collector',
            url,
            '--token',
            TOKEN,
            '--collector-ca',
            caFile,
            '--spool',
            spoolDir,
          ],
          {
            env: { ...process.env, HTTPS_PROXY: '', https_proxy: '', NO_COLOR: '1' },
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('close', (status) => resolve({ status, stderr }));
      });
    try {
      const first = await run();
      const second = await run();
      assert.equal(first.status, 1, first.stderr);
      assert.match(
        first.stderr,
        /uploaded report [0-9a-f-]{36}; the collector sees this machine as 127\.0\.0\.1/,
      );
      assert.equal(received.length, 2);
      // Kept inside the spool folder given, not beside it (issue 17: nothing is written in its parent).
      const deviceId = (await readFile(join(spoolDir, 'device-id'), 'utf8')).trim();
      assert.deepEqual(await readdir(join(dir, 'state')), ['spool'], 'nothing beside the spool');
      assert.deepEqual(
        received.map((r) => r.deviceId),
        [deviceId, deviceId],
      );
      assert.notEqual(received[0]?.id, received[1]?.id);
      assert.match(second.stderr, /uploaded report/);
    } finally {
      await new Promise<void>((r) => silent.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
