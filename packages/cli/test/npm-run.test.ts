/**
 * The README's commands run through the real `npm run` with the machine's
 * own node first on PATH (older than 24 on many machines: scripts/run.sh
 * must bring Node 24 in itself), and JSON output survives `| jq`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { npmBannerHint, wantsJson } from '../src/npm-banner.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
// The system's npm and node, not the Node 24 this test runs on: what a new user types into a shell.
const systemPath = ['/usr/local/bin', '/usr/bin', '/bin'].join(':');
const npmFound =
  spawnSync('npm', ['--version'], { env: { PATH: systemPath }, encoding: 'utf8' }).status === 0;
const npmRun = (...args: string[]) =>
  spawnSync('npm', ['run', ...args], {
    cwd: root,
    env: { PATH: systemPath, HOME: process.env.HOME ?? '/tmp' },
    encoding: 'utf8',
    timeout: 300_000,
  });
const JSON_COMMAND = ['endpoints', 'bypass-list', '--required-only', '--format', 'json'];

test('npm run --silent netinsights -- … --format json prints only JSON on stdout', {
  skip: !npmFound && 'no npm on PATH',
}, () => {
  const r = npmRun('--silent', 'netinsights', '--', ...JSON_COMMAND);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotThrow(() => JSON.parse(r.stdout), `stdout is not JSON: ${r.stdout.slice(0, 200)}`);
  assert.doesNotMatch(r.stderr, /banner/, 'no hint when npm ran silently');
});

test("npm's banner broke | jq: a non-silent npm run with --json says on stderr how to get only JSON", {
  skip: !npmFound && 'no npm on PATH',
}, () => {
  const r = npmRun('netinsights', '--', ...JSON_COMMAND);
  assert.equal(r.status, 0, r.stderr);
  // What npm itself does (the reason for the hint): its banner comes first on stdout.
  assert.match(r.stdout, /^\s*> netinsights@/);
  assert.match(r.stderr, /npm run --silent netinsights -- …/);
});

test("npm run build:probe failed on the machine's older node: it now builds with Node 24", {
  skip: !npmFound && 'no npm on PATH',
}, () => {
  const bundle = join(root, 'packages/probe/dist/netinsights-probe.mjs');
  const before = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const r = npmRun('--silent', 'build:probe');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(statSync(bundle).mtimeMs > before, 'build:probe --force wrote the bundle again');
  assert.equal(r.stdout.trim(), '', 'the build reports on stderr only');
});

test('the JSON hint recognises every way a command asks for JSON, and stays quiet otherwise', () => {
  assert.ok(wantsJson(['probe', '--json']));
  assert.ok(wantsJson(['endpoints', 'firewall', '--format', 'json']));
  assert.ok(wantsJson(['endpoints', 'firewall', '--format=json']));
  assert.ok(!wantsJson(['endpoints', 'firewall', '--format', 'csv']));
  const npm = { npm_lifecycle_event: 'netinsights', npm_package_name: 'netinsights' };
  assert.match(npmBannerHint(['probe', '--json'], npm) ?? '', /npm run --silent netinsights/);
  assert.equal(npmBannerHint(['probe', '--json'], { ...npm, npm_config_loglevel: 'silent' }), undefined);
  assert.equal(npmBannerHint(['probe', '--json'], {}), undefined, 'not started by npm');
  assert.equal(npmBannerHint(['probe'], npm), undefined, 'text output: the banner does no harm');
});
