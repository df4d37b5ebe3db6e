/**
 * What the rollup keeps of Teams media runs: blocked and degraded runs count
 * as failures, runs that say nothing about UDP (relay unreachable, lookup
 * failed) are left out, merging is exact, and rollups stored before the kind
 * existed still parse.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fail } from '@netinsights/protocol';
import { observe } from '../../src/insights/observation.ts';
import { addObservation, emptyRollup, mergeAll, parseRollup } from '../../src/insights/rollup.ts';
import { teamsMediaEvidence } from '../../src/insights/teams-media-facts.ts';
import { report, teamsMedia } from './helpers/reports.ts';

const at = Date.parse('2026-11-23T10:00:00Z');

test('blocked and degraded runs are failures with their codes; an answered run carries loss, RTT, jitter and MOS', () => {
  const blocked = observe({ report: report('d1', [teamsMedia('blocked')]), receivedAt: at }).teamsMedia;
  assert.equal(blocked?.failureCode, 'media/udp-blocked');
  assert.equal(blocked?.rttMs, undefined);
  assert.deepEqual(
    blocked?.ports.map((p) => p.answered),
    [false, false, false, false],
  );
  const degraded = observe({ report: report('d2', [teamsMedia('degraded')]), receivedAt: at }).teamsMedia;
  assert.equal(degraded?.failureCode, 'media/degraded');
  assert.deepEqual([degraded?.rttMs, degraded?.jitterMs, degraded?.mos], [180, 45, 3.1]);
  assert.equal(
    observe({ report: report('d3', [teamsMedia('ok')]), receivedAt: at }).teamsMedia?.failureCode,
    undefined,
  );
});

test('a run with the relay unreachable on TCP too, or a failed lookup, says nothing about UDP and is left out', () => {
  const noReply = { ...teamsMedia('blocked'), outcome: fail('media', 'no-reply', 'nothing') };
  const dns = { ...teamsMedia('blocked'), outcome: fail('dns', 'nxdomain', 'no such name') };
  for (const r of [noReply, dns])
    assert.equal(observe({ report: report('d1', [r]), receivedAt: at }).teamsMedia, undefined);
});

test('hourly rollups merge into the window exactly, and the evidence quotes ports and the TCP fallback', () => {
  const hours = [0, 1].map((h) => {
    const r = emptyRollup();
    for (const [i, state] of (['blocked', 'degraded', 'ok', 'ok'] as const).entries())
      addObservation(
        r,
        observe({ report: report(`d${i}`, [teamsMedia(state)]), receivedAt: at + h * 3_600_000 }),
      );
    return r;
  });
  const e = teamsMediaEvidence(mergeAll(hours).teamsMedia);
  assert.equal(e.runs, 8);
  assert.equal(e.udpBlocked, 2);
  assert.equal(e.degraded, 2);
  assert.deepEqual(e.ports[0], { port: 3478, runs: 8, answered: 6 });
  assert.deepEqual(e.tcpFallback, { runs: 8, ok: 8 });
  assert.ok(e.rttMs.p95 !== null && e.rttMs.p95 > 170);
});

test('a rollup stored before Teams media was measured parses with no runs', () => {
  const old = emptyRollup() as Partial<ReturnType<typeof emptyRollup>>;
  delete old.teamsMedia;
  const parsed = parseRollup(JSON.stringify(old));
  assert.equal(parsed.teamsMedia.tally.attempts, 0);
  addObservation(parsed, observe({ report: report('d1', [teamsMedia('blocked')]), receivedAt: at }));
  assert.equal(parsed.teamsMedia.tally.failures, 1);
});
