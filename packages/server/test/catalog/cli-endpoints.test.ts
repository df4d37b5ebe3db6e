import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawSet, snapshotDoc } from './fixtures.ts';
import { compilePac } from './pac-engine.ts';

const BIN = fileURLToPath(new URL('../../../cli/bin/netinsights.ts', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'endpoints', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

test('netinsights endpoints: import, refuse a malformed file, list, diff, and build artifacts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ni-cli-catalog-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const catalogDir = ['--catalog-dir', join(dir, 'store')];

  const newer = snapshotDoc();
  rawSet(newer, 184).category = 'Allow';
  await writeFile(join(dir, 'newer.json'), JSON.stringify(newer));
  const imported = await cli(['import', join(dir, 'newer.json'), ...catalogDir]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /Imported catalog c[0-9a-f]{12} \(63 endpoint sets\)/);
  assert.match(imported.stdout, /~ set 184 \(Common\)\n {4}category: Default → Allow/);

  const broken = snapshotDoc();
  broken[10]!.ips = ['300.1.2.3/8'];
  await writeFile(join(dir, 'broken.json'), JSON.stringify(broken));
  const refused = await cli(['import', join(dir, 'broken.json'), ...catalogDir]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /broken\.json was refused; the catalog in force is unchanged/);
  assert.match(refused.stderr, /\/10\/ips\/0: "300\.1\.2\.3\/8" does not start with an IPv4 or IPv6 address/);

  const list = await cli(['list', ...catalogDir]);
  assert.equal(list.stdout.trim().split('\n').length, 1);
  assert.match(list.stdout, /^\* c[0-9a-f]{12} .* 63 sets .*newer\.json/);

  const diff = await cli(['diff', 'snapshot', 'current', ...catalogDir]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /category: Default → Allow/);

  // The imported catalog is in force: with 184 now Allow, type 2 sends *.cloud.microsoft direct.
  const pacFile = join(dir, 'out.pac');
  const pac = await cli([
    'pac',
    '--type',
    '2',
    '--proxy',
    'PROXY p.corp.example:8080',
    '--out',
    pacFile,
    ...catalogDir,
  ]);
  assert.equal(pac.code, 0, pac.stderr);
  const find = await compilePac(await readFile(pacFile, 'utf8'));
  assert.equal(await find('m365.cloud.microsoft'), 'DIRECT');
  const snapPac = await cli([
    'pac',
    '--type',
    '2',
    '--proxy',
    'PROXY p.corp.example:8080',
    '--catalog',
    'snapshot',
    ...catalogDir,
  ]);
  assert.equal(await (await compilePac(snapPac.stdout))('m365.cloud.microsoft'), 'PROXY p.corp.example:8080');

  const fw = await cli(['firewall', '--hosts', 'forms.guest.usercontent.microsoft', ...catalogDir]);
  assert.equal(fw.code, 0, fw.stderr);
  assert.deepEqual(fw.stdout.trim().split('\r\n').slice(1), [
    '193,Common,Default,true,fqdn,*.usercontent.microsoft,tcp,443',
    '193,Common,Default,true,fqdn,*.usercontent.microsoft,udp,443',
  ]);

  const bypass = await cli(['bypass-list', '--category', 'optimize', '--format', 'json', ...catalogDir]);
  assert.deepEqual(
    (JSON.parse(bypass.stdout) as { entries: { pattern: string }[] }).entries.map((e) => e.pattern),
    ['outlook.cloud.microsoft', 'outlook.office.com', 'outlook.office365.com', '*.sharepoint.com'],
  );
});

test('netinsights endpoints: usage errors exit 2 with a sentence, and --help works on subcommands', async () => {
  const badType = await cli(['pac', '--type', '3']);
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /--type must be 1 or 2, got "3"/);
  const badCat = await cli(['firewall', '--category', 'Optimise']);
  assert.equal(badCat.code, 2);
  assert.match(badCat.stderr, /--category "Optimise" is not one of Optimize, Allow, Default/);
  // No guessed proxy: without --proxy the command says what it needs.
  const noProxy = await cli(['pac', '--type', '2']);
  assert.equal(noProxy.code, 2);
  assert.match(noProxy.stderr, /--proxy is required: where all other traffic goes today/);
  const badProxy = await cli(['pac', '--proxy', 'p.corp:8080']);
  assert.equal(badProxy.code, 2);
  assert.match(badProxy.stderr, /is not a PAC result/);
  const help = await cli(['pac', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--type 2 +Optimize and Allow endpoints go direct/);
});
