import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { loadCommand, loadCommands } from '../src/commands/index.ts';

const cli = new URL('../bin/netinsights.ts', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('every command file is named after its command, so a run loads only that file', async () => {
  for (const c of await loadCommands()) assert.equal((await loadCommand(c.name))?.name, c.name);
});

test('every subcommand answers --help with its usage and exit code 0', async () => {
  for (const c of await loadCommands()) {
    const r = run(c.name, '--help');
    assert.equal(r.status, 0, `${c.name} --help exited ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /Usage: netinsights/, `${c.name} --help prints a usage line`);
  }
});

test('an unknown command exits 2 and lists the commands', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  assert.match(r.stderr, /probe/);
});

test('the probe command does not load the server (an endpoint needs no database code)', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { loadCommand } from ${JSON.stringify(new URL('../src/commands/index.ts', import.meta.url).href)};
       await loadCommand('probe');
       const { createRequire } = await import('node:module');
       const loaded = Object.keys(createRequire(import.meta.url).cache);
       console.log(JSON.stringify(loaded.filter((f) => /fastify|node_modules\\/pg\\//.test(f)).length));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0');
});
