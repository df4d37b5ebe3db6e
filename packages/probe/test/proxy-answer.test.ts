/**
 * The meaning of a proxy's answer to CONNECT for the shapes real proxies
 * send that the Debian proxies in real-proxy-answers.test.ts cannot be made
 * to send: several Proxy-Authenticate challenges (NTLM, Negotiate), a 407
 * with none, squid's ERR_DNS_FAIL, a commercial gateway's exception page,
 * an unexplained 500 — and a "proxy" that answers binary noise, over a real
 * loopback socket.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { connectThrough, parseResponseHead } from '../src/transport/connect-proxy.ts';
import { authSchemes, classifyProxyAnswer, type ProxyAnswer } from '../src/transport/proxy-answer.ts';

const said = 'proxy p answered CONNECT h:443';
const answer = (
  status: number,
  headers: Record<string, string> = {},
  body = '',
  reason = '',
): ProxyAnswer => ({
  status,
  reason,
  headers,
  body,
});
const codeOf = (a: ProxyAnswer, sent = false) => {
  const o = classifyProxyAnswer(a, 'h', said, sent);
  return `${o.layer}/${o.class}`;
};

describe('Proxy-Authenticate schemes', () => {
  test('one challenge per header, joined as a list, each scheme named once', () => {
    const head = parseResponseHead(
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Basic realm="corp, inc"\r\n\r\n',
    );
    assert.equal(head?.headers['proxy-authenticate'], 'Negotiate, NTLM, Basic realm="corp, inc"');
    assert.deepEqual(authSchemes(head?.headers['proxy-authenticate']), ['Negotiate', 'NTLM', 'Basic']);
  });

  test('auth-params and token68 are not schemes; case is normalised for known ones', () => {
    assert.deepEqual(authSchemes('basic realm="x", charset="UTF-8", Digest realm="y", nonce="a,b"'), [
      'Basic',
      'Digest',
    ]);
    assert.deepEqual(authSchemes('Negotiate YIIabc=='), ['Negotiate']);
    assert.deepEqual(authSchemes(undefined), []);
    assert.deepEqual(authSchemes(' , '), []);
  });

  test('407 naming NTLM and Negotiate says so, and that the probe speaks only Basic', () => {
    const o = classifyProxyAnswer(answer(407, { 'proxy-authenticate': 'Negotiate, NTLM' }), 'h', said, false);
    assert.equal(o.class, 'auth-required');
    assert.match(o.message, /offers Negotiate, NTLM; the probe speaks only Basic/);
  });

  test('407 with no Proxy-Authenticate is still auth-required, and says no scheme was named', () => {
    const o = classifyProxyAnswer(answer(407), 'h', said, false);
    assert.equal(o.class, 'auth-required');
    assert.match(o.message, /names no authentication scheme/);
  });

  test('407 after credentials were sent is auth-rejected', () => {
    assert.equal(
      codeOf(answer(407, { 'proxy-authenticate': 'Basic realm="x"' }), true),
      'proxy/auth-rejected',
    );
  });
});

describe('policy, upstream failure, other', () => {
  test('squid error ids decide over the status', () => {
    assert.equal(codeOf(answer(503, { 'x-squid-error': 'ERR_DNS_FAIL 0' })), 'proxy/upstream-dns');
    assert.equal(codeOf(answer(503, { 'x-squid-error': 'ERR_CONNECT_FAIL 111' })), 'proxy/bad-gateway');
    assert.equal(codeOf(answer(500, { 'x-squid-error': 'ERR_CANNOT_FORWARD 0' })), 'proxy/bad-gateway');
    assert.equal(codeOf(answer(403, { 'x-squid-error': 'ERR_ACCESS_DENIED 0' })), 'proxy/forbidden');
  });

  test('gateway exception pages: ProxySG-style DNS and TCP errors', () => {
    assert.equal(
      codeOf(answer(503, {}, '<html>Network Error (dns_unresolved_hostname)</html>')),
      'proxy/upstream-dns',
    );
    assert.equal(codeOf(answer(503, {}, '<html>Network Error (tcp_error)</html>')), 'proxy/bad-gateway');
    assert.equal(codeOf(answer(504, {}, '')), 'proxy/bad-gateway');
  });

  test('500 is an upstream failure only when the page says it could not connect', () => {
    assert.equal(codeOf(answer(500, {}, '', 'Unable to connect')), 'proxy/bad-gateway');
    assert.equal(codeOf(answer(500, {}, 'internal error in filter module')), 'proxy/refused');
  });

  test('403 and 451 are policy; a 400 is another status', () => {
    assert.equal(codeOf(answer(403, {}, '<h1>Access to this site is blocked</h1>')), 'proxy/forbidden');
    assert.equal(codeOf(answer(451)), 'proxy/forbidden');
    assert.equal(codeOf(answer(400)), 'proxy/refused');
  });
});

test('a "proxy" that answers binary noise is proxy/bad-response with a clear line, not a hang', async () => {
  const server = createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end(randomBytes(64)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const signal = AbortSignal.timeout(5_000);
    const step = await connectThrough(
      socket,
      new URL(`http://127.0.0.1:${port}`),
      'h',
      443,
      signal,
      signal,
      5_000,
    );
    assert.equal(step.ok, false);
    if (step.ok) return;
    assert.equal(`${step.outcome.layer}/${step.outcome.class}`, 'proxy/bad-response');
    assert.match(step.outcome.message, /not HTTP/);
    assert.doesNotMatch(step.outcome.message, /\n/);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
