import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postToUrl } from '../../src/notify/channels/http-post.ts';
import { checkWebhookUrl, forbiddenAddressReason } from '../../src/notify/ssrf-guard.ts';
import { receiver } from './helpers.ts';

test('internal address ranges are named; public unicast addresses pass', () => {
  const cases: [string, RegExp | undefined][] = [
    ['127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private address \(RFC 1918/],
    ['172.20.0.1', /private/],
    ['192.168.1.10', /private/],
    ['169.254.169.254', /link-local.*metadata/],
    ['fe80::1', /link-local/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['fd00::1', /unique-local/],
    ['224.0.0.251', /multicast/],
    ['ff02::1', /multicast/],
    ['0.0.0.0', /unspecified/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['64:ff9b::a00:1', /private/],
    ['52.96.0.1', undefined],
    ['2603:1006::1', undefined],
  ];
  for (const [addr, want] of cases) {
    const got = forbiddenAddressReason(addr);
    if (want) assert.match(got ?? '(allowed)', want, addr);
    else assert.equal(got, undefined, addr);
  }
});

test('a webhook URL aimed at a private address is refused with a clear message', async () => {
  await assert.rejects(
    checkWebhookUrl('https://10.0.0.5/hooks/netinsights'),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'NI_ERR_TARGET_FORBIDDEN');
      assert.equal(
        err.message,
        'webhook URL https://10.0.0.5 points at 10.0.0.5, a private address (RFC 1918: 10/8, 172.16/12, 192.168/16). ' +
          'Notifications may only go to public addresses; an operator can allow internal targets with --notify-allow-private-targets (NETINSIGHTS_NOTIFY_ALLOW_PRIVATE_TARGETS=true).',
      );
      return true;
    },
  );
  await assert.rejects(checkWebhookUrl('http://[::1]:8080/x'), /points at ::1, a loopback address/);
  await assert.rejects(checkWebhookUrl('http://169.254.169.254/latest/meta-data'), /link-local/);
  await assert.rejects(checkWebhookUrl('ftp://example.com/x'), /must start with https:\/\//);
  await assert.rejects(
    checkWebhookUrl('https://user:pw@example.com/x'),
    /must not carry a user name or password/,
  );
});

test('a host name is judged by what it resolves to, and every address counts', async () => {
  const resolve = async () => [
    { address: '52.96.0.1', family: 4 as const },
    { address: '192.168.0.7', family: 4 as const },
  ];
  await assert.rejects(
    checkWebhookUrl('https://hooks.corp.example/x', { resolve }),
    /hooks\.corp\.example \(192\.168\.0\.7\), a private address/,
  );
  const ok = await checkWebhookUrl('https://hooks.corp.example/x', {
    resolve: async () => [{ address: '52.96.0.1', family: 4 }],
  });
  assert.equal(ok.hostname, 'hooks.corp.example');
  const allowed = await checkWebhookUrl('https://hooks.corp.example/x', {
    resolve,
    allowPrivateTargets: true,
  });
  assert.equal(allowed.hostname, 'hooks.corp.example');
});

test('DNS rebinding: a name that turns internal after the check is refused at connect time', async (t) => {
  const rx = await receiver(t);
  const port = new URL(rx.url).port;
  let calls = 0;
  // First answer public (the save-time check), then loopback (the attacker's rebinding).
  const resolve = async () => [{ address: calls++ === 0 ? '52.96.0.1' : '127.0.0.1', family: 4 as const }];
  const url = await checkWebhookUrl(`http://rebind.example:${port}/x`, { resolve });
  await assert.rejects(
    postToUrl(url, '{}', { resolve, timeoutMs: 10_000 }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'NI_ERR_TARGET_FORBIDDEN');
      assert.match(err.message, /rebind\.example \(127\.0\.0\.1\), a loopback address/);
      return true;
    },
  );
  assert.equal(rx.got.length, 0, 'no request reached the internal receiver');
});

test('the connection goes to the address that was checked (pinned), with the original Host header', async (t) => {
  const rx = await receiver(t);
  const port = new URL(rx.url).port;
  const res = await postToUrl(new URL(`http://receiver.example:${port}/pinned`), '{"a":1}', {
    allowPrivateTargets: true,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
  });
  assert.equal(res.status, 200);
  assert.equal(rx.got[0]!.headers.host, `receiver.example:${port}`);
  assert.equal(rx.got[0]!.body, '{"a":1}');
});

test('an IP-literal URL is checked before connecting (Node skips lookup for literals)', async (t) => {
  const rx = await receiver(t);
  await assert.rejects(postToUrl(new URL(`${rx.url}/x`), '{}'), /points at 127\.0\.0\.1, a loopback address/);
  assert.equal(rx.got.length, 0);
});

test('the refusal names the real server flag, which the config table accepts (it said notify.allowPrivateTargets)', async () => {
  const { CONFIG_KEYS, flagName } = await import('../../src/config/server-config.ts');
  await assert.rejects(checkWebhookUrl('https://10.0.0.5/x'), (err: Error) => {
    const flag = /--([a-z-]+)/.exec(err.message)![1]!;
    assert.ok(
      Object.keys(CONFIG_KEYS).some((k) => flagName(k) === flag),
      `--${flag} is a real server flag`,
    );
    assert.equal(flag, 'notify-allow-private-targets');
    return true;
  });
});

test('IPv4-compatible IPv6 (::/96) is refused: ::127.0.0.1 and ::10.0.0.1 used to pass as public unicast', async () => {
  for (const addr of ['::127.0.0.1', '::10.0.0.1', '::169.254.169.254', '::8.8.8.8', '::7f00:1'])
    assert.match(forbiddenAddressReason(addr) ?? '(allowed)', /IPv4-compatible IPv6 address \(::\/96/, addr);
  // :: and ::1 keep their own names.
  assert.match(forbiddenAddressReason('::') ?? '', /unspecified/);
  assert.match(forbiddenAddressReason('::1') ?? '', /loopback/);
  await assert.rejects(checkWebhookUrl('https://[::127.0.0.1]/hook'), /IPv4-compatible/);
});
