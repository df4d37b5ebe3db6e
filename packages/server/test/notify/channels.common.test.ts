/**
 * The shared channel suite: every entry of CHANNELS goes through the same
 * cases (a valid submission is accepted, each bad field is refused with its
 * JSON path, the API view hides secrets, the save-time target check refuses
 * internal targets, a test message and a large digest render, a message
 * reaches a real loopback receiver, and failed sends are classified as
 * worth retrying or not), fed by its fixture in channel-fixtures.ts. The
 * fixtures are a Record over the channel types, so a new type does not
 * compile without one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelTarget, parseChannelInput, redactChannel } from '../../src/notify/channel.ts';
import { CHANNEL_TYPES, CHANNELS, channelOf, channelTypeInfos } from '../../src/notify/channels/index.ts';
import { type OutgoingMessage, TEST_TEXT } from '../../src/notify/notice.ts';
import { checkTarget } from '../../src/notify/ssrf-guard.ts';
import { FIXTURES } from './channel-fixtures.ts';
import { LOOPBACK_OK, sampleNotice } from './helpers.ts';

const KINDS = ['critical-domain-https-failure'];

const message = (): OutgoingMessage => ({
  deliveryId: 'd-common',
  tenantId: 't1',
  channelId: 'c-common',
  test: false,
  notices: [sampleNotice()],
});

/** The NI_ERR_SCHEMA details of a refused submission. */
function problemsOf(body: unknown): { path: string; message: string }[] {
  try {
    parseChannelInput(body, KINDS);
  } catch (err) {
    const e = err as Error & { code?: string; details?: { path: string; message: string }[] };
    assert.equal(e.code, 'NI_ERR_SCHEMA', e.message);
    return e.details ?? [];
  }
  assert.fail('the submission was accepted');
}

it('the registry lists every type once, under its own name, in the order the dashboard offers them', () => {
  assert.deepEqual(CHANNEL_TYPES, ['webhook', 'teams', 'slack', 'email']);
  for (const t of CHANNEL_TYPES) assert.equal(CHANNELS[t].type, t);
  assert.deepEqual(
    channelTypeInfos().map((i) => [i.type, i.label]),
    CHANNEL_TYPES.map((t) => [t, CHANNELS[t].label]),
  );
});

