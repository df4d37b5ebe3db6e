/**
 * @module dns-resolver.test
 * The lab resolver answers through Node's own DNS client (c-ares) the way
 * the probe will ask it, and fails the chosen domain in each of its modes.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import { type LabDnsResolver, startDnsResolver } from '../src/dns-resolver.ts';

describe('lab DNS resolver', () => {
  let dns: LabDnsResolver;
  const resolver = new Resolver({ timeout: 500, tries: 1 });

  before(async () => {
    dns = await startDnsResolver({
      records: { 'm365.cloud.microsoft': '127.0.0.1', 'res.public.onecdn.static.microsoft': '127.0.0.1' },
    });
    resolver.setServers([dns.address]);
  });
  after(() => dns.close());

  it('answers A for lab hosts, case-insensitively', async () => {
    assert.deepEqual(await resolver.resolve4('m365.cloud.microsoft'), ['127.0.0.1']);
    assert.deepEqual(await resolver.resolve4('M365.Cloud.Microsoft'), ['127.0.0.1']);
  });

  it('answers NXDOMAIN for names it does not know and NODATA for AAAA', async () => {
    await assert.rejects(resolver.resolve4('nope.cloud.microsoft'), { code: 'ENOTFOUND' });
    await assert.rejects(resolver.resolve6('m365.cloud.microsoft'), { code: 'ENODATA' });
  });

  it('fails the chosen domain with NXDOMAIN, SERVFAIL, REFUSED or silence', async () => {
    const host = 'res.public.onecdn.static.microsoft';
    dns.setFailure({ suffix: 'static.microsoft', mode: 'nxdomain' });
    await assert.rejects(resolver.resolve4(host), { code: 'ENOTFOUND' });
    dns.setFailure({ suffix: 'static.microsoft', mode: 'servfail' });
    await assert.rejects(resolver.resolve4(host), { code: 'ESERVFAIL' });
    dns.setFailure({ suffix: 'static.microsoft', mode: 'refused' });
    await assert.rejects(resolver.resolve4(host), { code: 'EREFUSED' });
    dns.setFailure({ suffix: 'static.microsoft', mode: 'silence' });
    await assert.rejects(resolver.resolve4(host), { code: 'ETIMEOUT' });
    // Other domains are untouched.
    assert.deepEqual(await resolver.resolve4('m365.cloud.microsoft'), ['127.0.0.1']);
    dns.setFailure(undefined);
    assert.deepEqual(await resolver.resolve4(host), ['127.0.0.1']);
  });

  it('ignores datagrams that are not DNS and keeps answering', async () => {
    const before = dns.stats.malformed;
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) =>
      sock.send(Buffer.from('garbage'), dns.port, '127.0.0.1', () => resolve()),
    );
    sock.close();
    assert.deepEqual(await resolver.resolve4('m365.cloud.microsoft'), ['127.0.0.1']);
    assert.equal(dns.stats.malformed, before + 1);
  });
});
