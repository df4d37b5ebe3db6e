/**
 * The failure-class table of outcome.ts: every class carries its meaning
 * and its advice (cause and action), so the probe's text report, the
 * server's insights and the dashboard never fall back to a bare code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_FAILURE_CODES,
  adviceFor,
  describeFailure,
  FAILURE_CLASSES,
  FAILURE_LAYERS,
  type FailureClassInfo,
} from '../src/outcome.ts';

describe('failure classes', () => {
  it('every class of every layer has a meaning, a cause and an action, each a sentence of its own', () => {
    assert.ok(ALL_FAILURE_CODES.length > 50, 'the table is the whole catalogue');
    const seen = new Map<string, string>();
    for (const layer of FAILURE_LAYERS)
      for (const [cls, info] of Object.entries(FAILURE_CLASSES[layer] as Record<string, FailureClassInfo>)) {
        const code = `${layer}/${cls}`;
        for (const field of ['meaning', 'cause', 'action'] as const) {
          const text = info[field];
          assert.equal(typeof text, 'string', `${code}: ${field}`);
          assert.ok(text.trim().length >= 10, `${code}: ${field} says something ("${text}")`);
          assert.doesNotMatch(text, /\n/, `${code}: ${field} is one line`);
        }
        assert.notEqual(info.cause, info.action, `${code}: the action is not the cause repeated`);
        const other = seen.get(info.meaning);
        assert.equal(other, undefined, `${code} and ${other} share a meaning`);
        seen.set(info.meaning, code);
      }
  });

  it('describeFailure and adviceFor read the same table; unknown codes get a general line, never a throw', () => {
    assert.equal(describeFailure('proxy', 'upstream-dns'), FAILURE_CLASSES.proxy['upstream-dns'].meaning);
    assert.deepEqual(adviceFor('proxy/upstream-dns'), {
      cause: FAILURE_CLASSES.proxy['upstream-dns'].cause,
      action: FAILURE_CLASSES.proxy['upstream-dns'].action,
    });
    assert.equal(describeFailure('proxy', 'constructor'), 'proxy/constructor');
    assert.equal(describeFailure('nope', 'x'), 'nope/x');
    assert.equal(adviceFor('proxy/constructor').cause, 'See the messages above.');
    assert.equal(adviceFor('garbage').action, 'Check the path for these hosts.');
  });

  it('a proxy that cannot reach or resolve the destination is never advised to change its rules', () => {
    for (const code of ['proxy/bad-gateway', 'proxy/upstream-dns'] as const)
      assert.match(adviceFor(code).cause, /not a deny rule/);
  });
});
