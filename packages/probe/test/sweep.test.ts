/**
 * The endpoint sweep (ProbeOptions.sweep, `probe --sweep`) over real local
 * servers: a genuine origin, Debian's squid with ssl-bump inspecting one
 * catalog set and an ACL denying another, mitmproxy inspecting all but the
 * hosts it is told to ignore, a proxy that never answers (deadline and
 * bounded concurrency), and catalogs with broken entries. Everything on
 * 127.0.0.1; binaries that are not installed skip with the package to
 * install (CI installs squid-openssl and mitmproxy).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRootCa } from '@netinsights/lab/pki.ts';
import type { ProbeReport, ServiceProfile, SweepHost } from '@netinsights/protocol';
import { renderReport } from '../src/index.ts';
import type { SweepCatalog } from '../src/probe-options.ts';
import { startConnectProxy, type TestProxy } from './helpers/connect-proxy.ts';
import {
  type ExternalProcess,
  fileExists,
  squidBaseConfig,
  startExternal,
  which,
} from './helpers/external-proxy.ts';
import { ALL_NAMES, loopbackPins, type Pki, probe, testPki, testProfile } from './helpers/fixture.ts';
import { type Origin, startGenuineOrigin } from './helpers/origin-server.ts';

/**
 * A catalog in the web service's shape over the test names: set 1 (Exchange,
 * Optimize) a.cloud.test and the wildcard `*.cloud.test` (its representative
 * is ws.cloud.test), set 2 (SharePoint, Allow) b.cloud.test, set 3 (Common,
 * Allow) dl.cloud.test; a Default set and an optional set the sweep leaves out.
 */
function testCatalog(): Record<string, unknown>[] {
  const set = (id: number, serviceArea: string, category: string, urls: string[], required = true) => ({
    id,
    serviceArea,
    urls,
    tcpPorts: '80,443',
    expressRoute: false,
    category,
    required,
  });
  return [
    set(1, 'Exchange', 'Optimize', ['a.cloud.test', '*.cloud.test']),
    set(2, 'SharePoint', 'Allow', ['b.cloud.test']),
    set(3, 'Common', 'Allow', ['dl.cloud.test']),
    set(4, 'Common', 'Default', ['default-only.cloud.test']),
    set(5, 'Common', 'Allow', ['optional.cloud.test'], false),
  ];
}

const catalog = (document: unknown = testCatalog()): SweepCatalog => ({ document, source: 'file' });

let pki: Pki;
let origin: Origin;
before(async () => {
  pki = await testPki();
  origin = await startGenuineOrigin(pki, { h2: true });
});
after(() => origin.close());

function sweepProfile(port: number): ServiceProfile {
  return {
    ...testProfile({ port: origin.port, genuineRoot: pki.genuineRoot }),
    sweep: { representativeHosts: { '*.cloud.test': 'ws.cloud.test' }, concurrency: 4, port },
  };
}

const base = () => ({
  profile: sweepProfile(origin.port),
  resolve: loopbackPins(origin.port),
  extraTrustedCas: [pki.genuineRoot.certPem],
});

function line(report: ProbeReport, host: string): SweepHost {
  const found = report.sweep?.hosts.find((h) => h.host === host);
  assert.ok(found, `no sweep line for ${host}: ${JSON.stringify(report.sweep?.hosts.map((h) => h.host))}`);
  return found;
}

