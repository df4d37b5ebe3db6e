/**
 * Durability under SIGKILL: a real `netinsights serve` child process takes a
 * stream of uploads and is killed mid-stream; after a restart on the same
 * database every report it acknowledged (202) is there exactly once, a
 * re-upload of each is recognised as a duplicate, and nothing was stored
 * that was never sent. Runs on every store dialect the test run covers.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { openStore } from '../src/store/index.ts';
import { sampleReport } from './helpers/sample-report.ts';
import { testDatabase, testDialects } from './store/dialects.ts';

const CLI = new URL('../../cli/bin/netinsights.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function cli(db: string, ...args: string[]): unknown {
  return JSON.parse(
    execFileSync(process.execPath, [CLI, ...args, '--db', db, '--json'], { encoding: 'utf8' }),
  );
}

/** Starts `serve` on port 0 and resolves with the address it prints. */
function serve(db: string, ingestWorkers: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--ingest-burst',
      '100000',
      '--ingest-workers',
      String(ingestWorkers),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s: ${out} ${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d;
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}

for (const dialect of testDialects())
  for (const ingestWorkers of [0, 1])
    test(`no acknowledged report is lost or duplicated when the server is SIGKILLed mid-stream (${dialect}, ${ingestWorkers} ingest workers)`, {
      timeout: 180_000,
    }, async (t) => {
      const database = await testDatabase(dialect);
      t.after(() => database.drop());
      await crashAndRestart(database.url, ingestWorkers);
    });

async function crashAndRestart(db: string, ingestWorkers: number): Promise<void> {
  const tenant = cli(db, 'admin', 'create-tenant', '--name', 'Crash') as { id: string };
  const { token } = cli(db, 'admin', 'create-agent-token', '--tenant', tenant.id, '--name', 'crash') as {
    token: string;
  };

  const first = await serve(db, ingestWorkers);
  const sent = new Map<string, string>();
  const acked = new Set<string>();
  const KILL_AFTER = 120;
  let killed = false;
  const upload = async (url: string, body: string) =>
    fetch(`${url}/api/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      // Bounded: a request cut off by the kill fails instead of waiting forever.
      signal: AbortSignal.timeout(15_000),
    });

  // Eight concurrent senders; the kill lands while requests are in flight.
  const sender = async () => {
    for (let i = 0; i < 200 && !killed; i++) {
      const r = sampleReport();
      const body = JSON.stringify(r);
      sent.set(r.reportId, body);
      try {
        const res = await upload(first.url, body);
        if (res.status === 202) {
          acked.add(r.reportId);
          if (acked.size >= KILL_AFTER && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } else await res.text();
      } catch {
        // Connection reset by the kill: not acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, sender));
  assert.ok(killed, 'the server was killed mid-stream');
  assert.ok(sent.size > acked.size, 'some uploads were in flight when it died');
  if (first.child.exitCode === null && first.child.signalCode === null)
    await new Promise((r) => first.child.once('exit', r));
  assert.equal(first.child.signalCode, 'SIGKILL');

  const second = await serve(db, ingestWorkers);
  try {
    for (const id of acked) {
      const res = await upload(second.url, sent.get(id)!);
      assert.equal(res.status, 202);
      assert.equal(
        ((await res.json()) as { duplicate: boolean }).duplicate,
        true,
        `acknowledged report ${id} was lost`,
      );
    }
  } finally {
    const exited = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await exited;
  }

  const store = await openStore({ url: db });
  try {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.reports.list(tenant.id, { limit: 200, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(ids).size, ids.length, 'no report stored twice');
    for (const id of acked) assert.ok(ids.includes(id), `acknowledged ${id} is stored`);
    for (const id of ids) assert.ok(sent.has(id), `stored ${id} was sent`);
    for (const id of acked) assert.equal((await store.reports.get(tenant.id, id))?.body, sent.get(id));
  } finally {
    await store.close();
  }
}
