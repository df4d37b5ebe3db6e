/**
 * Report strings as keys: an interceptor vendor or issuer named
 * `constructor`, `toString` or `__proto__` (a report can say anything)
 * used to read inherited members of Object.prototype or set the prototype,
 * corrupting rollups and insight titles. They are now counted like any
 * other name, through observation, rollup merge and a JSON round trip.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observe } from '../../src/insights/observation.ts';
import { addObservation, emptyRollup, mergeRollup, parseRollup } from '../../src/insights/rollup.ts';
import { failure, https, interceptedTls, report } from './helpers/reports.ts';

const at = '2026-11-23T10:00:06.000Z';
const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

describe('report strings named like Object.prototype members', () => {
  it('vendor and issuer `constructor`, `toString`, `__proto__` are counted as names, and survive merge and JSON', () => {
    const checks = NAMES.map((name, i) =>
      https(`h${i}.cloud.microsoft`, 'cloud.microsoft', failure('tls', 'intercepted'), {
        tls: interceptedTls(name, name),
      }),
    );
    const o = observe({ report: report('dev-a', checks), receivedAt: at });
    const expected = Object.fromEntries(NAMES.map((n) => [n, 1]));
    assert.deepEqual({ ...o.tls.vendors }, expected);
    assert.equal(Object.getPrototypeOf(o.tls.vendors), Object.prototype, 'the prototype was not replaced');
    assert.deepEqual({ ...o.tls.issuers }, expected);

    const rollup = addObservation(emptyRollup(), o);
    const merged = mergeRollup(parseRollup(JSON.stringify(rollup)), parseRollup(JSON.stringify(rollup)));
    const twice = Object.fromEntries(NAMES.map((n) => [n, 2]));
    assert.deepEqual({ ...merged.tls.vendors }, twice);
    assert.deepEqual({ ...merged.tls.issuers }, twice);
    for (const n of NAMES) assert.equal(typeof merged.tls.vendors[n], 'number', n);
  });
});