describe('the sweep, direct to a genuine origin', () => {
  test('every required Optimize and Allow host, wildcards through their representative, all genuine', async () => {
    const report = await probe({ ...base(), sweep: { catalog: catalog() } });
    const sweep = report.sweep!;
    assert.deepEqual(
      sweep.hosts.map((h) => h.host),
      ['a.cloud.test', 'ws.cloud.test', 'b.cloud.test', 'dl.cloud.test'],
      'Default and optional sets are not swept',
    );
    for (const h of sweep.hosts) {
      assert.equal(h.code, 'ok', JSON.stringify(h));
      assert.equal(h.route, 'direct');
      assert.equal(h.tls?.verdict, 'genuine');
      assert.equal(h.status, 200);
      assert.ok(h.dnsMs !== undefined && h.connectMs !== undefined && h.tlsMs !== undefined);
    }
    const ws = line(report, 'ws.cloud.test');
    assert.equal(ws.pattern, '*.cloud.test');
    assert.deepEqual([ws.sets, ws.serviceAreas, ws.category], [[1], ['Exchange'], 'Optimize']);
    assert.equal(sweep.catalog.source, 'file');
    assert.match(renderReport(report, { color: false }), /all 4 reachable, TLS genuine/);
  });

  test('bad entries are listed with their JSON pointer and skipped; the rest is still swept', async () => {
    const doc: unknown[] = testCatalog();
    (doc[0] as { urls: string[] }).urls.push('https://a.cloud.test/owa', '*.nobody.test');
    (doc[1] as { urls: unknown[] }).urls.push(42);
    doc.push('not a set', { id: 'x', category: 'Allow', required: true, urls: ['c.cloud.test'] });
    const report = await probe({ ...base(), sweep: { catalog: catalog(doc) } });
    const sweep = report.sweep!;
    assert.equal(sweep.hosts.length, 4);
    assert.ok(sweep.hosts.every((h) => h.code === 'ok'));
    const byPath = Object.fromEntries(sweep.skipped.map((k) => [k.path, k.reason]));
    assert.match(byPath['/0/urls/2'] ?? '', /looks like a URL/);
    assert.match(byPath['/0/urls/3'] ?? '', /no representative host/);
    assert.match(byPath['/1/urls/1'] ?? '', /not a string/);
    assert.match(byPath['/5'] ?? '', /not an object/);
    assert.match(byPath['/6/id'] ?? '', /no positive integer id/);
    assert.match(renderReport(report, { color: false }), /5 catalog entries not swept/);
  });

  test('a catalog that is not an array sweeps nothing and says so', async () => {
    const report = await probe({ ...base(), sweep: { catalog: catalog({ sets: [] }) } });
    assert.deepEqual(report.sweep?.hosts, []);
    assert.match(report.sweep?.skipped[0]?.reason ?? '', /not a JSON array/);
  });
});

