/**
 * Connections cannot be held forever: slow headers, slow bodies and idle
 * keep-alive sockets are closed after their timeouts, and beyond
 * --max-connections new sockets are closed on arrival (1,100 held
 * connections used to exhaust the file descriptors), and one client address
 * holds at most --max-connections-per-address of them. Real sockets on
 * loopback (several loopback source addresses), with one-second timeouts.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConfigError, resolveConfig } from '../src/config/server-config.ts';
import { type Fixture, startFixture } from './helpers/server-fixture.ts';

/** Resolves with what the server sent once it closes the socket, or 'open' after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const timer = setTimeout(() => resolve('open'), ms);
    socket.on('data', (d) => {
      got += d.toString();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.on('error', () => {});
  });
}

describe('connection limits', () => {
  let f: Fixture;
  let port: number;
  const sockets: Socket[] = [];
  const open = async () => {
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
    return s;
  };
  before(async () => {
    f = await startFixture({
      requestTimeoutSeconds: 1,
      headersTimeoutSeconds: 1,
      idleTimeoutSeconds: 1,
      maxConnections: 5,
    });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = f.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await f.close();
  });

  test('a slow body is cut off after --request-timeout-seconds (slow bodies used to stay open forever)', async () => {
    const s = await open();
    s.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{',
    );
    // A byte every 300 ms: never idle for a second, so only the request timeout can end it.
    const trickle = setInterval(() => s.writable && s.write(' '), 300);
    const answer = await closedWithin(s, 5000);
    clearInterval(trickle);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test('slow headers are cut off after --headers-timeout-seconds', async () => {
    const s = await open();
    s.write('GET /api/v1/openapi.json HTTP/1.1\r\nhost: x\r\n');
    assert.notEqual(await closedWithin(s, 5000), 'open');
  });

  test('an idle keep-alive connection is closed after --idle-timeout-seconds', async () => {
    const s = await open();
    s.write('GET /api/v1/openapi.json HTTP/1.1\r\nhost: x\r\n\r\n');
    const answer = await closedWithin(s, 5000);
    assert.match(answer, /^HTTP\/1\.1 200/, 'answered first');
  });

  test('beyond --max-connections a new socket is closed on arrival while the first ones stay open', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, open));
    const extra = await open();
    assert.equal(await closedWithin(extra, 2000), '', 'closed without an answer');
    for (const s of held) assert.equal(s.destroyed, false);
    for (const s of held) s.destroy();
  });
});

describe('connections per client address', () => {
  let f: Fixture;
  let port: number;
  const sockets: Socket[] = [];
  /** A socket from `from`, one of the loopback addresses (127.0.0.0/8 is all loopback on Linux). */
  const openFrom = async (from: string) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from });
    sockets.push(s);
    await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
    return s;
  };
  before(async () => {
    f = await startFixture({
      maxConnectionsPerAddress: 3,
      maxConnections: 50,
      trustedProxies: ['127.0.0.9'],
    });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = f.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await f.close();
  });

  test('one address holding its share cannot lock others out (it used to be able to take every connection)', async () => {
    const held = await Promise.all(Array.from({ length: 3 }, () => openFrom('127.0.0.2')));
    const fourth = await openFrom('127.0.0.2');
    assert.equal(
      await closedWithin(fourth, 2000),
      '',
      'the fourth from the same address is closed unanswered',
    );
    const other = await openFrom('127.0.0.3');
    other.write('GET /api/v1/openapi.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    assert.match(await closedWithin(other, 5000), /^HTTP\/1\.1 200/, 'another address is still served');
    for (const s of held) assert.equal(s.destroyed, false, 'the first three stay open');
    // A closed socket frees its place.
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await openFrom('127.0.0.2');
    again.write('GET /api/v1/openapi.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    assert.match(await closedWithin(again, 5000), /^HTTP\/1\.1 200/);
    for (const s of held) s.destroy();
  });

  test('a trusted reverse proxy carries everyone and is not limited', async () => {
    const viaProxy = await Promise.all(Array.from({ length: 6 }, () => openFrom('127.0.0.9')));
    const last = viaProxy.at(-1)!;
    last.write('GET /api/v1/openapi.json HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    assert.match(await closedWithin(last, 5000), /^HTTP\/1\.1 200/);
    for (const s of viaProxy) s.destroy();
  });
});

test('--headers-timeout-seconds above --request-timeout-seconds is a configuration error naming both', () => {
  assert.throws(
    () => resolveConfig({ flags: { headersTimeoutSeconds: '60', requestTimeoutSeconds: '30' } }),
    (err: Error) => err instanceof ConfigError && /at most requestTimeoutSeconds/.test(err.message),
  );
});
