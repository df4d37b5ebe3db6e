/**
 * The SQLite migration that widens insight_events' type check rebuilds the
 * table: its rows, their seq values and AUTOINCREMENT's counter must carry
 * over, or a seq the outbox cursor already passed would be handed out again
 * and that event never paged.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';

const dir = new URL('../../src/store/sqlite/migrations/', import.meta.url);
const sql = (name: string) => readFileSync(new URL(name, dir), 'utf8');

test('widening the event types keeps rows, seq values and the seq counter', () => {
  const db = new DatabaseSync(':memory:');
  db.exec(sql('010-insights.sql'));
  const add = (type: string) =>
    db
      .prepare(
        "INSERT INTO insight_events (tenant_id, insight_id, type, at, summary) VALUES ('t', 'i', ?, 'x', 's') RETURNING seq",
      )
      .get(type) as { seq: number };
  for (let i = 0; i < 3; i++) add('opened');
  db.prepare('DELETE FROM insight_events WHERE seq = 3').run();
  db.exec('BEGIN');
  db.exec(sql('012-insight-event-types.sql'));
  db.exec('COMMIT');
  assert.deepEqual(
    db
      .prepare('SELECT seq, type FROM insight_events ORDER BY seq')
      .all()
      .map((r) => ({ ...r })),
    [
      { seq: 1, type: 'opened' },
      { seq: 2, type: 'opened' },
    ],
  );
  assert.equal(add('disabled').seq, 4, 'seq 3 was used once and is not handed out again');
  assert.throws(() => add('bogus'), /CHECK/);
});
