/**
 * @module lab-cli.test
 * `netinsights lab` as a user runs it, in a child process: list, run (exit
 * codes and JSON), usage errors, and `up` — whose printed probe command line
 * works as pasted and which stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '@netinsights/protocol';

const BIN = fileURLToPath(new URL('../../cli/bin/netinsights.ts', import.meta.url));
const DEADLINE_MS = 60_000;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: DEADLINE_MS, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Splits a printed command line the way a POSIX shell would for our simple quoting. */
function shellSplit(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!,
  );
}

describe('netinsights lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ni-lab-cli-'));
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lab list names the twelve scenarios', async () => {
    const r = await cli(['lab', 'list']);
    assert.equal(r.code, 0);
    for (const name of ['healthy-direct', 'intercepted', 'ws-reset', 'slow-path'])
      assert.match(r.stdout, new RegExp(`^${name} `, 'm'));
    assert.equal(r.stdout.trim().split('\n').length, 12);
  });

  it('usage errors exit 2 with a message that names the problem', async () => {
    const bad = await cli(['lab', 'run', '--scenario', 'no-such']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown scenario "no-such"; known: healthy-direct/);
    const none = await cli(['lab']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing subcommand/);
    const flag = await cli(['lab', 'up', '--bogus']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown flag --bogus/);
  });

  it('--help describes list, run and up', async () => {
    const r = await cli(['lab', 'run', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /netinsights lab list/);
    assert.match(r.stdout, /--scenario NAME/);
    assert.match(r.stdout, /--profile-out FILE/);
  });

  it('lab run --json reports expected vs observed and exits 0 when they agree', async () => {
    const r = await cli(['lab', 'run', '--scenario', 'dns-failure', '--json']);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      scenarios: { scenario: string; ok: boolean; lines: unknown[] }[];
    };
    assert.equal(out.scenarios.length, 1);
    assert.equal(out.scenarios[0]?.scenario, 'dns-failure');
    assert.ok(out.scenarios[0]!.lines.length > 1);
    assert.equal(r.code, out.ok ? 0 : 1);
    assert.equal(out.ok, true, JSON.stringify(out.scenarios[0]?.lines, null, 2));
  });

  it('lab up writes a valid profile, prints a working probe command, and stops on SIGTERM', async () => {
    const profileFile = join(dir, 'lab.json');
    const proc = spawn(process.execPath, [BIN, 'lab', 'up', '--profile-out', profileFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.resume();
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`lab up printed no commands in time:\n${stdout}`)),
        DEADLINE_MS,
      );
      proc.stdout.on('data', (d: string) => {
        stdout += d;
        if (/# slow-path:.*\n.*\n/.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', () => reject(new Error(`lab up exited early:\n${stdout}`)));
    });
    const profile = loadProfile(profileFile);
    assert.equal(profile.id, 'm365-lab');
    assert.match(stdout, /front door .*127\.0\.0\.1:\d+/);

    const line = /# healthy-direct:.*\n\s*(netinsights probe .*)\n/.exec(stdout)?.[1];
    assert.ok(line, 'a probe command for healthy-direct');
    const args = shellSplit(line).slice(1);
    const probe = await cli([...args, '--json']);
    assert.equal(probe.code, 0, probe.stdout.slice(0, 2000) + probe.stderr);
    const report = JSON.parse(probe.stdout) as { results: { outcome: { status: string } }[] };
    assert.ok(report.results.length > 10);

    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    child = undefined;
    assert.ok(readFileSync(join(dir, 'lab.zscaler-ca.pem'), 'utf8').includes('BEGIN CERTIFICATE'));
  });
});
