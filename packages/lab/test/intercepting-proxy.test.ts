/**
 * @module intercepting-proxy.test
 * The TLS-inspecting proxy: clients see a chain minted by the vendor CA,
 * HTTP/2 is downgraded unless configured otherwise, and requests and
 * WebSocket upgrades still reach the real origin behind it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { FRONT_DOOR_SERVER_HEADER } from '../src/front-door.ts';
import { type InterceptingProxy, startInterceptingProxy } from '../src/middleboxes/intercepting-proxy.ts';
import { type CertificateAuthority, createRootCa } from '../src/pki.ts';
import { type Origin, startOrigin } from './fixtures.ts';
import { echo, http1Get, http2Get, openTunnel, openWebSocket, tlsOver } from './helpers.ts';

describe('intercepting proxy', () => {
  let origin: Origin;
  let vendorRoot: CertificateAuthority;
  let downgrading: InterceptingProxy;
  let h2Capable: InterceptingProxy;

  before(async () => {
    origin = await startOrigin();
    vendorRoot = await createRootCa({ commonName: 'Zscaler Root CA', organization: 'Zscaler Inc.' });
    const signer = await vendorRoot.issueIntermediate('Zscaler Intermediate Root CA', 'Zscaler Inc.');
    const common = { lookup: origin.lookup, ca: signer, originTrust: [origin.root.certPem] };
    downgrading = await startInterceptingProxy({ ...common, name: 'swg-h1' });
    h2Capable = await startInterceptingProxy({ ...common, name: 'swg-h2', alpn: ['h2', 'http/1.1'] });
  });
  after(async () => {
    await downgrading.close();
    await h2Capable.close();
    await origin.close();
  });

  it('re-signs with the vendor CA and offers only HTTP/1.1', async () => {
    const tunnel = await openTunnel(downgrading.port, `m365.cloud.microsoft:${origin.door.port}`);
    assert.equal(tunnel.status, 200);
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'm365.cloud.microsoft',
      ca: [vendorRoot.certPem],
    });
    assert.equal(socket.authorized, true, 'trusted through the vendor root');
    const peer = socket.getPeerCertificate(true);
    assert.equal(peer.subject.CN, 'm365.cloud.microsoft');
    assert.equal(peer.issuer.CN, 'Zscaler Intermediate Root CA');
    assert.equal(peer.issuer.O, 'Zscaler Inc.');
    assert.equal(socket.alpnProtocol, 'http/1.1', 'h2 was offered but not accepted');
    const text = await http1Get(socket, 'm365.cloud.microsoft');
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(
      text,
      new RegExp(`\\r\\nserver: ${FRONT_DOOR_SERVER_HEADER}\\r\\n`, 'i'),
      'answer came from the origin',
    );
    assert.equal(downgrading.inspected.requests, 1);
  });

  it('is untrusted for a client that only trusts the genuine root', async () => {
    const tunnel = await openTunnel(downgrading.port, `m365.cloud.microsoft:${origin.door.port}`);
    await assert.rejects(
      tlsOver({ socket: tunnel.socket, servername: 'm365.cloud.microsoft', ca: [origin.root.certPem] }),
      /unable to get local issuer|self-signed|UNABLE_TO_GET_ISSUER/i,
    );
  });

  it('keeps HTTP/2 when configured to offer it, still forwarding to the origin', async () => {
    const tunnel = await openTunnel(h2Capable.port, `res.public.onecdn.static.microsoft:${origin.door.port}`);
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'res.public.onecdn.static.microsoft',
      ca: [vendorRoot.certPem],
    });
    assert.equal(socket.alpnProtocol, 'h2');
    const res = await http2Get(socket, 'res.public.onecdn.static.microsoft', '/download?bytes=100000');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 100_000);
    assert.equal(res.headers.server, FRONT_DOOR_SERVER_HEADER);
  });

  it('forwards WebSocket upgrades to the origin echo', async () => {
    const tunnel = await openTunnel(downgrading.port, `substrate.office.com:${origin.door.port}`);
    const ws = await openWebSocket(`wss://substrate.office.com:${origin.door.port}/hub`, () =>
      tls.connect({
        socket: tunnel.socket,
        servername: 'substrate.office.com',
        ca: [vendorRoot.certPem],
        ALPNProtocols: ['http/1.1'],
      }),
    );
    assert.equal(await echo(ws, 'through the interceptor'), 'through the interceptor');
    ws.terminate();
  });

  it('drops a client that sends garbage instead of a TLS handshake, and keeps serving', async () => {
    const tunnel = await openTunnel(downgrading.port, `m365.cloud.microsoft:${origin.door.port}`);
    const closed = new Promise<void>((resolve) => tunnel.socket.once('close', () => resolve()));
    tunnel.socket.on('error', () => {});
    tunnel.socket.write('GET / HTTP/1.1\r\nHost: m365.cloud.microsoft\r\n\r\n');
    await closed;
    const again = await openTunnel(downgrading.port, `m365.cloud.microsoft:${origin.door.port}`);
    const socket = await tlsOver({
      socket: again.socket,
      servername: 'm365.cloud.microsoft',
      ca: [vendorRoot.certPem],
    });
    assert.match(await http1Get(socket, 'm365.cloud.microsoft'), /^HTTP\/1\.1 200 /);
  });

  it('answers 502 with Via when the origin cannot be resolved', async () => {
    const tunnel = await openTunnel(downgrading.port, `unknown.example:${origin.door.port}`);
    // The leaf is minted for any name; the failure shows once a request is forwarded.
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'unknown.example',
      ca: [vendorRoot.certPem],
    });
    const text = await http1Get(socket, 'unknown.example');
    assert.match(text, /^HTTP\/1\.1 502 /);
    assert.match(text, /\r\nvia: 1\.1 swg-h1/i);
  });
});
