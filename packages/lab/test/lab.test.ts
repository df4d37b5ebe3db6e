/**
 * @module lab.test
 * startLab as a whole: the generated profile is a valid service profile that
 * pins the lab's CAs, every part listens on its own loopback port, scenario
 * options are complete, and close() releases everything.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { loadProfile, parseProfile } from '@netinsights/protocol';
import { type Lab, labHosts, startLab } from '../src/index.ts';
import { spkiSha256OfPem } from '../src/pki.ts';

function canConnect(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = connect({ host: host!, port: Number(port) }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('startLab', () => {
  it('generates a valid profile on the real Microsoft 365 names, pinned to the lab CAs', async () => {
    const lab: Lab = await startLab();
    try {
      const profile = parseProfile(JSON.parse(JSON.stringify(lab.profile)), 'lab profile');
      const m365 = loadProfile('m365');
      assert.deepEqual(
        profile.criticalDomains.map((d) => d.hosts),
        m365.criticalDomains.map((d) => d.hosts),
      );
      assert.ok(profile.criticalDomains.every((d) => d.port === lab.parts.frontDoor.port));
      assert.equal(new URL(profile.websocket.url).hostname, new URL(m365.websocket.url).hostname);
      const root = profile.expectedCas.find((c) => c.role === 'root');
      assert.equal(root?.spkiSha256, spkiSha256OfPem(lab.trust.labRoot));
      // Every lab host, and the whoami name of the resolver check (pinned: no resolver to identify).
      assert.deepEqual(
        new Set(lab.resolvePins().map((p) => p.split(':')[0])),
        new Set([...labHosts(), m365.resolver?.whoami]),
      );
    } finally {
      await lab.close();
    }
  });

  it('binds every part on its own loopback port and releases them all on close', async () => {
    const lab = await startLab();
    let closed = false;
    try {
      const addresses = Object.values(lab.addresses());
      assert.equal(new Set(addresses).size, addresses.length, 'no two parts share an address');
      // Loopback only (the distant front door has a loopback address of its own, 127.0.0.2).
      assert.ok(
        addresses.every((a) => /^127\.0\.0\.\d+:/.test(a)),
        addresses.join(' '),
      );
      const tcp = Object.entries(lab.addresses())
        // Resolvers and the Teams media parts answer on UDP only.
        .filter(([name]) => !name.startsWith('DNS') && !name.endsWith('(UDP only)'))
        .map(([, a]) => a);
      for (const a of tcp) assert.equal(await canConnect(a), true, `${a} accepts before close`);
      await lab.close();
      closed = true;
      for (const a of tcp) assert.equal(await canConnect(a), false, `${a} is closed after close`);
    } finally {
      // A failed assertion must not leave the lab's threads holding the test file open.
      if (!closed) await lab.close();
    }
  });

  it('builds complete probe options per scenario and rejects unknown names', async () => {
    const lab = await startLab();
    try {
      for (const s of lab.scenarios) {
        const o = lab.probeOptionsFor(s.name);
        // Either --dns-server to a lab resolver, or the lab machine's own resolver and servers: never the host's.
        assert.ok(o.profile && (o.dnsServers?.length || o.system?.dnsServers?.length), s.name);
        assert.ok(
          o.system?.lookup && o.system.discovery,
          `${s.name}: the lab plays the machine's resolver and discovery`,
        );
        assert.deepEqual(o.env, {}, 'the machine proxy environment is ignored');
        assert.ok(o.extraTrustedCas?.includes(lab.trust.labRoot));
        assert.ok(s.expected.length > 0);
      }
      assert.equal(lab.probeOptionsFor('intercepted', { wsHoldSeconds: 0 }).wsHoldSeconds, 0);
      assert.throws(() => lab.probeOptionsFor('nope'), /unknown lab scenario "nope" \(known: healthy-direct/);
    } finally {
      await lab.close();
    }
  });
});
