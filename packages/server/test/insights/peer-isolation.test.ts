/**
 * The peer comparison leaked and could be steered: with a tenant-set
 * minimum of one peer office, a tenant with one office in a city read
 * another tenant's exact median latency and throughput, and a few fake
 * offices moved the baseline enough to resolve that tenant's insight.
 * Now: other tenants only, at least 5 offices from 3 tenants, the median of
 * per-tenant medians, rounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PEER_MIN_OFFICES, peerFloor, peerStats } from '../../src/insights/peers.ts';
import type { PeerFigure } from '../../src/insights/store-contract.ts';

const fig = (tenantId: string, latencyMedianMs: number, throughputMbps: number): PeerFigure => ({
  tenantId,
  latencyMedianMs,
  throughputMbps,
});

describe('peer baseline', () => {
  it("one other office, or five of two tenants, gives no baseline (one tenant's exact median used to show)", () => {
    assert.equal(peerStats([fig('victim', 123.4, 56.7)]), null);
    const twoTenants = [1, 2, 3].map(() => fig('a', 100, 50)).concat([fig('b', 90, 60), fig('b', 95, 55)]);
    assert.equal(peerStats(twoTenants), null);
    const four = [fig('a', 100, 50), fig('b', 100, 50), fig('c', 100, 50), fig('c', 100, 50)];
    assert.equal(peerStats(four), null, 'three tenants but four offices');
  });

  it('a tenant setting cannot lower the floor, only raise it', () => {
    assert.equal(peerFloor(1), PEER_MIN_OFFICES);
    assert.equal(peerFloor(undefined), PEER_MIN_OFFICES);
    assert.equal(peerFloor(12), 12);
  });

  it("one tenant's fake offices cannot move the baseline outside the honest tenants' range (nor close an insight)", () => {
    const honest = [fig('h1', 100, 50), fig('h2', 102, 48), fig('h2', 104, 46), fig('h3', 104, 47)];
    const base = peerStats([...honest, fig('h3', 103, 49)])!;
    for (const fake of [1, 50, 500]) {
      const attacked = peerStats([
        ...honest,
        ...Array.from({ length: fake }, () => fig('attacker', 1000, 1)),
        ...Array.from({ length: fake }, () => fig('attacker2', 1000, 1)),
      ])!;
      // Two colluding tenants against three honest ones: the median of tenant medians stays honest.
      assert.ok(attacked.latencyMedianMs! <= 105, `latency ${attacked.latencyMedianMs} with ${fake} fakes`);
      assert.ok(attacked.throughputMbps! >= 45, `throughput ${attacked.throughputMbps} with ${fake} fakes`);
    }
    assert.equal(base.latencyMedianMs, 105);
  });

  it('the baseline is rounded to 5 ms and 5 Mbit/s, so no exact figure of a peer comes back', () => {
    const s = peerStats([
      fig('a', 101.3, 47.2),
      fig('a', 101.3, 47.2),
      fig('b', 103.7, 52.9),
      fig('c', 99.1, 51.1),
      fig('c', 99.1, 51.1),
    ])!;
    assert.equal(s.latencyMedianMs! % 5, 0);
    assert.equal(s.throughputMbps! % 5, 0);
    assert.deepEqual([s.offices, s.tenants], [5, 3]);
  });
});
