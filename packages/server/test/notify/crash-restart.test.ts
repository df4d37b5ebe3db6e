import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addChannel, receiver, tempStore, until } from './helpers.ts';

const PROCESS = fileURLToPath(new URL('./fixtures/outbox-process.ts', import.meta.url));
const SECRET = 'crash-test-secret-0123456789';

/** Starts the stand-in server process and collects its stdout lines. */
function start(
  file: string,
  mode: string,
): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [PROCESS, file, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buf = '';
  child.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, exited };
}

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a server killed with SIGKILL after recording an event delivers it after restart, once', async (t) => {
  const { store, file } = await tempStore(t);
  const rx = await receiver(t, { secret: SECRET });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });

  const first = start(file, 'enqueue');
  t.after(() => first.child.kill('SIGKILL'));
  await waitFor(() => first.lines.some((l) => l.startsWith('QUEUED ')), 'the event to be recorded');
  const deliveryId = first.lines.find((l) => l.startsWith('QUEUED '))!.slice(7);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, null, 'killed, not exited');
  assert.equal(rx.got.length, 0, 'nothing was sent before the kill');

  const restarted = start(file, 'work');
  assert.equal(await restarted.exited, 0);
  assert.match(restarted.lines.join('\n'), /DONE \{"pending":0,"sending":0,"delivered":1/);
  assert.deepEqual(rx.accepted(), [deliveryId]);
  assert.deepEqual(rx.got[0]!.verified, { ok: true });
});

test('a server killed mid-send loses its lease; after restart the delivery is acknowledged exactly once', async (t) => {
  const { store, file } = await tempStore(t);
  // The first request is held without an answer: the sender dies while waiting for it.
  const rx = await receiver(t, { secret: SECRET, hangFirst: 1 });
  await addChannel(store, { type: 'webhook', config: { url: rx.url, secret: SECRET } });

  const queued = start(file, 'enqueue');
  t.after(() => queued.child.kill('SIGKILL'));
  await waitFor(() => queued.lines.some((l) => l.startsWith('QUEUED ')), 'the event to be recorded');
  const deliveryId = queued.lines.find((l) => l.startsWith('QUEUED '))!.slice(7);
  queued.child.kill('SIGKILL');
  await queued.exited;

  const sender = start(file, 'send');
  t.after(() => sender.child.kill('SIGKILL'));
  await waitFor(() => rx.got.length === 1, 'the first send to reach the receiver');
  sender.child.kill('SIGKILL');
  await sender.exited;
  const leased = await store.outbox.getDelivery('t1', deliveryId);
  assert.equal(leased?.status, 'sending', 'claimed by the dead process');

  const restarted = start(file, 'work');
  assert.equal(await restarted.exited, 0);
  await until(
    async () => undefined,
    () => rx.accepted().length > 0,
    100,
    20,
  );
  assert.deepEqual(rx.accepted(), [deliveryId], 'acknowledged once');
  assert.equal(rx.got.length, 2, 'one unanswered attempt, one accepted');
  assert.equal(
    rx.got[0]!.headers['x-netinsights-delivery'],
    deliveryId,
    'same delivery id: receivers can de-duplicate',
  );
  const done = await store.outbox.getDelivery('t1', deliveryId);
  assert.equal(done?.status, 'delivered');
  assert.equal(done?.attempts, 2);
});
