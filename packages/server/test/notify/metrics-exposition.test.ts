import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderExposition } from '../../src/notify/metrics/exposition.ts';
import { ServerMetrics } from '../../src/notify/metrics/server-metrics.ts';

test('the exposition format escapes label values and keeps HELP/TYPE for empty families', () => {
  const text = renderExposition([
    {
      name: 'x_total',
      help: 'a\\nb',
      type: 'counter',
      samples: [{ labels: { office: 'R&D "North"\\\\x\nnew' }, value: 3 }],
    },
    { name: 'y', help: 'empty', type: 'gauge', samples: [] },
  ]);
  assert.equal(
    text,
    '# HELP x_total a\\\\nb\n# TYPE x_total counter\nx_total{office="R&D \\"North\\"\\\\\\\\x\\nnew"} 3\n# HELP y empty\n# TYPE y gauge\n',
  );
});

test('the ingest histogram is cumulative and consistent with its count and sum', () => {
  const m = new ServerMetrics();
  m.observeIngest('2xx', 0.004);
  m.observeIngest('2xx', 0.2);
  m.observeIngest('4xx', 7);
  const text = renderExposition(m.families());
  assert.match(text, /netinsights_ingest_reports_total\{outcome="2xx"\} 2/);
  assert.match(text, /netinsights_ingest_duration_seconds_bucket\{le="0.005"\} 1\n/);
  assert.match(text, /netinsights_ingest_duration_seconds_bucket\{le="0.25"\} 2\n/);
  assert.match(text, /netinsights_ingest_duration_seconds_bucket\{le="5"\} 2\n/);
  assert.match(text, /netinsights_ingest_duration_seconds_bucket\{le="\+Inf"\} 3\n/);
  assert.match(text, /netinsights_ingest_duration_seconds_count 3\n/);
  assert.match(text, /netinsights_ingest_duration_seconds_sum 7.204\n/);
});
