/**
 * The assessment through the HTTP API (in-process server, real SQLite, the
 * real insight engine): `assessment` on each office of GET /api/v1/offices,
 * GET /api/v1/assessment for the tenant and ?office=, its bad input, the
 * settings document with errors that name the field, and the Prometheus
 * gauge. The route × caller table (routes-access.test.ts) covers who may
 * call these routes and that another tenant reads nothing of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AssessmentAnswer, OfficeAssessment } from '@netinsights/protocol';
import { createInsightsHook } from '../../src/insights/index.ts';
import { type Fixture, type SeededTenant, seedTenant, startFixture } from '../helpers/server-fixture.ts';
import { latency, report, teamsMedia, throughput } from '../insights/helpers/reports.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';

describe('assessment API', () => {
  const hook = createInsightsHook();
  let f: Fixture;
  let a: SeededTenant;
  let b: SeededTenant;
  const get = (who: SeededTenant, url: string) =>
    f.app.inject({ url, headers: { authorization: `Bearer ${who.readToken}` } });

  before(async () => {
    f = await startFixture({}, { insights: hook, notifications: { metricsToken: METRICS_TOKEN } });
    a = await seedTenant(f, 'Contoso');
    b = await seedTenant(f, 'Fabrikam');
    const now = Date.now();
    for (let d = 0; d < 4; d++)
      await f.store.transaction((tx) =>
        hook.onReportStored(tx, {
          tenantId: a.tenantId,
          officeKey: a.officeId,
          office: null,
          discoveredId: null,
          report: report(`dev-${d}`, [latency(25), throughput(160), teamsMedia('ok')]),
          receivedAt: new Date(now - 60_000 + d).toISOString(),
          egressIp: '192.0.2.10',
          egressGeo: null,
        }),
      );
    await hook.evaluateAll(f.store, new Date(now));
  });
  after(() => f.close());

  it('each office of GET /api/v1/offices carries its assessment', async () => {
    const res = await get(a, '/api/v1/offices');
    assert.equal(res.statusCode, 200);
    const office = res.json().items.find((o: { id: string }) => o.id === a.officeId);
    const assessment = office.assessment as OfficeAssessment;
    // 25 ms → 80, 20 MB/s → 100, Teams (24 ms, 3 ms jitter, 0 % loss: MOS 4.38) → 100.
    assert.equal(assessment.components.latency!.score, 80);
    assert.equal(assessment.components.download!.score, 100);
    assert.equal(assessment.components.media!.score, 100);
    assert.equal(assessment.score, 93);
    assert.deepEqual(assessment.missing, []);
    assert.equal(assessment.window.days, 3);
    assert.equal(assessment.devices, 4);
    assert.equal(assessment.area, null);
    const other = await get(b, '/api/v1/offices');
    assert.equal(
      other.json().items[0].assessment,
      null,
      "Fabrikam's office has no data, and sees none of Contoso's",
    );
  });

  it('GET /api/v1/assessment gives the tenant score and its daily history; ?office= one office', async () => {
    const t = (await get(a, '/api/v1/assessment')).json() as AssessmentAnswer;
    assert.equal(t.score, 93);
    assert.deepEqual(t.offices, { scored: 1, total: 1, devices: 4 });
    assert.deepEqual(t.window, { days: 3 });
    assert.equal(t.history.length, 1);
    assert.equal(t.history[0]!.day, new Date().toISOString().slice(0, 10));

    const o = (await get(a, `/api/v1/assessment?office=${a.officeId}&days=7`)).json() as AssessmentAnswer;
    assert.equal(o.office!.id, a.officeId);
    assert.equal(o.office!.assessment!.score, 93);
    assert.deepEqual(o.history[0]!.components, { latency: 80, download: 100, media: 100 });

    const empty = (await get(b, '/api/v1/assessment')).json() as AssessmentAnswer;
    assert.equal(empty.score, null);
    assert.deepEqual(empty.history, []);
  });

  it('bad input: an unknown or foreign office is 404, days out of range is 422 naming it', async () => {
    const foreign = await get(b, `/api/v1/assessment?office=${a.officeId}`);
    assert.equal(foreign.statusCode, 404);
    assert.ok(!foreign.body.includes('"score"'));
    for (const days of ['0', '3651', 'many']) {
      const res = await get(a, `/api/v1/assessment?days=${days}`);
      assert.equal(res.statusCode, 422, `days=${days}: ${res.body}`);
      assert.equal(res.json().error.details.issues[0].path, '/days');
    }
  });

  it('the settings document: defaults, field errors with their path, and a change re-scores every office', async () => {
    const put = (payload: unknown) =>
      f.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/assessment',
        headers: { authorization: `Bearer ${a.writeToken}` },
        payload: payload as object,
      });
    assert.deepEqual((await get(a, '/api/v1/settings/assessment')).json(), {
      windowDays: 3,
      retentionDays: 400,
    });
    for (const [payload, path] of [
      [{ windowDays: 31 }, '/windowDays'],
      [{ windowDays: 1.5 }, '/windowDays'],
      [{ retentionDays: 7 }, '/retentionDays'],
      [{ window: 3 }, '/window'],
    ] as const) {
      const res = await put(payload);
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.details.issues[0].path, path, res.body);
    }
    assert.equal((await put([])).statusCode, 422);
    const ok = await put({ windowDays: 7 });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { windowDays: 7, retentionDays: 400 });
    const schedule = await f.store.insights.getSchedule(a.tenantId, a.officeId);
    assert.ok(schedule?.dueAt && Date.parse(schedule.dueAt) <= Date.now(), 'the office is due now');
    await hook.evaluateAll(f.store, new Date());
    const o = (await get(a, `/api/v1/assessment?office=${a.officeId}`)).json() as AssessmentAnswer;
    assert.equal(o.office!.assessment!.window.days, 7);
  });

  it('Prometheus: netinsights_office_assessment_score per office', async () => {
    const res = await f.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(res.statusCode, 200);
    const lines = res.body.split('\n');
    assert.ok(lines.includes('# TYPE netinsights_office_assessment_score gauge'));
    assert.deepEqual(
      lines.filter((l) => l.startsWith('netinsights_office_assessment_score{')),
      [
        `netinsights_office_assessment_score{tenant="Contoso",tenant_id="${a.tenantId}",office="Contoso HQ",office_id="${a.officeId}"} 93`,
      ],
    );
  });
});
