import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRORS } from '../src/errors.ts';

test('every error catalog key equals its code, has an HTTP status and a description', () => {
  for (const [key, spec] of Object.entries(ERRORS)) {
    assert.equal(spec.code, key);
    assert.ok(spec.status >= 400 && spec.status < 600, `${key} status`);
    assert.ok(spec.description.length > 10, `${key} description`);
  }
});
