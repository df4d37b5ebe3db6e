import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogError, parseCatalog, parseCatalogText } from '@netinsights/protocol/catalog/parse-catalog.ts';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';
import { snapshotDoc } from './fixtures.ts';

test('the shipped snapshot parses: 63 sets, Optimize 3 / Allow 7 / Default 53, 199 URLs, 129 IP ranges', () => {
  const { sets } = snapshotCatalog();
  assert.equal(sets.length, 63);
  const count = (c: string) => sets.filter((s) => s.category === c).length;
  assert.deepEqual([count('Optimize'), count('Allow'), count('Default')], [3, 7, 53]);
  assert.equal(
    sets.reduce((n, s) => n + s.urls.length, 0),
    199,
  );
  assert.equal(
    sets.reduce((n, s) => n + s.ips.length, 0),
    129,
  );
});

test('port strings with spaces and lists become merged ranges', () => {
  const { sets } = snapshotCatalog();
  const set2 = sets.find((s) => s.id === 2)!;
  assert.deepEqual(
    set2.tcpPorts.map((p) => p.from),
    [143, 587, 993, 995],
  );
  const set11 = sets.find((s) => s.id === 11)!;
  // "3478,3479,3480,3481" is one contiguous range.
  assert.deepEqual(set11.udpPorts, [{ from: 3478, to: 3481 }]);
  assert.deepEqual(set11.tcpPorts, []);
});

function problems(doc: unknown): CatalogError {
  try {
    parseCatalog(doc, 'test.json');
  } catch (err) {
    assert.ok(err instanceof CatalogError, `expected CatalogError, got ${String(err)}`);
    return err;
  }
  assert.fail('the catalog was accepted');
}

test('a wrong category is reported with the index, the set id and the value', () => {
  const doc = snapshotDoc();
  doc[5]!.category = 'Optimise';
  const err = problems(doc);
  assert.equal(err.code, 'NI_ERR_CATALOG_INVALID');
  assert.equal(err.issues[0]!.path, '/5/category');
  assert.match(
    err.message,
    /\/5\/category: must be one of Optimize, Allow, Default, got "Optimise" \(set 11\)/,
  );
});

test('bad CIDR, bad ports, duplicate ids and missing fields are each named', () => {
  const doc = snapshotDoc();
  (doc[0]!.ips as string[])[2] = '13.107.128.0';
  doc[1]!.tcpPorts = '143, 99999';
  doc[2]!.id = 1;
  delete doc[3]!.required;
  (doc[4]!.urls as string[])[0] = 'https://outlook.office.com/mail';
  const err = problems(doc);
  const byPath = new Map(err.issues.map((i) => [i.path, i.message]));
  assert.match(byPath.get('/0/ips/2') ?? '', /no prefix length/);
  assert.match(byPath.get('/1/tcpPorts') ?? '', /"99999" outside 1-65535/);
  assert.match(byPath.get('/2/id') ?? '', /1 is already used by the set at index 0/);
  assert.match(byPath.get('/3/required') ?? '', /must be true or false, got undefined/);
  assert.match(byPath.get('/4/urls/0') ?? '', /looks like a URL/);
  assert.match(err.message, /and 4 more problems/);
});

test('a set with neither urls nor ips, or neither port list, is refused', () => {
  const err = problems([
    { id: 7, serviceArea: 'Common', category: 'Default', required: true, expressRoute: false },
  ]);
  const paths = err.issues.map((i) => i.path);
  assert.deepEqual(paths, ['/0/urls', '/0/tcpPorts']);
});

test('not JSON, not an array, and an empty array are refused with a sentence', () => {
  assert.throws(
    () => parseCatalogText('[{"id": 1,', 'broken.json'),
    /endpoint catalog broken\.json is invalid: \/: is not valid JSON/,
  );
  assert.throws(
    () => parseCatalog({ value: [] }, 'obj.json'),
    /expected a JSON array of endpoint sets, got an object/,
  );
  assert.throws(() => parseCatalog([], 'empty.json'), /has no endpoint sets/);
  assert.throws(() => parseCatalog([42], 'num.json'), /\/0: endpoint set must be an object, got number 42/);
});

test('URL patterns are kept lower-case and unknown fields are ignored', () => {
  const [set] = parseCatalog([
    {
      id: 500,
      serviceArea: 'Common',
      urls: ['*.Example.CLOUD.microsoft'],
      tcpPorts: '443',
      category: 'Default',
      required: false,
      expressRoute: false,
      futureField: { anything: true },
    },
  ]);
  assert.deepEqual(set!.urls, ['*.example.cloud.microsoft']);
  assert.equal('futureField' in set!, false);
});