for (const type of CHANNEL_TYPES) {
  const def = CHANNELS[type];
  const f = FIXTURES[type];
  const body = (config: Record<string, unknown>) => ({ name: `${type} channel`, type, config });

  describe(`channel ${type}: shared cases`, () => {
    it('has a label and a form whose fields have distinct ids and known neighbours', () => {
      assert.ok(def.label.trim().length > 0);
      const fields = def.form.flat();
      assert.ok(fields.length > 0, 'at least one field');
      const ids = fields.map((x) => x.id ?? x.key);
      assert.equal(new Set(ids).size, ids.length, `distinct ids: ${ids.join(', ')}`);
      const keys = new Set(fields.map((x) => x.key));
      for (const x of fields) {
        assert.ok(x.label.trim(), `${x.key} has a label`);
        if (x.requires) assert.ok(keys.has(x.requires), `${x.key} requires a field of this form`);
        if (x.sets) assert.ok(keys.has(x.sets.key), `${x.key} sets a field of this form`);
        if (x.input === 'select') assert.ok(x.options?.length, `${x.key} has options`);
        else assert.equal(x.options, undefined, `${x.key}: options only on a select`);
      }
      // Every required field of the form is one the server reads.
      for (const x of fields.filter((y) => y.required))
        assert.ok(x.key in f.valid, `${x.key} is part of a valid config`);
    });

    it('accepts a valid submission, and its target is what the SSRF guard checks', () => {
      const input = parseChannelInput(body(f.valid), KINDS);
      assert.equal(input.type, type);
      assert.equal(channelTarget(input), f.target);
      const target = channelOf(input).target();
      assert.equal('url' in target ? target.url : target.host, f.target);
    });

    it('refuses a config that is not an object with its path', () => {
      assert.equal(problemsOf(body([] as unknown as Record<string, unknown>))[0]?.path, '/config');
    });

    for (const [path, patch] of Object.entries(f.bad))
      it(`refuses a bad ${path} with its path`, () => {
        const problems = problemsOf(body({ ...f.valid, ...patch }));
        assert.deepEqual(
          problems.map((p) => p.path),
          [path],
          JSON.stringify(problems),
        );
        assert.throws(() => parseChannelInput(body({ ...f.valid, ...patch }), KINDS), {
          message: new RegExp(`^notification channel: ${path} `),
        });
      });

    it('never shows a secret or password through the API', () => {
      const input = parseChannelInput(body(f.valid), KINDS);
      const view = redactChannel({ ...input, tenantId: 't1', id: 'c1', createdAt: '', updatedAt: '' });
      const text = JSON.stringify(view);
      for (const secret of [...f.secrets, ...Object.values(channelOf(input).shownOnce())])
        assert.equal(text.includes(secret), false, `${secret} is not shown`);
      assert.ok(text.includes(f.shownTarget ?? f.target), 'the target is shown');
      assert.deepEqual(Object.keys(channelOf(input).shownOnce()), f.shownOnce);
    });

    it('refuses an internal target when saved, unless the operator allowed them', async () => {
      const input = parseChannelInput(body(f.loopback), KINDS);
      const target = channelOf(input).target();
      await assert.rejects(checkTarget(target), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'NI_ERR_TARGET_FORBIDDEN');
        assert.match(err.message, /points at 127\.0\.0\.1, a loopback address/);
        return true;
      });
      await checkTarget(target, { allowPrivateTargets: true });
    });

    it('renders a test message, and a large digest with every notice or how many were left out', () => {
      const test = JSON.stringify(def.render({ ...message(), test: true, notices: [] }));
      assert.ok(test.includes(TEST_TEXT), test);
      const notices = Array.from({ length: 25 }, (_, i) => sampleNotice({ officeName: `Office ${i}` }));
      const digest = JSON.stringify(def.render({ ...message(), notices }, LOOPBACK_OK.publicUrl));
      assert.ok(digest.includes('Office 0'), 'the first notice is shown');
      assert.ok(
        digest.includes('Office 24') || digest.includes('and 15 more changes'),
        'the rest is accounted for',
      );
      assert.ok(
        digest.includes('https://netinsights.example/api/v1/remediation/pac?insight=ins-1'),
        'links are absolute',
      );
    });

    it('delivers a message to a real loopback receiver', async (t) => {
      const rx = await f.receiver(t, 'accept');
      const channel = { type, config: parseChannelInput(body(rx.config), KINDS).config };
      const outcome = await channelOf(channel).send(message(), LOOPBACK_OK);
      assert.equal(outcome.ok, true, outcome.detail);
      assert.equal(outcome.retryable, false);
      const got = rx.got();
      assert.equal(got.length, 1, 'one message arrived');
      assert.match(got[0]!, /Microsoft 365 core domains fail over HTTPS/);
    });

    it('classifies failures: a transient refusal is retried, a permanent one is not', async (t) => {
      for (const [answer, retryable] of [
        ['transient', true],
        ['permanent', false],
      ] as const) {
        const rx = await f.receiver(t, answer);
        const channel = { type, config: parseChannelInput(body(rx.config), KINDS).config };
        const outcome = await channelOf(channel).send(message(), LOOPBACK_OK);
        assert.equal(outcome.ok, false, `${answer}: ${outcome.detail}`);
        assert.equal(outcome.retryable, retryable, `${answer}: ${outcome.detail}`);
        assert.equal(outcome.status, f.status[answer], outcome.detail);
      }
    });

    it('classifies failures: nobody listening is retried, a target the guard refuses is not', async (t) => {
      const closed = await f.receiver(t, 'closed');
      const channel = { type, config: parseChannelInput(body(closed.config), KINDS).config };
      const down = await channelOf(channel).send(message(), LOOPBACK_OK);
      assert.equal(down.ok, false);
      assert.equal(down.retryable, true, down.detail);
      const refused = await channelOf(channel).send(message(), { guard: {} });
      assert.equal(refused.ok, false);
      assert.equal(refused.retryable, false, refused.detail);
      assert.match(refused.detail, /a loopback address/);
    });
  });
}
