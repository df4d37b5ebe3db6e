/**
 * Each insight links only the fixes for the cause its evidence shows: the
 * critical-domain HTTPS insight gets a PAC file for a proxy that refuses
 * tunnels, a firewall list for TCP drops or a proxy that cannot reach out,
 * a bypass list for TLS — and no artifact at all for a DNS failure, which no
 * PAC file or firewall rule fixes (its text gives the resolver steps).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InsightEvidence } from '../../src/insights/rules/contract.ts';
import { criticalDomainHttpsFailure } from '../../src/insights/rules/critical-domain-https-failure.ts';

const evidence = (...codes: [string, number][]): InsightEvidence =>
  ({
    samples: 100,
    devices: 3,
    share: 0.5,
    affectedHosts: [],
    affectedDomains: ['*.static.microsoft'],
    failureClasses: codes.map(([code, count]) => ({ code, count })),
    exampleReportIds: [],
  }) as unknown as InsightEvidence;

const kinds = (codes: [string, number][]) =>
  criticalDomainHttpsFailure
    .actionLinks('ins-1', evidence(...codes))
    .map((l) => new URL(l.href, 'https://x').pathname.split('/').at(-1));

test('a DNS failure links no PAC file and no firewall list', () => {
  assert.deepEqual(kinds([['dns/nxdomain', 40]]), []);
});

test('a proxy refusing tunnels links the PAC file; TCP drops the firewall list', () => {
  assert.deepEqual(kinds([['proxy/forbidden', 40]]), ['pac']);
  assert.deepEqual(kinds([['tcp/timeout', 40]]), ['firewall']);
});

test('a proxy that cannot reach the destination links the firewall list, not a PAC file', () => {
  assert.deepEqual(
    kinds([
      ['proxy/bad-gateway', 30],
      ['proxy/upstream-dns', 5],
    ]),
    ['firewall'],
  );
});

test('mixed causes: most frequent first, each artifact once', () => {
  assert.deepEqual(
    kinds([
      ['tcp/refused', 5],
      ['proxy/forbidden', 20],
      ['proxy/auth-required', 10],
      ['dns/servfail', 50],
    ]),
    ['pac', 'firewall'],
  );
});
