/**
 * The probe resolves like the applications do — through the OS resolver —
 * and still asks the DNS servers directly to explain and to disagree. The
 * machine's own /etc/hosts cannot be edited safely in a test, so the test
 * makes a network namespace (`ip netns add`) with its own hosts file and
 * resolv.conf: `ip netns exec` bind-mounts /etc/netns/<name>/{hosts,resolv.conf}
 * over /etc for the child only. In there the test names exist only in the
 * hosts file, and the only DNS server (127.0.0.1:53 in the namespace) says
 * NXDOMAIN for them. The namespace's search domain is corp.test, so
 * `--proxy auto` finds the WPAD PAC the child serves on wpad.corp.test:80.
 * Needs root and iproute2; skips and says why otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CheckResult } from '@netinsights/protocol';
import { which } from './helpers/external-proxy.ts';
import { ALL_NAMES, HOSTS } from './helpers/fixture.ts';

const NS = `ni-osres-${process.pid}`;
const NS_ETC = `/etc/netns/${NS}`;
const CHILD = fileURLToPath(new URL('./helpers/os-resolver-child.ts', import.meta.url));

function canMakeNamespaces(): string | false {
  if (!which('ip')) return 'iproute2 is not installed';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  return false;
}
const skip = canMakeNamespaces();

interface ChildOutput {
  results: Pick<CheckResult, 'id' | 'kind' | 'outcome' | 'dns'>[];
  missing: { ok: boolean; outcome?: { layer: string; class: string; message: string } };
  queries: number;
  auto: {
    proxy: { mode: string; source: string; origin?: string; pac?: string };
    results: Pick<CheckResult, 'id' | 'outcome' | 'path'>[];
    tunnels: string[];
  };
}

describe('resolving through the OS resolver (hosts file in a network namespace)', { skip }, () => {
  let out: ChildOutput;
  before(() => {
    const made = spawnSync('ip', ['netns', 'add', NS], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`ip netns add ${NS}: ${made.stderr}`);
    spawnSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    mkdirSync(NS_ETC, { recursive: true });
    writeFileSync(`${NS_ETC}/hosts`, `127.0.0.1 localhost wpad.corp.test ${ALL_NAMES.join(' ')}\n`);
    writeFileSync(
      `${NS_ETC}/resolv.conf`,
      'search corp.test\nnameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
    );
    const run = spawnSync('ip', ['netns', 'exec', NS, process.execPath, CHILD], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`child failed (${run.status}): ${run.stderr.slice(-2000)}`);
    out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ChildOutput;
  });
  after(() => {
    spawnSync('ip', ['netns', 'del', NS]);
    rmSync(NS_ETC, { recursive: true, force: true });
  });

  test('a name only the hosts file knows resolves, and the connections to it work', () => {
    const dns = out.results.find((r) => r.id.startsWith(`dns:${HOSTS[0]}`));
    assert.ok(dns, JSON.stringify(out.results.map((r) => r.id)));
    assert.equal(dns.outcome.status, 'ok', JSON.stringify(dns.outcome));
    assert.equal(dns.dns?.osResolver, true);
    assert.deepEqual(dns.dns?.answers, ['127.0.0.1']);
    const https = out.results.find((r) => r.id.startsWith(`https:${HOSTS[0]}`));
    assert.equal(https?.outcome.status, 'ok', JSON.stringify(https?.outcome));
  });

  test('the DNS check reports that the server asked directly disagrees (NXDOMAIN)', () => {
    const dns = out.results.find((r) => r.id.startsWith(`dns:${HOSTS[0]}`));
    assert.match(dns?.dns?.disagreement ?? '', /the OS resolves a\.cloud\.test to 127\.0\.0\.1; .*NXDOMAIN/);
    assert.ok(out.queries > 0, 'the DNS server in the namespace was asked');
  });

  test('a name neither knows fails with the server’s precise class, and says the OS fails too', () => {
    assert.equal(out.missing.ok, false);
    assert.equal(`${out.missing.outcome?.layer}/${out.missing.outcome?.class}`, 'dns/nxdomain');
    assert.match(out.missing.outcome?.message ?? '', /the OS resolver fails too \(ENOTFOUND\)/);
  });

  test('--proxy auto on Linux with nothing set finds WPAD through the search domain and says so', () => {
    const { proxy, results, tunnels } = out.auto;
    assert.equal(proxy.source, 'system');
    assert.equal(proxy.mode, 'pac');
    assert.match(proxy.origin ?? '', /^WPAD \(http:\/\/wpad\.corp\.test\/wpad\.dat\)$/);
    const https = results.find((r) => r.id.startsWith(`https:${HOSTS[0]}`));
    assert.equal(https?.outcome.status, 'ok', JSON.stringify(https?.outcome));
    assert.equal(https?.path.type, 'proxy');
    assert.ok(
      tunnels.some((t) => t.startsWith(`${HOSTS[0]}:`)),
      JSON.stringify(tunnels),
    );
  });
});
