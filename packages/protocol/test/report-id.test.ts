import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { newReportId } from '../src/report-id.ts';
import { compileValidator } from '../src/validate.ts';

test('report ids are UUID version 7 carrying the creation time, and pass the schema uuid format', () => {
  const before = Date.now();
  const id = newReportId();
  const after = Date.now();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // RFC 9562 §5.7: the first 48 bits are Unix milliseconds.
  const ms = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  assert.ok(ms >= before && ms <= after, `timestamp ${ms} outside ${before}..${after}`);
  assert.ok(compileValidator(Type.String({ format: 'uuid' }), 'id').check(id));
});

test('report ids made one after another sort in creation order, so they append to the collector index', () => {
  const ids = Array.from({ length: 5000 }, newReportId);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
