/**
 * Ingest with `--ingest-workers`: uploads parsed and validated on a real
 * worker thread are stored exactly as on the event loop (same body, same
 * office, same insight rollup), bad uploads get the very same answers, close
 * commits what was still being parsed, and a worker thread that dies fails
 * only the uploads it held and is started again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProbeReport } from '@netinsights/protocol';
import { ReportIntake } from '../src/ingest/report-intake.ts';
import { WorkerPreparer } from '../src/ingest/worker-preparer.ts';
import { loadInsightsHook } from '../src/insights-hook.ts';
import { OfficeMapper } from '../src/offices/office-mapper.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from './helpers/server-fixture.ts';

const FRAGILE = new URL('./helpers/fragile-prepare-worker.ts', import.meta.url);

interface Side {
  f: Fixture;
  t: SeededTenant;
}

const upload = (s: Side, payload: string) =>
  s.f.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${s.t.agentToken}`, 'content-type': 'application/json' },
    payload,
  });

/** The report as agents send it, with fields in an unusual order and spacing (stored byte for byte). */
const asSent = (r: ProbeReport) => JSON.stringify(r, null, 1);

describe('ingest on a worker thread vs on the event loop', () => {
  let worker: Side;
  let loop: Side;

  before(async () => {
    // `insights: undefined` replaces the fixture's no-op hook with the real insight engine.
    const wf = await startFixture({ ingestWorkers: 1 }, { insights: undefined });
    const lf = await startFixture({ ingestWorkers: 0 }, { insights: undefined });
    worker = { f: wf, t: await seedTenant(wf, 'Worker') };
    loop = { f: lf, t: await seedTenant(lf, 'Loop') };
  });
  after(async () => {
    await worker?.f.close();
    await loop?.f.close();
  });

  test('the server parses on a worker thread only when asked to', () => {
    assert.equal(worker.f.app.netinsights.intake.parsesOnWorkers, true);
    assert.equal(loop.f.app.netinsights.intake.parsesOnWorkers, false);
  });

  test('a report is stored once, byte for byte, in its office, and reaches the insight rollup', async () => {
    for (const side of [worker, loop]) {
      const report = sampleReport({ failShare: 0.2 });
      report.environment.officeId = side.t.officeId;
      const text = asSent(report);
      const first = await upload(side, text);
      assert.equal(first.statusCode, 202, first.body);
      assert.deepEqual(first.json(), {
        reportId: report.reportId,
        duplicate: false,
        officeId: side.t.officeId,
        egressIp: '127.0.0.1',
      });
      const again = await upload(side, text);
      assert.equal(again.statusCode, 202);
      assert.equal(again.json().duplicate, true);

      const row = await side.f.store.reports.get(side.t.tenantId, report.reportId);
      assert.equal(row?.body, text);
      assert.equal(row?.checks, 25);
      assert.equal(row?.failures, 5);
      const buckets = await side.f.store.insights.rollups(
        side.t.tenantId,
        side.t.officeId,
        '1970-01-01T00:00:00.000Z',
        '9999-12-31T23:59:59.999Z',
      );
      const reports = buckets.reduce((n, b) => n + (JSON.parse(b.data) as { reports: number }).reports, 0);
      assert.equal(reports, 1, 'the duplicate must not be counted twice');
    }
  });

  test('bad uploads get the same status and error body as on the event loop', async () => {
    const wrongType = sampleReport() as unknown as { results: Array<Record<string, unknown>> };
    wrongType.results[3]!.durationMs = 'slow';
    const unknownKey = { ...sampleReport(), extra: true };
    const cases: Array<[string, string]> = [
      ['garbage', '{"schema": nope'],
      ['empty', ''],
      ['too deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['wrong type at a path', JSON.stringify(wrongType)],
      ['unknown property', JSON.stringify(unknownKey)],
      ['not an object', '42'],
    ];
    for (const [name, payload] of cases) {
      const w = await upload(worker, payload);
      const l = await upload(loop, payload);
      assert.ok(w.statusCode >= 400 && w.statusCode < 500, `${name}: ${w.statusCode} ${w.body}`);
      assert.equal(w.statusCode, l.statusCode, name);
      assert.deepEqual(w.json(), l.json(), name);
    }
    assert.equal((await upload(worker, JSON.stringify(wrongType))).json().error.code, 'NI_ERR_SCHEMA');
  });

  test('closing commits every upload that was still being parsed', async () => {
    const f = worker.f;
    const intake = new ReportIntake(
      f.store,
      await WorkerPreparer.start({ workers: 2, maxJsonDepth: 32 }),
      new OfficeMapper(),
      await loadInsightsHook(),
      { groupCommitMs: 1, groupCommitMax: 256 },
    );
    const reports = Array.from({ length: 40 }, () => sampleReport());
    const answers = reports.map((r) =>
      intake.submit({
        tenantId: worker.t.tenantId,
        tokenOfficeId: null,
        body: Buffer.from(JSON.stringify(r)),
        egressIp: '192.0.2.7',
        egressGeo: null,
        receivedAt: new Date().toISOString(),
      }),
    );
    await intake.close();
    const settled = await Promise.allSettled(answers);
    assert.deepEqual(
      settled.map((s) => s.status),
      reports.map(() => 'fulfilled'),
    );
    for (const r of reports)
      assert.ok(await f.store.reports.getMeta(worker.t.tenantId, r.reportId), r.reportId);
    await assert.rejects(
      intake.submit({
        tenantId: worker.t.tenantId,
        tokenOfficeId: null,
        body: Buffer.from('{}'),
        egressIp: '192.0.2.7',
        egressGeo: null,
        receivedAt: new Date().toISOString(),
      }),
      /shutting down/,
    );
  });
});

describe('worker threads that fail', () => {
  const input = (text: string) => ({
    body: Buffer.from(text),
    receivedAt: new Date().toISOString(),
    egressGeo: null,
  });

  test('a thread that dies fails only the uploads it held, and the next upload starts a new one', async () => {
    const deaths: Error[] = [];
    const preparer = await WorkerPreparer.start({
      workers: 1,
      maxJsonDepth: 32,
      entry: FRAGILE,
      onThreadDeath: (err) => deaths.push(err),
    });
    try {
      assert.equal((await preparer.prepare(input('before'))).upload.reportId, 'before');
      // Sent in the same turn, so they travel in one message with the crash.
      const doomed = [preparer.prepare(input('crash')), preparer.prepare(input('bystander'))];
      for (const d of doomed) await assert.rejects(d, /ingest worker exited \(code 3\)/);
      assert.equal(deaths.length, 1);
      assert.equal((await preparer.prepare(input('after'))).upload.reportId, 'after');
      assert.equal(deaths.length, 1);
    } finally {
      await preparer.close();
    }
  });

  test('a thread that cannot start makes the server refuse to start, with the reason', async () => {
    process.env.NI_FRAGILE_WORKER_FAIL_START = '1';
    try {
      await assert.rejects(
        WorkerPreparer.start({ workers: 2, maxJsonDepth: 32, entry: FRAGILE }),
        /cannot load the insight engine \(simulated\)/,
      );
    } finally {
      delete process.env.NI_FRAGILE_WORKER_FAIL_START;
    }
  });

  test('the number of threads must be a whole number of at least 1', async () => {
    await assert.rejects(WorkerPreparer.start({ workers: 0, maxJsonDepth: 32 }), /whole number ≥ 1, got 0/);
  });
});
