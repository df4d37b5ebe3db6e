/**
 * The JSON structure limits: schemaDepth bounds what a schema can accept
 * (Infinity where it accepts anything), and the byte scan refuses a document
 * nested too deep or holding too many values before JSON.parse sees it, so
 * through the route a deep document — valid JSON or not, bare or hidden
 * inside an otherwise valid report — gets the 413 "nested deeper" answer, a
 * flat flood of values the 413 "more than … values" answer, while valid
 * reports are stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProbeReport } from '@netinsights/protocol';
import { jsonDepth, jsonShape, parseJsonBody } from '../src/ingest/json-body.ts';
import { schemaDepth } from '../src/ingest/schema-depth.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { type Fixture, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';

describe('schemaDepth', () => {
  test('ProbeReport v1 is closed: bounded, and the bound covers a real report', () => {
    const bound = schemaDepth(ProbeReport);
    assert.ok(Number.isFinite(bound) && bound <= 32, `bound ${bound}`);
    const text = JSON.stringify(sampleReport({ checks: 25 }));
    assert.ok(jsonDepth(Buffer.from(text), 1000) <= bound);
  });

  test('counts objects and arrays, not scalars', () => {
    assert.equal(schemaDepth({ type: 'string' }), 0);
    assert.equal(
      schemaDepth({ type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false }),
      1,
    );
    const nested = {
      type: 'array',
      items: {
        type: 'object',
        properties: { b: { type: 'array', items: { type: 'integer' } } },
        additionalProperties: false,
      },
    };
    assert.equal(schemaDepth(nested), 3);
    assert.equal(schemaDepth({ anyOf: [{ type: 'null' }, nested] }), 3);
  });

  test('anything that accepts arbitrary values is unbounded', () => {
    const open = [
      {},
      true,
      { type: 'object', properties: { a: { type: 'string' } } }, // extra properties allowed
      { type: 'array' }, // items not described
      { type: 'object', additionalProperties: {} },
      { $ref: '#/definitions/x' },
    ];
    for (const s of open) assert.equal(schemaDepth(s), Number.POSITIVE_INFINITY, JSON.stringify(s));
    // A Record of strings (catch-all pattern) is closed.
    assert.equal(schemaDepth({ type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } }), 1);
  });

  test('parseJsonBody refuses too deep and too many values before parsing, and names the limit', () => {
    const limits = { maxDepth: 32, maxElements: 1000 };
    assert.throws(
      () => parseJsonBody(Buffer.from(`${'['.repeat(50)}${']'.repeat(50)}`), limits),
      /nested deeper than 32/,
    );
    // Unterminated: a parse would say "not JSON"; the scan answers first, without parsing.
    assert.throws(() => parseJsonBody(Buffer.from('['.repeat(50)), limits), /nested deeper than 32/);
    assert.throws(
      () => parseJsonBody(Buffer.from(`[${'[],'.repeat(2000)}[]]`), limits),
      /more than 1000 values/,
    );
    assert.throws(
      () => parseJsonBody(Buffer.from(`[${'1,'.repeat(2000)}1]`), limits),
      /more than 1000 values/,
    );
    assert.throws(() => parseJsonBody(Buffer.from('[1,'), limits), /not valid JSON/);
    // Brackets and commas inside strings (escaped quotes too) are text, not structure.
    const stringy = JSON.stringify({ a: `"${'[,'.repeat(5000)}` });
    assert.deepEqual(parseJsonBody(Buffer.from(stringy), limits).json, JSON.parse(stringy));
  });

  test('the scan stops at the first byte past a limit (4 million nested brackets cost no parse)', () => {
    const bomb = Buffer.alloc(4_000_000, '[');
    const shape = jsonShape(bomb, { maxDepth: 32, maxElements: 50_000 });
    assert.equal(shape.depth, 33, 'stopped one level past the limit');
  });
});

describe('ingest: deep documents through the route', () => {
  let f: Fixture;
  let T: SeededTenant;
  before(async () => ({ f, T } = await startSeededFixture('Depth', { maxJsonDepth: 32 })));
  after(() => f.close());

  const upload = (payload: string) =>
    f.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${T.agentToken}`, 'content-type': 'application/json' },
      payload,
    });

  test('a valid report is stored; deep documents, parseable or not, get 413 and store nothing', async () => {
    const good = sampleReport({ checks: 25 });
    assert.equal((await upload(JSON.stringify(good))).statusCode, 202);

    const hidden = JSON.stringify(sampleReport()).replace(
      /"reportId"/,
      `"extra":${'['.repeat(40)}${']'.repeat(40)},"reportId"`,
    );
    const truncated = `{"schema":${'{"a":'.repeat(200)}`;
    for (const [name, body] of [
      ['deep inside a report', hidden],
      ['deep and truncated', truncated],
      ['deep bare array', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ] as const) {
      const res = await upload(body);
      assert.equal(res.statusCode, 413, `${name}: ${res.body}`);
      assert.equal(res.json().error.code, 'NI_ERR_BODY_TOO_LARGE', name);
      assert.match(res.json().error.message, /nested deeper than 32/, name);
    }
    const flood = await upload(`[${'[],'.repeat(60_000)}[]]`);
    assert.equal(flood.statusCode, 413, flood.body);
    assert.match(flood.json().error.message, /more than 50000 values/);
    const shallowInvalid = await upload(JSON.stringify({ ...good, schema: 'nope' }));
    assert.equal(shallowInvalid.statusCode, 422, 'a shallow invalid report is still a schema error');
    const page = await f.store.reports.list(T.tenantId, { limit: 10 });
    assert.deepEqual(
      page.items.map((r) => r.id),
      [good.reportId],
    );
  });
});
