/** The SQLite repositories' `$name` parameters, bound by position (store/sqlite/db.ts). */
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { numberParameters, SqliteDb } from '../../src/store/sqlite/db.ts';

describe('sqlite: named parameters bound by position', () => {
  it('numbers parameters by first appearance and reuses the number of a repeated name', () => {
    assert.deepEqual(numberParameters('INSERT INTO t VALUES ($a, $b, $a)'), {
      text: 'INSERT INTO t VALUES (?1, ?2, ?1)',
      names: ['a', 'b'],
    });
  });

  it("leaves a $ inside literals, quoted names and comments alone (a JSON path '$.a' is text)", () => {
    const sql = `SELECT json_extract(x, '$.a'), "col$x", 'it''s $b' -- $c\n, $d /* $e */ FROM t WHERE y = $f`;
    const { text, names } = numberParameters(sql);
    assert.deepEqual(names, ['d', 'f']);
    assert.equal(
      text,
      `SELECT json_extract(x, '$.a'), "col$x", 'it''s $b' -- $c\n, ?1 /* $e */ FROM t WHERE y = ?2`,
    );
  });

  it('stores and reads the values under their names on a real connection, NULL for a name left out', () => {
    const db = new SqliteDb(new DatabaseSync(':memory:'));
    db.run('CREATE TABLE t (a TEXT, b INTEGER, c TEXT, doc TEXT)');
    db.run(`INSERT INTO t (a, b, c, doc) VALUES ($a, $b, $c, '{"k":"$v"}')`, { b: 2, a: 'x' });
    db.run('INSERT INTO t (a, b, c, doc) VALUES ($a, $b, $a, NULL)', { a: 'y', b: 3 });
    const rows = db.all(`SELECT a, b, c, json_extract(doc, '$.k') AS k FROM t WHERE b >= $min ORDER BY b`, {
      min: 2,
    });
    assert.deepEqual(
      rows.map((r) => ({ ...r })),
      [
        { a: 'x', b: 2, c: null, k: '$v' },
        { a: 'y', b: 3, c: 'y', k: null },
      ],
    );
    assert.equal(db.get('SELECT count(*) AS n FROM t WHERE a = $a', { a: 'y' })?.n, 1);
  });
});
