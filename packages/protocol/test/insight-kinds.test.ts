/**
 * Tests for the insight kind table: every kind has words and a colour the
 * dashboard can tell apart, and the name check accepts exactly the table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INSIGHT_KIND_INFO, INSIGHT_KINDS, isInsightKind } from '../src/insight-kinds.ts';

describe('insight kinds', () => {
  it('lists the kinds of the table, in its order', () => {
    assert.deepEqual([...INSIGHT_KINDS], Object.keys(INSIGHT_KIND_INFO));
    assert.equal(new Set(INSIGHT_KINDS).size, INSIGHT_KINDS.length);
    for (const k of INSIGHT_KINDS) assert.match(k, /^[a-z0-9]+(-[a-z0-9]+)*$/, k);
  });

  it('gives every kind a distinct label, a summary and a distinct #rrggbb colour', () => {
    const infos = INSIGHT_KINDS.map((k) => INSIGHT_KIND_INFO[k]);
    for (const i of infos) {
      assert.ok(i.label.length > 0 && i.label.length <= 30, i.label);
      assert.ok(i.summary.length > i.label.length, i.summary);
      assert.match(i.color, /^#[0-9a-f]{6}$/);
    }
    assert.equal(new Set(infos.map((i) => i.label)).size, infos.length);
    assert.equal(new Set(infos.map((i) => i.color)).size, infos.length);
  });

  it('isInsightKind accepts exactly the table', () => {
    for (const k of INSIGHT_KINDS) assert.equal(isInsightKind(k), true);
    for (const v of ['made-up', 'toString', '__proto__', '', 42, null, undefined])
      assert.equal(isInsightKind(v), false, String(v));
  });
});
