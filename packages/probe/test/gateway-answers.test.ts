/**
 * Commercial secure web gateways' answers to a refused CONNECT, read for
 * what they mean and who wrote them. NO REAL COMMERCIAL GATEWAY RAN HERE:
 * each answer below is written by us in the format the vendor's public
 * documentation and public traces describe (status, the marking header —
 * `Server: Zscaler/…`, `Via: … (Cisco-WSA/…)`, `X-Netskope-…` — and the ids
 * or product name on the page), with our own page text. Each is sent by a
 * loopback server playing the gateway, so the probe's real CONNECT client
 * parses it from the wire. The real squid, tinyproxy and mitmproxy answers
 * are in real-proxy-answers.test.ts.
 */
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { connectThrough } from '../src/transport/connect-proxy.ts';
import { identifyGateway } from '../src/transport/gateway-vendor.ts';
import { classifyProxyAnswer } from '../src/transport/proxy-answer.ts';

interface GatewayCase {
  name: string;
  /** The whole answer, head and the start of the page, as the gateway would send it. */
  wire: string;
  code: string;
  vendor: string | undefined;
  /** Words the message must carry (the id the page gave). */
  says?: RegExp;
}

const page = (status: string, headers: string[], body: string) =>
  [`HTTP/1.1 ${status}`, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');

const CASES: GatewayCase[] = [
  {
    name: 'Zscaler: URL category block (403, Server: Zscaler/6.2)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html', 'Server: Zscaler/6.2', 'Cache-Control: no-cache'],
      '<html><head><title>Website blocked</title></head><body>Access denied by your organisation (reason: CATEGORY_DENIED).</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Zscaler',
  },
  {
    name: 'Zscaler: upstream unreachable (502 with X-Zscaler headers)',
    wire: page(
      '502 Bad Gateway',
      ['Content-Type: text/html', 'X-Zscaler-Transaction-Id: 0a1b2c'],
      '<html><body>The server could not be reached.</body></html>',
    ),
    code: 'proxy/bad-gateway',
    vendor: 'Zscaler',
  },
  {
    name: 'Cisco Secure Web Appliance: policy block (403, Via Cisco-WSA, BLOCK_WEBCAT)',
    wire: page(
      '403 Forbidden',
      ['Via: 1.1 wsa1.corp.example:80 (Cisco-WSA/15.0.0-355)', 'Content-Type: text/html'],
      '<html><body>Notification: policy. Code: BLOCK_WEBCAT_12-DefaultGroup</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Cisco Secure Web Appliance',
    says: /BLOCK_WEBCAT/,
  },
  {
    name: 'Cisco Secure Web Appliance: DNS failure upstream (503)',
    wire: page(
      '503 Service Unavailable',
      ['Via: 1.1 wsa1.corp.example:80 (Cisco-WSA/15.0.0-355)', 'Content-Type: text/html'],
      '<html><body>Notification: the host name could not be resolved (DNS failure).</body></html>',
    ),
    code: 'proxy/upstream-dns',
    vendor: 'Cisco Secure Web Appliance',
  },
  {
    name: 'Cisco Umbrella: content category block (403)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><body>This site is blocked by Cisco Umbrella. Block type: aup</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Cisco Umbrella',
  },
  {
    name: 'Symantec ProxySG: policy_denied exception (403)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html', 'Connection: close'],
      '<html><!-- exception: policy_denied --><body>Access denied by policy. ProxySG</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Symantec ProxySG',
    says: /policy_denied/,
  },
  {
    name: 'Symantec ProxySG: dns_unresolved_hostname exception (503)',
    wire: page(
      '503 Service Unavailable',
      ['Content-Type: text/html', 'X-BlueCoat-Via: 4d3c2b1a'],
      '<html><!-- exception: dns_unresolved_hostname --><body>Network error</body></html>',
    ),
    code: 'proxy/upstream-dns',
    vendor: 'Symantec ProxySG',
    says: /dns_unresolved_hostname/,
  },
  {
    name: 'Symantec ProxySG: tcp_error sent with 403 (the exception id decides, not the status)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><!-- exception: tcp_error --><body>Blue Coat: network error</body></html>',
    ),
    code: 'proxy/bad-gateway',
    vendor: 'Symantec ProxySG',
    says: /tcp_error/,
  },
  {
    name: 'Symantec ProxySG: authentication_failed exception (403, no credentials sent)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><!-- exception: authentication_failed --><body>ProxySG: log on first</body></html>',
    ),
    code: 'proxy/auth-required',
    vendor: 'Symantec ProxySG',
  },
  {
    name: 'Fortinet FortiGate: FortiGuard web filter block (403, ftgd-block)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><!-- ftgd-block --><body>FortiGuard Intrusion Prevention: web page blocked</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Fortinet',
    says: /ftgd-block/,
  },
  {
    name: 'Fortinet FortiProxy: http-err page for an unreachable server (502)',
    wire: page(
      '502 Bad Gateway',
      ['Content-Type: text/html'],
      '<html><body>FortiProxy: HTTP error 502 Bad Gateway for https://h/</body></html>',
    ),
    code: 'proxy/bad-gateway',
    vendor: 'Fortinet',
  },
  {
    name: 'Palo Alto Networks: URL filtering and category match block page (403)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><body>Web Page Blocked. Category: unknown. Palo Alto Networks URL filtering.</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Palo Alto Networks',
  },
  {
    name: 'Netskope: block page (403, X-Netskope header)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html', 'X-Netskope-Inspected: true'],
      '<html><body>Access to this site is blocked by your organisation.</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Netskope',
  },
  {
    name: 'Forcepoint: block page (403, names Websense)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><body>Forcepoint (Websense) content blocked by your organisation</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Forcepoint',
  },
  {
    name: 'Check Point: UserCheck block page (403)',
    wire: page(
      '403 Forbidden',
      ['Content-Type: text/html'],
      '<html><body>Check Point UserCheck: access to this site is blocked</body></html>',
    ),
    code: 'proxy/forbidden',
    vendor: 'Check Point',
  },
  {
    name: 'Sophos: upstream timeout page (504)',
    wire: page(
      '504 Gateway Timeout',
      ['Content-Type: text/html'],
      '<html><body>Sophos web protection: the server took too long to respond.</body></html>',
    ),
    code: 'proxy/bad-gateway',
    vendor: 'Sophos',
  },
  {
    name: 'no mark at all: a plain 403 names no vendor',
    wire: page('403 Forbidden', ['Content-Type: text/plain'], 'blocked\n'),
    code: 'proxy/forbidden',
    vendor: undefined,
  },
];

