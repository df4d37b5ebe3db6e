import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signWebhook, verifyWebhook } from '../../src/notify/signature.ts';

const secret = 'receiver-and-server-share-this';
const body = '{"type":"test"}';

test('the signature is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed v1=', () => {
  const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
  assert.equal(signWebhook(secret, 1700000000, body), `v1=${expected}`);
});

test('verify accepts a fresh genuine signature and names each way a forgery fails', () => {
  const now = 1_800_000_000;
  const signature = signWebhook(secret, now, body);
  const base = { secret, body, timestamp: String(now), signature, now };
  assert.deepEqual(verifyWebhook(base), { ok: true });
  assert.deepEqual(verifyWebhook({ ...base, body: '{"type":"tampered"}' }), {
    ok: false,
    reason: 'signature does not match',
  });
  assert.deepEqual(verifyWebhook({ ...base, secret: 'another-secret' }), {
    ok: false,
    reason: 'signature does not match',
  });
  assert.deepEqual(verifyWebhook({ ...base, now: now + 301 }), {
    ok: false,
    reason: 'timestamp outside the tolerance (replay or clock skew)',
  });
  assert.deepEqual(verifyWebhook({ ...base, timestamp: undefined }), {
    ok: false,
    reason: 'missing or malformed X-Netinsights-Timestamp',
  });
  assert.deepEqual(verifyWebhook({ ...base, signature: undefined }), {
    ok: false,
    reason: 'missing X-Netinsights-Signature',
  });
  // During a secret rotation a list of signatures is accepted if one matches.
  assert.deepEqual(verifyWebhook({ ...base, signature: `v1=deadbeef, ${signature}` }), { ok: true });
});
