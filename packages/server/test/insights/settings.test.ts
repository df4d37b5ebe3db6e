/**
 * Tests for insights/settings: the product defaults, partial documents,
 * and validation errors that name the JSON path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaError } from '@netinsights/protocol';
import { INSIGHT_KINDS } from '../../src/insights/kinds.ts';
import {
  checkInsightSettings,
  DEFAULT_INSIGHT_SETTINGS,
  effectiveSettings,
  parseInsightSettings,
} from '../../src/insights/settings.ts';

describe('insight settings', () => {
  it('defaults: 24 h window, 24 samples, 2 devices, the product thresholds, close below open for every kind', () => {
    const d = DEFAULT_INSIGHT_SETTINGS;
    assert.equal(d.windowHours, 24);
    assert.equal(d.minSamples, 24);
    assert.equal(d.minDevices, 2);
    assert.equal(d.kinds['critical-domain-https-failure'].openThreshold, 0.1);
    assert.equal(d.kinds['websocket-failure'].openThreshold, 0.1);
    assert.equal(d.kinds['tls-interception'].openThreshold, 0.3);
    assert.equal(d.kinds['quic-blocked'].openThreshold, 0.5);
    assert.equal(d.kinds['peer-performance'].openThreshold, 0.1);
    assert.equal(d.kinds['backhauled-egress'].distanceKm, 800);
    assert.deepEqual(Object.keys(d.kinds).sort(), [...INSIGHT_KINDS].sort());
    for (const k of INSIGHT_KINDS) assert.ok(d.kinds[k].closeThreshold < d.kinds[k].openThreshold, k);
  });

  it('fills what a partial document omits and keeps what it sets', () => {
    const s = parseInsightSettings({ windowHours: 48, kinds: { 'quic-blocked': { enabled: false } } });
    assert.equal(s.windowHours, 48);
    assert.equal(s.minSamples, 24);
    assert.equal(s.kinds['quic-blocked'].enabled, false);
    assert.equal(s.kinds['quic-blocked'].openThreshold, 0.5);
    assert.equal(s.kinds['tls-interception'].enabled, true);
    // The defaults object itself is never modified.
    assert.equal(DEFAULT_INSIGHT_SETTINGS.kinds['quic-blocked'].enabled, true);
  });

  it('reports every problem with its JSON path', () => {
    const { settings, issues } = checkInsightSettings({
      windowHours: 1.5,
      minDevices: 0,
      colour: 'red',
      kinds: {
        'tls-interception': { openThreshold: 1.3, closeThreshold: 'x' },
        'websocket-failure': { openThreshold: 0.1, closeThreshold: 0.2 },
        'made/up': {},
        'backhauled-egress': { distanceKm: 800, minPeerOffices: 2 },
      },
    });
    assert.equal(settings, undefined);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    assert.match(byPath['/windowHours']!, /integer/);
    assert.match(byPath['/minDevices']!, /between 1 and/);
    assert.match(byPath['/colour']!, /not a setting/);
    assert.match(byPath['/kinds/tls-interception/openThreshold']!, /between 0 and 1/);
    assert.match(byPath['/kinds/tls-interception/closeThreshold']!, /number/);
    assert.match(
      byPath['/kinds/websocket-failure/closeThreshold']!,
      /must not exceed openThreshold \(0\.1\)/,
    );
    assert.match(byPath['/kinds/made~1up']!, /not an insight kind/);
    assert.match(byPath['/kinds/backhauled-egress/minPeerOffices']!, /not a setting of this insight kind/);
    assert.equal(issues.length, 8);
  });

  it('parseInsightSettings throws a SchemaError naming the first path', () => {
    assert.throws(
      () => parseInsightSettings({ minSamples: -1 }),
      (err: unknown) => err instanceof SchemaError && /\/minSamples/.test(err.message),
    );
    assert.throws(() => parseInsightSettings([]), SchemaError);
  });

  it('the engine falls back to defaults for a missing or broken stored document', () => {
    assert.deepEqual(effectiveSettings(undefined), DEFAULT_INSIGHT_SETTINGS);
    assert.deepEqual(effectiveSettings({ windowHours: 'x' }), DEFAULT_INSIGHT_SETTINGS);
    assert.equal(effectiveSettings({ windowHours: 6 }).windowHours, 6);
  });
});
