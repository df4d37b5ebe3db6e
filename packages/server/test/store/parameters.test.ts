/** Statements are written once with `$name` parameters; each dialect numbers them its way (store/shared/parameters.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dollar, numberParameters, positional, questionMark } from '../../src/store/shared/parameters.ts';

describe('one statement text, numbered per dialect', () => {
  const sql = `UPDATE t SET a = $a, doc = '{"k":"$v"}' WHERE tenant_id = $tenantId AND a <> $a`;

  it('numbers $name as ?N for SQLite and $N for PostgreSQL, the same names in the same order', () => {
    assert.deepEqual(numberParameters(sql, questionMark), {
      text: `UPDATE t SET a = ?1, doc = '{"k":"$v"}' WHERE tenant_id = ?2 AND a <> ?1`,
      names: ['a', 'tenantId'],
    });
    assert.deepEqual(numberParameters(sql, dollar), {
      text: `UPDATE t SET a = $1, doc = '{"k":"$v"}' WHERE tenant_id = $2 AND a <> $1`,
      names: ['a', 'tenantId'],
    });
  });

  it('binds values by position from the object, NULL for a name it leaves out', () => {
    assert.deepEqual(positional(['a', 'tenantId', 'gone'], { tenantId: 't1', a: 3, extra: 'x' }), [
      3,
      't1',
      null,
    ]);
  });
});
