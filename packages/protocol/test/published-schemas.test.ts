import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { publishedSchemas } from '../src/published-schemas.ts';

test('committed JSON Schema files match the TypeScript definitions (run `npm run schema` after a change)', () => {
  for (const { file, schema } of publishedSchemas()) {
    assert.equal(readFileSync(file, 'utf8'), schema, `${file} is out of date`);
  }
});
