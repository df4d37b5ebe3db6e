/**
 * Sign-in under attack: parallel wrong passwords cannot race the throttle
 * (each attempt is counted before its hash), and password hashing is bounded
 * process-wide so a flood of sign-ins leaves libuv's threadpool for zlib and
 * file reads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HashGate, PASSWORD_HASH_GATE } from '../src/auth/hash-gate.ts';
import { type Fixture, PASSWORD, type SeededTenant, startSeededFixture } from './helpers/server-fixture.ts';

describe('sign-in floods', () => {
  let f: Fixture;
  let T: SeededTenant;
  before(async () => ({ f, T } = await startSeededFixture('Flood')));
  after(() => f.close());

  const login = (email: string, password: string) =>
    f.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  test('the login throttle is not raced: 200 parallel wrong passwords for one account get only 5 evaluated', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => login(T.ownerEmail, 'wrong password!')),
    );
    const statuses = answers.map((a) => a.statusCode);
    assert.equal(statuses.filter((s) => s === 401).length, 5, 'five attempts reach the password check');
    assert.equal(statuses.filter((s) => s === 429).length, 195);
    // The right password is refused as well until the window passes.
    assert.equal((await login(T.ownerEmail, PASSWORD)).statusCode, 429);
  });

  test('a right password after a wrong one clears the run', async () => {
    assert.equal((await login(T.adminEmail, 'wrong password!')).statusCode, 401);
    assert.equal((await login(T.adminEmail, PASSWORD)).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.equal((await login(T.adminEmail, 'wrong password!')).statusCode, 401);
    assert.equal((await login(T.adminEmail, 'wrong password!')).statusCode, 429);
  });

  test('unknown e-mails in parallel never hash more than two at once (the threadpool stays free)', async () => {
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, PASSWORD_HASH_GATE.load.running);
    }, 1);
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => login(`nobody-${i}@example.com`, 'any password at all')),
      );
      assert.ok(answers.every((a) => a.statusCode === 401));
    } finally {
      clearInterval(watch);
    }
    assert.ok(peak >= 1 && peak <= 2, `peak ${peak}`);
    assert.deepEqual(PASSWORD_HASH_GATE.load, { running: 0, queued: 0 });
  });
});

describe('HashGate', () => {
  test('runs at most `limit` at once, in arrival order, and refuses past the queue with 429', async () => {
    const gate = new HashGate(2, 3);
    const release: Array<() => void> = [];
    const order: number[] = [];
    const job = (i: number) =>
      gate.run(
        () =>
          new Promise<number>((resolve) => {
            order.push(i);
            release.push(() => resolve(i));
          }),
      );
    const running = [0, 1, 2, 3, 4].map(job);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(gate.load, { running: 2, queued: 3 });
    await assert.rejects(job(5), (err: Error & { code?: string }) => err.code === 'NI_ERR_RATE_LIMITED');
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await Promise.all(running), [0, 1, 2, 3, 4]);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual(gate.load, { running: 0, queued: 0 });
  });

  test('a failing job frees its slot', async () => {
    const gate = new HashGate(1, 1);
    await assert.rejects(
      gate.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await gate.run(async () => 7), 7);
  });
});
