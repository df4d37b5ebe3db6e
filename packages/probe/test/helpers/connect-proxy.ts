/**
 * @module test/helpers/connect-proxy
 * A minimal HTTP CONNECT proxy for tests: tunnels to 127.0.0.1 on the
 * requested port (names are the test profile's, pinned to loopback), or
 * answers the way broken corporate proxies do — 403 for denied domains, 407,
 * or garbage.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface ProxyOptions {
  /** Domain suffixes answered with 403 (squid-like headers included). */
  deny?: string[];
  mode?: 'tunnel' | 'auth-required' | 'garbage' | 'silent';
}

export interface TestProxy {
  port: number;
  url: string;
  /** CONNECT targets seen, in order. */
  seen: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(opts: ProxyOptions = {}): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const seen: string[] = [];
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const [method, authority = ''] = buffered.subarray(0, end).toString('latin1').split(/\s+/);
      seen.push(authority);
      const host = authority.replace(/:\d+$/, '');
      const port = Number(/:(\d+)$/.exec(authority)?.[1] ?? 443);
      if (opts.mode === 'silent') return;
      if (opts.mode === 'garbage') {
        client.end('\x00\x01garbage that is not HTTP\r\n\r\n');
        return;
      }
      if (opts.mode === 'auth-required') {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
      if (method !== 'CONNECT' || opts.deny?.some((d) => host === d || host.endsWith(`.${d}`))) {
        client.end(
          'HTTP/1.1 403 Forbidden\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nVia: 1.1 test-proxy\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\nAccess denied',
        );
        return;
      }
      const upstream = connect(port, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.on('connect', () => {
        client.write('HTTP/1.1 200 Connection established\r\nProxy-Agent: test-proxy\r\n\r\n');
        const rest = buffered.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