/** A loopback "gateway" that answers every CONNECT with `wire` and hangs up. */
async function answerOnce(wire: string) {
  const server = createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.end(wire));
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
      'outlook.office.com',
      443,
      signal,
      signal,
      5_000,
    );
    socket.destroy();
    assert.equal(step.ok, false, 'a refusal is never a tunnel');
    if (step.ok) throw new Error('unreachable');
    return step.outcome;
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

describe('commercial gateway answers (written by us in the vendors’ formats; no real gateway ran)', () => {
  for (const c of CASES)
    test(c.name, async () => {
      const outcome = await answerOnce(c.wire);
      assert.equal(`${outcome.layer}/${outcome.class}`, c.code, outcome.message);
      if (c.vendor) assert.match(outcome.message, new RegExp(`answered by ${c.vendor} \\(`));
      else assert.doesNotMatch(outcome.message, /answered by/);
      if (c.says) assert.match(outcome.message, c.says);
      assert.doesNotMatch(outcome.message, /\n/, 'one line');
    });

  test('a header mark wins over page words (a Zscaler page quoting another product)', () => {
    const v = identifyGateway({
      status: 403,
      reason: 'Forbidden',
      headers: { server: 'Zscaler/6.2' },
      body: 'compare with Netskope',
    });
    assert.deepEqual(v, { name: 'Zscaler', mark: 'server: Zscaler/6.2' });
  });

  test('squid and tinyproxy answers are not taken for a commercial gateway', () => {
    const squid = classifyProxyAnswer(
      {
        status: 503,
        reason: 'Service Unavailable',
        headers: { server: 'squid/6.13', 'x-squid-error': 'ERR_DNS_FAIL 0' },
        body: '',
      },
      'h',
      'proxy p answered CONNECT h:443',
      false,
    );
    assert.equal(squid.class, 'upstream-dns');
    assert.doesNotMatch(squid.message, /answered by/);
  });
});
