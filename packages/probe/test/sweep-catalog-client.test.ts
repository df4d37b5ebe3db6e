/**
 * The catalog an agent's sweep tests comes from its collector
 * (`GET /api/v1/agent/catalog`, agent/catalog-client.ts): a real
 * `netinsights serve` in-process, then a sweep of that catalog through the
 * lab, whose report names the collector's catalog version.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { fetchAgentCatalog, runProbe } from '../src/index.ts';
import { startTestCollector, type TestCollector } from './agent-fixture.ts';

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
