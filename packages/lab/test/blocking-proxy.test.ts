/**
 * @module blocking-proxy.test
 * The allow-list proxy: 403 and a block page for denied suffixes, a working
 * tunnel for everything else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDenied, startBlockingProxy } from '../src/middleboxes/blocking-proxy.ts';
import type { ConnectProxy } from '../src/middleboxes/connect-proxy.ts';
import { type Origin, startOrigin } from './fixtures.ts';
import { openTunnel, tlsOver } from './helpers.ts';

describe('blocking proxy', () => {
  let origin: Origin;
  let proxy: ConnectProxy;

  before(async () => {
    origin = await startOrigin();
    proxy = await startBlockingProxy({
      name: 'corp-proxy',
      lookup: origin.lookup,
      deniedSuffixes: ['static.microsoft'],
    });
  });
  after(async () => {
    await proxy.close();
    await origin.close();
  });

  it('refuses CONNECT to a denied suffix with 403, Via and a block page', async () => {
    const r = await openTunnel(proxy.port, `res.public.onecdn.static.microsoft:${origin.door.port}`);
    assert.equal(r.status, 403);
    assert.match(r.head, /\r\nVia: 1\.1 corp-proxy/);
    assert.match(r.head, /\r\nContent-Type: text\/html/);
    assert.match(r.body, /blocked/);
    assert.match(r.body, /res\.public\.onecdn\.static\.microsoft/);
    assert.equal(proxy.stats.refused, 1);
  });

  it('tunnels names outside the denied suffixes', async () => {
    const r = await openTunnel(proxy.port, `m365.cloud.microsoft:${origin.door.port}`);
    assert.equal(r.status, 200);
    const tls = await tlsOver({
      socket: r.socket,
      servername: 'm365.cloud.microsoft',
      ca: [origin.root.certPem],
    });
    assert.equal(tls.authorized, true);
    tls.destroy();
  });

  it('matches whole labels only', () => {
    assert.equal(isDenied('static.microsoft', ['static.microsoft']), 'static.microsoft');
    assert.equal(isDenied('A.Static.Microsoft.', ['static.microsoft']), 'static.microsoft');
    assert.equal(isDenied('notstatic.microsoft', ['static.microsoft']), undefined);
  });
});