/** A TCP server that accepts and never says a word: every CONNECT through it hangs. */
async function silentProxy(): Promise<{ port: number; peak: () => number; close(): Promise<void> }> {
  const open = new Set<Socket>();
  let peak = 0;
  const server: Server = createServer((s) => {
    open.add(s);
    peak = Math.max(peak, open.size);
    s.on('close', () => open.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    peak: () => peak,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

test('a sweep that cannot finish ends with the run deadline, every host listed, never more in flight than the concurrency', async () => {
  const silent = await silentProxy();
  try {
    const started = performance.now();
    const report = await probe({
      ...base(),
      proxy: `http://127.0.0.1:${silent.port}`,
      deadlineMs: 1_500,
      checkTimeoutMs: 10_000,
      sweep: { catalog: catalog(), concurrency: 2 },
    });
    const took = performance.now() - started;
    assert.ok(took < 3_000, `the run took ${Math.round(took)} ms`);
    const hosts = report.sweep!.hosts;
    assert.equal(hosts.length, 4);
    assert.ok(
      hosts.every((h) => h.code === 'probe/deadline' && h.route === 'proxy'),
      JSON.stringify(hosts),
    );
    assert.equal(report.sweep!.concurrency, 2);
  } finally {
    await silent.close();
  }
});

test('bounded concurrency: the sweep alone never holds more tunnels than it is allowed', async () => {
  const silent = await silentProxy();
  try {
    // Only the sweep goes through the silent proxy: the profile's own checks are pinned direct by NO_PROXY.
    await probe({
      ...base(),
      env: { HTTPS_PROXY: `http://127.0.0.1:${silent.port}`, NO_PROXY: 'cloud.test' },
      deadlineMs: 1_500,
      checkTimeoutMs: 10_000,
      profile: {
        ...sweepProfile(origin.port),
        sweep: { representativeHosts: {}, concurrency: 3, port: 443 },
      },
      sweep: {
        catalog: catalog([
          {
            id: 9,
            serviceArea: 'Common',
            category: 'Allow',
            required: true,
            expressRoute: false,
            tcpPorts: '443',
            urls: Array.from({ length: 10 }, (_, i) => `h${i}.sweep.example`),
          },
        ]),
      },
    });
    assert.equal(silent.peak(), 3);
  } finally {
    await silent.close();
  }
});

const squid = which('squid');
const CERTGEN = '/usr/lib/squid/security_file_certgen';
const squidBumps =
  squid !== undefined &&
  existsSync(CERTGEN) &&
  /--with-openssl/.test(spawnSync(squid, ['-v'], { encoding: 'utf8' }).stdout);
describe('through squid with ssl-bump (set 2 inspected) and an ACL (set 3 denied)', {
  skip: squidBumps ? false : 'squid with OpenSSL is not installed (apt-get install squid-openssl)',
}, () => {
  let proxy: ExternalProcess;
  before(async () => {
    const ca = await createRootCa({ commonName: 'Squid Test Inspection CA', organization: 'squid ssl-bump' });
    proxy = await startExternal({
      binary: squid ?? 'squid',
      prepare: async (dir, port) => {
        await writeFile(join(dir, 'hosts'), `127.0.0.1 ${ALL_NAMES.join(' ')}\n`);
        await writeFile(join(dir, 'bump-ca.pem'), `${ca.certPem.trimEnd()}\n`);
        await writeFile(join(dir, 'bump-ca.key'), `${ca.keyPem.trimEnd()}\n`);
        await writeFile(join(dir, 'origin-ca.pem'), pki.genuineRoot.certPem);
        const init = spawnSync(CERTGEN, ['-c', '-s', join(dir, 'ssl_db'), '-M', '4MB'], { encoding: 'utf8' });
        assert.equal(init.status, 0, init.stderr);
        // squid drops root for its own user, whose helpers write here.
        for (const p of ['ssl_db', 'ssl_db/certs', 'ssl_db/index.txt', 'ssl_db/size'])
          if (existsSync(join(dir, p))) chmodSync(join(dir, p), 0o777);
        const conf = squidBaseConfig(dir, port).map((l) =>
          l.startsWith('http_port ')
            ? `${l} ssl-bump tls-cert=${dir}/bump-ca.pem tls-key=${dir}/bump-ca.key generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`
            : l,
        );
        await writeFile(
          join(dir, 'squid.conf'),
          [
            ...conf,
            `sslcrtd_program ${CERTGEN} -s ${dir}/ssl_db -M 4MB`,
            'sslcrtd_children 2 startup=1 idle=1',
            `tls_outgoing_options cafile=${dir}/origin-ca.pem`,
            'acl step1 at_step SslBump1',
            'acl inspected ssl::server_name b.cloud.test',
            'ssl_bump peek step1',
            'ssl_bump bump inspected',
            'ssl_bump splice all',
            'acl localsrc src 127.0.0.0/8',
            'acl denied dstdomain dl.cloud.test',
            'http_access deny denied',
            'http_access allow localsrc',
            'http_access deny all',
          ].join('\n'),
        );
      },
      args: (dir) => ['-N', '-f', join(dir, 'squid.conf')],
    });
  });
  after(() => proxy?.stop());

  test('set 2 is intercepted by squid, set 3 refused with squid’s 403, set 1 genuine through the tunnel', async () => {
    const report = await probe({
      ...base(),
      proxy: `http://127.0.0.1:${proxy.port}`,
      sweep: { catalog: catalog() },
    });
    const b = line(report, 'b.cloud.test');
    assert.equal(b.code, 'tls/intercepted', JSON.stringify(b));
    assert.equal(b.tls?.vendor, 'Squid (ssl-bump)');
    assert.equal(b.route, 'proxy');
    // The bumped request still reached the origin, on the right port.
    assert.equal(b.status, 200);
    // On an ssl-bump port squid refuses inside the tunnel it decrypted: its own 403, X-Squid-Error and all.
    const dl = line(report, 'dl.cloud.test');
    assert.equal(dl.code, 'proxy/forbidden', JSON.stringify(dl));
    assert.equal(dl.status, 403);
    assert.equal(dl.servedBy, 'proxy');
    assert.match(dl.message ?? '', /ERR_ACCESS_DENIED/);
    for (const host of ['a.cloud.test', 'ws.cloud.test']) {
      const ok = line(report, host);
      assert.equal(ok.code, 'ok', JSON.stringify(ok));
      assert.equal(ok.tls?.verdict, 'genuine');
    }
    const text = renderReport(report, { color: false });
    assert.match(text, /1 of 4 required endpoints intercepted by Squid \(ssl-bump\) \(set 2: SharePoint\)/);
    assert.match(text, /1 of 4 required endpoints refused by the proxy \(HTTP 403\) \(set 3: Common\)/);
  });
});

describe('through squid with an ACL denying sets 2 and 3 at CONNECT', {
  skip: squid ? false : 'squid is not installed (apt-get install squid-openssl)',
}, () => {
  let proxy: ExternalProcess;
  before(async () => {
    proxy = await startExternal({
      binary: squid ?? 'squid',
      prepare: async (dir, port) => {
        await writeFile(join(dir, 'hosts'), `127.0.0.1 ${ALL_NAMES.join(' ')}\n`);
        await writeFile(
          join(dir, 'squid.conf'),
          [
            ...squidBaseConfig(dir, port),
            'acl localsrc src 127.0.0.0/8',
            'acl denied dstdomain b.cloud.test dl.cloud.test',
            'http_access deny denied',
            'http_access allow localsrc',
            'http_access deny all',
          ].join('\n'),
        );
      },
      args: (dir) => ['-N', '-f', join(dir, 'squid.conf')],
    });
  });
  after(() => proxy?.stop());

  test('the refused hosts are proxy/forbidden with squid’s 403, the others pass through the tunnel', async () => {
    const report = await probe({
      ...base(),
      proxy: `http://127.0.0.1:${proxy.port}`,
      sweep: { catalog: catalog() },
    });
    for (const host of ['b.cloud.test', 'dl.cloud.test']) {
      const h = line(report, host);
      assert.equal(h.code, 'proxy/forbidden', JSON.stringify(h));
      assert.equal(h.status, 403);
      assert.equal(h.tls, undefined, 'no TLS: the tunnel was never opened');
    }
    assert.equal(line(report, 'a.cloud.test').tls?.verdict, 'genuine');
    assert.match(
      renderReport(report, { color: false }),
      /2 of 4 required endpoints refused by the proxy \(HTTP 403\) \(sets 2, 3: SharePoint, Common\)/,
    );
  });
});

const mitmdump = which('mitmdump');
describe('through mitmproxy, which ignores the hosts of set 1', {
  skip: mitmdump ? false : 'mitmproxy is not installed (apt-get install mitmproxy)',
}, () => {
  let proxy: ExternalProcess;
  let upstream: TestProxy;
  before(async () => {
    // mitmproxy resolves names itself; chaining it to a loopback CONNECT proxy keeps every name on 127.0.0.1.
    upstream = await startConnectProxy();
    proxy = await startExternal({
      binary: mitmdump ?? 'mitmdump',
      args: (dir, port) => [
        '--listen-host',
        '127.0.0.1',
        '--listen-port',
        String(port),
        '--set',
        `confdir=${dir}`,
        '--mode',
        `upstream:http://127.0.0.1:${upstream.port}`,
        '--ssl-insecure',
        // Pass-through (no inspection) for set 1, as a bypass list would.
        '--ignore-hosts',
        '^(a|ws)\\.cloud\\.test',
        '-q',
      ],
      ready: (dir) => fileExists(join(dir, 'mitmproxy-ca-cert.pem')),
      timeoutMs: 30_000,
    });
  });
  after(async () => {
    await proxy?.stop();
    await upstream?.close();
  });

  test('sets 2 and 3 are intercepted by mitmproxy, set 1 is genuine', async () => {
    const mitmCa = readFileSync(join(proxy.dir, 'mitmproxy-ca-cert.pem'), 'utf8');
    const report = await probe({
      ...base(),
      proxy: `http://127.0.0.1:${proxy.port}`,
      extraTrustedCas: [pki.genuineRoot.certPem, mitmCa],
      sweep: { catalog: catalog() },
    });
    for (const host of ['b.cloud.test', 'dl.cloud.test']) {
      const h = line(report, host);
      assert.equal(h.code, 'tls/intercepted', JSON.stringify(h));
      assert.equal(h.tls?.vendor, 'mitmproxy');
      assert.equal(h.status, 200, 'the request went through the interceptor to the origin');
    }
    for (const host of ['a.cloud.test', 'ws.cloud.test'])
      assert.equal(line(report, host).tls?.verdict, 'genuine');
    assert.match(
      renderReport(report, { color: false }),
      /2 of 4 required endpoints intercepted by mitmproxy \(sets 2, 3: SharePoint, Common\)/,
    );
  });
});
