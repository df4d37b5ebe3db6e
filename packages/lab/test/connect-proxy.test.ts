/**
 * @module connect-proxy.test
 * The plain CONNECT proxy: tunnels TLS end to end (the origin's own chain
 * arrives), answers its own errors with `Via`, and shrugs off garbage.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FRONT_DOOR_SERVER_HEADER } from '../src/front-door.ts';
import { type ConnectProxy, parseAuthority, startConnectProxy } from '../src/middleboxes/connect-proxy.ts';
import { listenTcp } from '../src/util/listen.ts';
import { type Origin, startOrigin } from './fixtures.ts';
import { http2Get, openTunnel, rawExchange, tlsOver } from './helpers.ts';

describe('CONNECT proxy', () => {
  let origin: Origin;
  let proxy: ConnectProxy;

  before(async () => {
    origin = await startOrigin();
    proxy = await startConnectProxy({ name: 'test-proxy', lookup: origin.lookup });
  });
  after(async () => {
    await proxy.close();
    await origin.close();
  });

  it('tunnels TLS to the origin untouched: origin chain, h2, origin headers', async () => {
    const tunnel = await openTunnel(proxy.port, `m365.cloud.microsoft:${origin.door.port}`);
    assert.equal(tunnel.status, 200);
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'm365.cloud.microsoft',
      ca: [origin.root.certPem],
    });
    assert.equal(socket.authorized, true);
    assert.equal(socket.getPeerCertificate().issuer.CN, 'Origin Test Issuing CA');
    assert.equal(socket.alpnProtocol, 'h2');
    const res = await http2Get(socket, 'm365.cloud.microsoft');
    assert.equal(res.status, 200);
    assert.equal(res.headers.server, FRONT_DOOR_SERVER_HEADER);
  });

  it('answers 502 with Via when the destination refuses or cannot be resolved', async () => {
    const closed = createServer();
    const port = await listenTcp(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await openTunnel(proxy.port, `m365.cloud.microsoft:${port}`);
    assert.equal(refused.status, 502);
    assert.match(refused.head, /\r\nVia: 1\.1 test-proxy/);
    const unknown = await openTunnel(proxy.port, `unknown.example:${origin.door.port}`);
    assert.equal(unknown.status, 502);
    assert.match(unknown.body, /cannot resolve unknown\.example/);
  });

  it('answers 400 to a malformed CONNECT target and 405 to other methods', async () => {
    const bad = await openTunnel(proxy.port, 'no-port-here');
    assert.equal(bad.status, 400);
    const get = await rawExchange(
      proxy.port,
      'GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n',
    );
    assert.match(get, /^HTTP\/1\.1 405 /);
    assert.match(get, /\r\nvia: 1\.1 test-proxy/i);
  });

  it('answers garbage with 400 and keeps working', async () => {
    const answer = await rawExchange(proxy.port, randomBytes(2048));
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.equal((await openTunnel(proxy.port, `m365.cloud.microsoft:${origin.door.port}`)).status, 200);
  });

  it('parses CONNECT authorities strictly', () => {
    assert.deepEqual(parseAuthority('a.example:443'), { host: 'a.example', port: 443 });
    assert.deepEqual(parseAuthority('[::1]:8443'), { host: '::1', port: 8443 });
    assert.equal(parseAuthority('a.example:0'), undefined);
    assert.equal(parseAuthority('a.example:70000'), undefined);
    assert.equal(parseAuthority('a.example'), undefined);
    assert.equal(parseAuthority('a b:1'), undefined);
  });
});
