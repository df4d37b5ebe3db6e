import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadProfile, ProfileError } from '../src/profile-loader.ts';
import type { ServiceProfile } from '../src/service-profile.ts';

type Teams = NonNullable<ServiceProfile['teamsMedia']>;

const dir = mkdtempSync(join(tmpdir(), 'ni-profile-'));
function fileWith(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

test('the shipped m365 profile loads and pins the three Microsoft 365 roots', () => {
  const p = loadProfile('m365');
  const pins = p.expectedCas.filter((c) => c.spkiSha256).map((c) => c.spkiSha256);
  assert.deepEqual(pins.sort(), [
    'NfU84SZGEeAzQP434ex9TMmGxWE9ynD9BKpEVF8tryg=',
    'i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=',
    'svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=',
  ]);
  assert.deepEqual(
    p.criticalDomains.map((d) => d.domain),
    ['cloud.microsoft', 'static.microsoft', 'usercontent.microsoft'],
  );
});

test('a profile that is not JSON is rejected with the file, line and column', () => {
  const f = fileWith('broken.json', '{\n  "id": "x",\n  oops\n}');
  assert.throws(
    () => loadProfile(f),
    (err: Error) => {
      assert.ok(err instanceof ProfileError);
      assert.match(
        err.message,
        new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON at line 3`),
      );
      return true;
    },
  );
});

test('a profile with a wrong field names the JSON path', () => {
  const good = loadProfile('m365');
  const bad = { ...good, quic: { ...good.quic, port: 70000 } };
  const f = fileWith('bad-port.json', JSON.stringify(bad));
  assert.throws(() => loadProfile(f), /\/quic\/port/);
});

test('the shipped profile measures Teams media on UDP 3478–3481 against Microsoft targets', () => {
  const t = loadProfile('m365').teamsMedia;
  assert.ok(t);
  assert.equal(t.host, 'worldaz.tr.teams.microsoft.com');
  assert.deepEqual(t.ports, [3478, 3479, 3480, 3481]);
  assert.equal(t.intervalMs, 20);
  assert.deepEqual(t.thresholds, { lossPercent: 1, rttMs: 100, jitterMs: 30 });
});

for (const [what, change, path] of [
  ['a Teams media port outside 1–65535', (t: Teams) => (t.ports[1] = 70000), /\/teamsMedia\/ports\/1/],
  ['a port 0', (t: Teams) => (t.ports[0] = 0), /\/teamsMedia\/ports\/0/],
  ['a negative duration', (t: Teams) => (t.durationSeconds = -1), /\/teamsMedia\/durationSeconds/],
  [
    'a loss threshold over 100 %',
    (t: Teams) => (t.thresholds.lossPercent = 150),
    /\/teamsMedia\/thresholds\/lossPercent/,
  ],
  [
    'a negative jitter threshold',
    (t: Teams) => (t.thresholds.jitterMs = -5),
    /\/teamsMedia\/thresholds\/jitterMs/,
  ],
  [
    'a port named twice',
    (t: Teams) => (t.ports[2] = t.ports[0]!),
    /\/teamsMedia\/ports\/2 3478 is named twice/,
  ],
] as const) {
  test(`a profile with ${what} is rejected naming the file and the JSON path`, () => {
    const bad = structuredClone(loadProfile('m365'));
    change(bad.teamsMedia!);
    const f = fileWith(`bad-teams-${what.replace(/\W+/g, '-')}.json`, JSON.stringify(bad));
    assert.throws(
      () => loadProfile(f),
      (err: Error) => {
        assert.ok(err instanceof ProfileError);
        assert.ok(err.message.startsWith(`${f}: `), err.message);
        assert.match(err.message, path);
        return true;
      },
    );
  });
}

test('a profile host outside its critical domain is rejected with its path', () => {
  const good = loadProfile('m365');
  const bad = structuredClone(good);
  bad.criticalDomains[0]!.hosts.push('evil.example.com');
  const f = fileWith('bad-host.json', JSON.stringify(bad));
  assert.throws(() => loadProfile(f), /\/criticalDomains\/0\/hosts\/4 "evil.example.com"/);
});

test('a missing profile file says so', () => {
  assert.throws(() => loadProfile(join(dir, 'nope.json')), /nope.json: no such file/);
});

test('the shipped profile says plainly that the admin must name a large download object', () => {
  const t = loadProfile('m365').throughput;
  assert.match(t.note ?? '', /large file .* your own tenant/);
  assert.match(t.note ?? '', /SharePoint or OneDrive/);
  assert.match(t.note ?? '', /not measured: object too small/);
});

test('a tenant file as the download object loads; a non-https or garbage URL names the file and /throughput/url', () => {
  const good = structuredClone(loadProfile('m365'));
  good.throughput.url = 'https://contoso.sharepoint.com/:u:/s/it/speedtest.bin?download=1';
  assert.equal(
    loadProfile(fileWith('tenant-download.json', JSON.stringify(good))).throughput.url,
    good.throughput.url,
  );
  for (const [name, url, message] of [
    ['http', 'http://contoso.sharepoint.com/speedtest.bin', /\/throughput\/url/],
    ['garbage', 'https://contoso sharepoint/speed test', /\/throughput\/url ".*" is not a valid URL/],
    ['no scheme', 'speedtest.bin', /\/throughput\/url/],
  ] as const) {
    const bad = structuredClone(loadProfile('m365'));
    bad.throughput.url = url;
    const f = fileWith(`bad-download-${name}.json`, JSON.stringify(bad));
    assert.throws(
      () => loadProfile(f),
      (err: Error) =>
        err instanceof ProfileError && err.message.startsWith(`${f}: `) && message.test(err.message),
    );
  }
});
