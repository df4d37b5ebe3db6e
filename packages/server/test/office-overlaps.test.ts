/**
 * Overlap detection without all pairs: the sorted range index finds exactly
 * the overlaps the pairwise check finds, and an office CSV with thousands of
 * ranges is checked with every range parsed once (20 rows × 100 /32s used to
 * block the event loop for 15 s), with the import's total work bounded.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Cidr, overlaps, parseCidr, parseNormalisedCidr } from '../src/net/cidr.ts';
import { RangeIndex } from '../src/net/range-index.ts';
import { parseOfficeCsv } from '../src/offices/csv-import.ts';
import { checkOfficeInput } from '../src/offices/office-input.ts';

/** Mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCidr(rand: () => number): Cidr {
  const v6 = rand() < 0.3;
  const bits = v6 ? 96 + Math.floor(rand() * 33) : 20 + Math.floor(rand() * 13);
  // Few distinct networks, so that nesting and equal ranges are common.
  const text = v6
    ? `2001:db8::${Math.floor(rand() * 4).toString(16)}:${Math.floor(rand() * 4).toString(16)}`
    : `10.${Math.floor(rand() * 2)}.${Math.floor(rand() * 4)}.${Math.floor(rand() * 4)}`;
  const ip = parseCidr(text) as Cidr;
  const masked = parseCidr(`${text}/${bits}`);
  if (typeof masked !== 'string') return masked;
  // Host bits set: the parser suggests the network.
  const suggested = /did you mean (\S+)\?/.exec(masked)?.[1];
  return suggested ? (parseCidr(suggested) as Cidr) : ip;
}

describe('RangeIndex', () => {
  test('finds exactly the overlaps the pairwise check finds (IPv4 and IPv6, nested, equal, disjoint)', () => {
    const rand = prng(18);
    const ranges = Array.from({ length: 400 }, () => randomCidr(rand));
    const index = new RangeIndex<number>();
    for (const [i, c] of ranges.entries()) index.add(c, i);
    for (let q = 0; q < 200; q++) {
      const probe = randomCidr(rand);
      const expected = ranges.flatMap((c, i) => (overlaps(probe, c) ? [i] : [])).sort((a, b) => a - b);
      const got = index
        .overlapping(probe)
        .map((h) => h.owner)
        .sort((a, b) => a - b);
      assert.deepEqual(got, expected, `query ${probe.text}`);
    }
  });

  test('a range is found by the ranges inside it and by the ranges around it', () => {
    const index = new RangeIndex<string>();
    for (const t of ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32', '192.0.2.0/24', '2001:db8::/32'])
      index.add(parseCidr(t) as Cidr, t);
    const hits = (t: string) =>
      index
        .overlapping(parseCidr(t) as Cidr)
        .map((h) => h.owner)
        .sort();
    assert.deepEqual(hits('10.1.0.0/16'), ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32']);
    assert.deepEqual(hits('10.1.2.0/24'), ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32']);
    assert.deepEqual(hits('0.0.0.0/0'), ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32', '192.0.2.0/24']);
    assert.deepEqual(hits('11.0.0.0/8'), []);
    assert.deepEqual(hits('2001:db8:1::/48'), ['2001:db8::/32']);
  });
});

const HEADER = 'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges';
const hosts = (row: number, n: number) =>
  Array.from({ length: n }, (_, i) => `10.${row}.${Math.floor(i / 250)}.${(i % 250) + 1}/32`).join(' ');

describe('office CSV import: overlap check is near-linear and bounded', () => {
  test('20 rows × 100 /32 subnets (the 15 s CSV) are checked, and the one real overlap is named by its row', async () => {
    const lines = Array.from({ length: 20 }, (_, r) => `Office ${r},,Oslo,NO,59.9,10.7,${hosts(r, 100)},`);
    lines.push('Clash,,Oslo,NO,59.9,10.7,10.3.0.0/24,');
    const existing = [
      {
        id: 'o1',
        name: 'Paris',
        address: null,
        city: 'Paris',
        country: 'FR',
        latitude: 48.8,
        longitude: 2.3,
        lanSubnets: ['10.7.0.50/32'],
        egressRanges: [],
      },
    ];
    const { offices, issues } = await parseOfficeCsv([HEADER, ...lines].join('\n'), existing);
    assert.equal(offices.length, 0, 'nothing is imported while a row is bad');
    assert.deepEqual(
      issues.map((i) => [i.row, i.column]),
      [[9, 'lan_subnets'], ...Array.from({ length: 100 }, () => [22, 'lan_subnets'])],
    );
    assert.match(issues[0]!.message, /10\.7\.0\.50\/32 overlaps 10\.7\.0\.50\/32 of office "Paris"/);
    assert.match(issues[1]!.message, /10\.3\.0\.0\/24 overlaps 10\.3\.0\.\d+\/32 of row 5/);

    const clean = await parseOfficeCsv([HEADER, ...lines.slice(0, 20)].join('\n'), []);
    assert.deepEqual(clean.issues, []);
    assert.equal(clean.offices.length, 20);
  });

  test('an import with more than 50,000 ranges in all is refused before any overlap is checked', async () => {
    const lines = Array.from({ length: 200 }, (_, r) => `O${r},,Oslo,NO,59.9,10.7,${hosts(r, 251)},`);
    const { offices, issues } = await parseOfficeCsv([HEADER, ...lines].join('\n'), []);
    assert.equal(offices.length, 0);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /at most 50000 subnets and ranges per import/);
  });

  test('one office listing the same range twice, or nested ranges, is told which earlier entry it overlaps', () => {
    const { issues } = checkOfficeInput({
      name: 'A',
      city: 'Oslo',
      country: 'NO',
      latitude: 1,
      longitude: 1,
      lanSubnets: ['10.0.0.0/16', '192.0.2.0/24', '10.0.5.0/24', '192.0.2.0/24'],
      egressRanges: [],
    });
    assert.deepEqual(issues, [
      { path: '/lanSubnets/2', message: 'overlaps 10.0.0.0/16 in the same list' },
      { path: '/lanSubnets/3', message: 'overlaps 192.0.2.0/24 in the same list' },
    ]);
  });
});

test('parseNormalisedCidr agrees with parseCidr on normalised text, and falls back on anything else', () => {
  for (const t of ['10.0.0.0/8', '192.0.2.7/32', '0.0.0.0/0', '2001:db8::/48', '10.1.2.0/24'])
    assert.deepEqual(parseNormalisedCidr(t), parseCidr(t), t);
  for (const t of ['010.0.0.0/8', '10.0.0.5/24', '300.0.0.0/8', '10.0.0.0/33'])
    assert.deepEqual(parseNormalisedCidr(t), parseCidr(t), t);
});

test('the IPv4 shortcut gives what the general parser gives (bare hosts, /0, host bits, leading zeros)', () => {
  assert.deepEqual(parseCidr('10.0.0.5'), {
    text: '10.0.0.5/32',
    family: 'ipv4',
    bytes: [10, 0, 0, 5],
    bits: 32,
  });
  assert.deepEqual(parseCidr(' 0.0.0.0/0 '), {
    text: '0.0.0.0/0',
    family: 'ipv4',
    bytes: [0, 0, 0, 0],
    bits: 0,
  });
  assert.match(
    parseCidr('10.0.0.5/24') as string,
    /host bits set after the \/24 prefix; did you mean 10\.0\.0\.0\/24/,
  );
  assert.match(parseCidr('10.0.0.256/32') as string, /not a valid CIDR/);
  assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), parseCidr('10.0.0.0/8'));
});
