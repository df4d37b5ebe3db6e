/**
 * @module websocket-breaking-proxy.test
 * Both ways of breaking WebSockets, while ordinary HTTPS through the same
 * proxy keeps working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tls from 'node:tls';
import {
  startWebSocketBreakingProxy,
  type WebSocketBreakingProxy,
} from '../src/middleboxes/websocket-breaking-proxy.ts';
import { type CertificateAuthority, createRootCa } from '../src/pki.ts';
import { type Origin, startOrigin } from './fixtures.ts';
import { DEADLINE_MS, echo, http2Get, openTunnel, openWebSocket, tlsOver } from './helpers.ts';

const WS_HOST = 'substrate.office.com';

describe('WebSocket-breaking proxy', () => {
  let origin: Origin;
  let gatewayCa: CertificateAuthority;
  let refusing: WebSocketBreakingProxy;
  let resetting: WebSocketBreakingProxy;

  before(async () => {
    origin = await startOrigin();
    gatewayCa = await createRootCa({ commonName: 'Contoso Web Inspection CA', organization: 'Contoso Ltd' });
    refusing = await startWebSocketBreakingProxy({
      name: 'swg-nows',
      lookup: origin.lookup,
      webSocketHosts: [WS_HOST],
      mode: 'refuse',
      ca: gatewayCa,
      originTrust: [origin.root.certPem],
    });
    resetting = await startWebSocketBreakingProxy({
      name: 'fw-idle',
      lookup: origin.lookup,
      webSocketHosts: [WS_HOST],
      mode: 'reset-after',
      resetAfterMs: 300,
    });
  });
  after(async () => {
    await refusing.close();
    await resetting.close();
    await origin.close();
  });

  const wsVia = async (proxyPort: number, ca: string[]) => {
    const tunnel = await openTunnel(proxyPort, `${WS_HOST}:${origin.door.port}`);
    return openWebSocket(`wss://${WS_HOST}:${origin.door.port}/m365Copilot/Chathub/x`, () =>
      tls.connect({ socket: tunnel.socket, servername: WS_HOST, ca, ALPNProtocols: ['http/1.1'] }),
    );
  };

  it('refuse: answers the upgrade with 403 from the gateway', async () => {
    await assert.rejects(
      wsVia(refusing.port, [gatewayCa.certPem]),
      (err: Error & { status?: number; headers?: Record<string, string> }) => {
        assert.equal(err.status, 403);
        assert.match(String(err.headers?.via), /swg-nows/);
        return true;
      },
    );
    assert.equal(refusing.broken(), 1);
  });

  it('refuse: other hosts pass untouched with the origin chain', async () => {
    const tunnel = await openTunnel(refusing.port, `m365.cloud.microsoft:${origin.door.port}`);
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'm365.cloud.microsoft',
      ca: [origin.root.certPem],
    });
    assert.equal(socket.authorized, true);
    assert.equal((await http2Get(socket, 'm365.cloud.microsoft')).status, 200);
  });

  it('reset-after: the socket opens and echoes, then is killed while held', async () => {
    const ws = await wsVia(resetting.port, [origin.root.certPem]);
    assert.equal(await echo(ws, 'hello'), 'hello');
    const opened = Date.now();
    const code = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the proxy never killed the socket')), DEADLINE_MS);
      ws.on('error', () => {});
      ws.once('close', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    // 1006: closed without a close frame (RFC 6455 §7.1.5), i.e. killed, not closed by the origin.
    assert.equal(code, 1006);
    assert.ok(Date.now() - opened >= 150, 'killed after it was held, not at once');
    assert.equal(resetting.broken(), 1);
  });

  it('reset-after: tunnels to other hosts are left alone', async () => {
    const tunnel = await openTunnel(resetting.port, `m365.cloud.microsoft:${origin.door.port}`);
    const socket = await tlsOver({
      socket: tunnel.socket,
      servername: 'm365.cloud.microsoft',
      ca: [origin.root.certPem],
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(socket.destroyed, false);
    assert.equal((await http2Get(socket, 'm365.cloud.microsoft')).status, 200);
  });
});
