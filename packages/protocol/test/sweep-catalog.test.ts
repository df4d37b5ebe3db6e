/**
 * The sweep's reading of an endpoint catalog (catalog/sweep-catalog.ts):
 * which entries of the shipped snapshot it dials with the shipped profile's
 * representatives, and that bad entries are skipped one by one with their
 * JSON pointer instead of failing the whole catalog.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostMatches } from '../src/catalog/host-pattern.ts';
import { SNAPSHOT_DOCUMENT, snapshotSets } from '../src/catalog/snapshot.ts';
import { planSweep } from '../src/catalog/sweep-catalog.ts';
import { DEFAULT_SWEEP_HOSTS, heavyCheck, SWEEP_HOST_ALLOWANCE } from '../src/measurement-plan.ts';
import { loadProfile } from '../src/profile-loader.ts';

const reps = loadProfile('m365').sweep?.representativeHosts ?? {};

test('the shipped profile has a representative for every HTTPS wildcard of the required Optimize and Allow sets', () => {
  const plan = planSweep(SNAPSHOT_DOCUMENT, reps);
  // Only the SMTP-only set (TCP 25) is left out: it opens no HTTPS port.
  assert.deepEqual(
    plan.skipped.map((k) => k.reason),
    plan.skipped.map(() => 'set 10 opens no HTTPS port (TCP 25)'),
  );
  const required = snapshotSets().filter((s) => s.required && s.category !== 'Default');
  const httpsEntries = new Set(
    required.filter((s) => s.tcpPorts.some((r) => r.from <= 443 && 443 <= r.to)).flatMap((s) => s.urls),
  );
  assert.equal(plan.targets.length, httpsEntries.size);
  for (const t of plan.targets) {
    const entry = t.pattern ?? t.host;
    assert.ok(httpsEntries.has(entry), `${entry} is a required Optimize/Allow HTTPS entry`);
    assert.ok(hostMatches(t.host, entry), `${t.host} is covered by ${entry}`);
    for (const id of t.sets) assert.ok(required.find((s) => s.id === id)?.urls.includes(entry));
  }
});

test('a host listed by two sets is swept once and names both, Optimize winning', () => {
  const doc = [
    { id: 7, serviceArea: 'Skype', category: 'Allow', required: true, tcpPorts: '443', urls: ['x.example'] },
    {
      id: 3,
      serviceArea: 'Exchange',
      category: 'Optimize',
      required: true,
      tcpPorts: '443',
      urls: ['X.example'],
    },
  ];
  const plan = planSweep(doc);
  assert.deepEqual(plan.targets, [
    { host: 'x.example', sets: [7, 3], serviceAreas: ['Skype', 'Exchange'], category: 'Optimize' },
  ]);
});

test('bad entries are skipped one by one, each with its pointer and why', () => {
  const doc = [
    null,
    {
      id: 1,
      serviceArea: 'Common',
      category: 'Allow',
      required: true,
      tcpPorts: '443',
      urls: ['ok.example', 'http://bad/x', '*.wild.example', 7],
    },
    {
      id: 2,
      serviceArea: 'Common',
      category: 'Allow',
      required: true,
      tcpPorts: '443-80',
      urls: ['ports.example'],
    },
    {
      id: 0,
      serviceArea: 'Common',
      category: 'Allow',
      required: true,
      tcpPorts: '443',
      urls: ['noid.example'],
    },
    { id: 4, serviceArea: 'Common', category: 'Allow', required: true, tcpPorts: '443', urls: 'one.example' },
    {
      id: 5,
      serviceArea: 'Common',
      category: 'Default',
      required: true,
      tcpPorts: '443',
      urls: ['http://ignored'],
    },
  ];
  const plan = planSweep(doc, {});
  assert.deepEqual(
    plan.targets.map((t) => t.host),
    ['ok.example'],
  );
  assert.deepEqual(
    plan.skipped.map((k) => k.path),
    ['/0', '/1/urls/1', '/1/urls/2', '/1/urls/3', '/2/tcpPorts', '/3/id', '/4/urls'],
  );
  assert.match(plan.skipped[2]?.reason ?? '', /no representative host/);
  assert.match(plan.skipped[4]?.reason ?? '', /reversed range/);
});

test('a document that is not an array is one skipped entry, not an exception', () => {
  assert.deepEqual(planSweep('nonsense').targets, []);
  assert.equal(planSweep({}).skipped[0]?.path, '');
});

test('a catalog of more hosts than a report holds is swept up to the bound, the rest listed as skipped', () => {
  const urls = Array.from({ length: 1005 }, (_, i) => `h${i}.example`);
  const plan = planSweep([
    { id: 1, serviceArea: 'Common', category: 'Allow', required: true, tcpPorts: '443', urls },
  ]);
  assert.equal(plan.targets.length, 1000);
  assert.equal(plan.skipped.length, 5);
  assert.match(plan.skipped[0]?.reason ?? '', /at most 1000 hosts/);
});

test("the sweep's worst case: the catalog's hosts at the per-host allowance, and the collector's guess above the snapshot", () => {
  const profile = loadProfile('m365');
  const hosts = planSweep(SNAPSHOT_DOCUMENT, profile.sweep?.representativeHosts ?? {}).targets.length;
  // The collector plans without the tenant's catalog at hand: its guess must not be below what agents sweep.
  assert.ok(DEFAULT_SWEEP_HOSTS >= hosts, `${DEFAULT_SWEEP_HOSTS} < ${hosts} hosts in the snapshot`);
  const sweep = heavyCheck('sweep');
  assert.equal(sweep?.worstCaseBytes(profile, { sweepHosts: hosts }), hosts * SWEEP_HOST_ALLOWANCE);
  assert.equal(sweep?.worstCaseBytes(profile), DEFAULT_SWEEP_HOSTS * SWEEP_HOST_ALLOWANCE);
  // A host measured dearer than the allowance raises the reservation, a cheaper one never lowers it.
  assert.equal(sweep?.worstCaseBytes(profile, { sweepHosts: 10, sweepHostBytes: 100_000 }), 1_000_000);
  assert.equal(
    sweep?.worstCaseBytes(profile, { sweepHosts: 10, sweepHostBytes: 10 }),
    10 * SWEEP_HOST_ALLOWANCE,
  );
});
