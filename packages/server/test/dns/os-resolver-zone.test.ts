/**
 * The zone method through the machine's own resolution path: in a network
 * namespace (`ip netns add`, whose /etc/netns/<name>/resolv.conf is
 * bind-mounted over /etc/resolv.conf for the child) the only DNS server is
 * real unbound on 127.0.0.2:53, forwarding the delegated zone to the
 * collector's listener. The probe is given no --dns-server, so its lookup
 * takes getaddrinfo and resolv.conf like the applications; the listener must
 * see the report's own label asked from unbound's outgoing address.
 * Needs root, iproute2 and unbound; skips and says why otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '@netinsights/protocol';
import { resolverKeyOfToken, resolverLabel } from '@netinsights/protocol/resolver-label.ts';
import type { Sighting } from '../../src/dns/zone-answer.ts';
import { RESOLVER_BINARY } from '../helpers/recursive-resolver.ts';

const NS = `ni-dnszone-${process.pid}`;
const NS_ETC = `/etc/netns/${NS}`;
const CHILD = fileURLToPath(new URL('./os-resolver-zone-child.ts', import.meta.url));
const ZONE = 'probe.example.net';
const KEY = resolverKeyOfToken('nia_os-resolver-test-token');

function cannot(): string | false {
  if (spawnSync('ip', ['-V']).error) return 'iproute2 is not installed';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!RESOLVER_BINARY.unbound) return 'unbound is not installed (see .ci/run)';
  return false;
}

describe('the zone lookup through getaddrinfo and resolv.conf (network namespace)', {
  skip: cannot(),
}, () => {
  let out: { reportId: string; check: CheckResult | undefined; sightings: Sighting[] };
  before(() => {
    const made = spawnSync('ip', ['netns', 'add', NS], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`ip netns add ${NS}: ${made.stderr}`);
    spawnSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    mkdirSync(NS_ETC, { recursive: true });
    writeFileSync(`${NS_ETC}/hosts`, '127.0.0.1 localhost\n');
    writeFileSync(`${NS_ETC}/resolv.conf`, 'nameserver 127.0.0.2\noptions timeout:2 attempts:2\n');
    const run = spawnSync('ip', ['netns', 'exec', NS, process.execPath, CHILD, ZONE, KEY], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`child failed (${run.status}): ${run.stderr.slice(-2000)}`);
    out = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  });
  after(() => {
    spawnSync('ip', ['netns', 'delete', NS]);
    rmSync(NS_ETC, { recursive: true, force: true });
  });

  test("the listener sees the report's own label from the resolver's address, and the probe is told it", () => {
    assert.equal(out.check?.outcome.status, 'ok', JSON.stringify(out.check));
    assert.deepEqual(out.check?.resolver, { method: 'zone', name: ZONE, address: '127.0.0.3' });
    const label = resolverLabel(out.reportId, KEY);
    const mine = out.sightings.filter((s) => s.label === label);
    assert.ok(mine.length > 0, JSON.stringify(out.sightings));
    assert.ok(mine.every((s) => s.resolver === '127.0.0.3' && s.ecs === null));
    // Nothing else asked: the service names were pinned, and the listener answers only its zone.
    assert.deepEqual(
      out.sightings.filter((s) => s.label !== label),
      [],
    );
  });
});
