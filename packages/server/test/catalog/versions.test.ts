import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CatalogError, parseCatalog } from '@netinsights/protocol/catalog/parse-catalog.ts';
import { makeVersion } from '../../src/catalog/catalog-version.ts';
import { diffCatalogs, formatDiff, isEmptyDiff } from '../../src/catalog/diff.ts';
import { readCatalogSource } from '../../src/catalog/read-source.ts';
import { snapshotCatalog } from '../../src/catalog/snapshot.ts';
import { CatalogVersionDir } from '../../src/catalog/version-dir.ts';
import { rawSet, snapshotDoc } from './fixtures.ts';

/** The snapshot with a realistic batch of changes applied. */
function newerDoc() {
  const doc = snapshotDoc();
  rawSet(doc, 184).category = 'Allow';
  (rawSet(doc, 193).urls as string[]).push('*.files.microsoft');
  rawSet(doc, 1).tcpPorts = '443';
  (rawSet(doc, 9).ips as string[]).shift();
  const removed = doc.findIndex((s) => s.id === 17);
  doc.splice(removed, 1);
  doc.push({
    id: 999,
    serviceArea: 'Common',
    urls: ['*.new.microsoft'],
    tcpPorts: '443',
    category: 'Default',
    required: true,
    expressRoute: false,
  });
  return doc;
}

test('the diff names added and removed sets and each changed field', () => {
  const a = snapshotCatalog();
  const b = makeVersion(parseCatalog(newerDoc()), 'newer.json');
  const d = diffCatalogs(a, b);
  assert.deepEqual(
    d.addedSets.map((s) => s.id),
    [999],
  );
  assert.deepEqual(
    d.removedSets.map((s) => s.id),
    [17],
  );
  assert.deepEqual(
    d.changedSets.map((c) => c.id),
    [1, 9, 184, 193],
  );
  const byId = new Map(d.changedSets.map((c) => [c.id, c]));
  assert.deepEqual(byId.get(184)!.category, { from: 'Default', to: 'Allow' });
  assert.deepEqual(byId.get(193)!.urls, { added: ['*.files.microsoft'], removed: [] });
  assert.deepEqual(byId.get(1)!.tcpPorts, { from: '80,443', to: '443' });
  assert.deepEqual(byId.get(9)!.ips, { added: [], removed: ['40.92.0.0/15'] });
  assert.equal(byId.get(1)!.category, undefined);
  const text = formatDiff(d);
  assert.match(text, /category: Default → Allow/);
  assert.match(text, /\+ set 999/);
  assert.match(text, /- set 17/);
  assert.ok(isEmptyDiff(diffCatalogs(a, a)));
});

test('version ids depend on content only', () => {
  const a = makeVersion(parseCatalog(snapshotDoc()), 'x', new Date(0));
  const b = makeVersion(parseCatalog(snapshotDoc().reverse()), 'y', new Date());
  assert.equal(a.id, b.id);
  assert.equal(a.id, snapshotCatalog().id);
  assert.notEqual(makeVersion(parseCatalog(newerDoc()), 'z').id, a.id);
});

test('imports are versioned; a malformed import names the problem and leaves the catalog in force', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ni-catalog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new CatalogVersionDir(dir);
  assert.equal((await store.current()).source, 'snapshot', 'nothing imported: the snapshot is in force');

  const first = await store.import(JSON.stringify(newerDoc()), 'newer.json');
  assert.equal(first.created, true);
  assert.equal(first.previous.id, snapshotCatalog().id);
  assert.deepEqual(
    first.diff.addedSets.map((s) => s.id),
    [999],
  );
  assert.equal((await store.current()).id, first.version.id);

  const bad = newerDoc();
  bad[3]!.tcpPorts = '443,eighty';
  await assert.rejects(store.import(JSON.stringify(bad), 'bad.json'), (err: unknown) => {
    assert.ok(err instanceof CatalogError);
    assert.match(err.message, /bad\.json is invalid: \/3\/tcpPorts: has "eighty", which is neither a port/);
    return true;
  });
  await assert.rejects(
    store.import('{"truncated": ', 'cut.json'),
    /cut\.json is invalid: \/: is not valid JSON/,
  );
  assert.equal((await store.current()).id, first.version.id, 'still the good import');
  assert.equal((await readdir(join(dir, 'versions'))).length, 1, 'nothing written for the bad files');

  const again = await store.import(JSON.stringify(snapshotDoc()), 'copy-of-snapshot.json');
  assert.equal(again.created, true);
  assert.equal(again.version.id, snapshotCatalog().id);
  const back = await store.import(JSON.stringify(newerDoc()), 'newer-again.json');
  assert.equal(back.created, false, 'same content: same version');
  assert.equal(back.version.source, 'newer.json');
  const list = await store.list();
  assert.equal(list.length, 2);
  assert.deepEqual(
    list.filter((v) => v.current).map((v) => v.id),
    [first.version.id],
  );
  assert.equal((await store.read(first.version.id.slice(0, 6))).id, first.version.id, 'id prefix works');
  await assert.rejects(store.read('c'), /matches 2 versions/);
});

test('a catalog is read from a URL, and HTTP errors are named', async (t) => {
  const body = JSON.stringify(snapshotDoc());
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/endpoints/worldwide'))
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  assert.equal(
    await readCatalogSource(
      `${base}/endpoints/worldwide?clientrequestid=b10c5ed1-bad1-445f-b386-b919946339a7`,
    ),
    body,
  );
  await assert.rejects(readCatalogSource(`${base}/missing`), /answered HTTP 404/);
  await assert.rejects(
    readCatalogSource(`${base}/endpoints/worldwide`, { maxBytes: 1000 }),
    /larger than 1000 bytes/,
  );
  await assert.rejects(
    readCatalogSource('/nonexistent/catalog.json'),
    /cannot read \/nonexistent\/catalog\.json/,
  );
});
