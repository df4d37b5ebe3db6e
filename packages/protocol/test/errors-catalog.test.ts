import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES_COMMAND, errorCodesDoc } from '../src/error-codes-doc.ts';
import { ERRORS, type ErrorSpec } from '../src/errors.ts';

test('every error catalog key equals its code, has an HTTP status and a description', () => {
  for (const [key, spec] of Object.entries(ERRORS)) {
    assert.equal(spec.code, key);
    assert.ok(spec.status >= 400 && spec.status < 600, `${key} status`);
    assert.ok(spec.description.length > 10, `${key} description`);
  }
});

/**
 * The whole catalog, pinned. Clients and scripts match on these codes and
 * statuses, so a change here is a change of the API: adding a code means
 * adding its line; renaming, removing or moving a code to another status
 * fails. A code that is no longer raised stays in the catalog marked
 * `retired` and moves to RETIRED below, never to be given a new meaning.
 */
const PINNED: Record<string, number> = {
  NI_ERR_USAGE: 400,
  NI_ERR_PROFILE_INVALID: 422,
  NI_ERR_PAC_INVALID: 422,
  NI_ERR_BODY_UNPARSEABLE: 400,
  NI_ERR_UNAUTHENTICATED: 401,
  NI_ERR_FORBIDDEN: 403,
  NI_ERR_NOT_FOUND: 404,
  NI_ERR_CONFLICT: 409,
  NI_ERR_SETTING_MISSING: 409,
  NI_ERR_BODY_TOO_LARGE: 413,
  NI_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  NI_ERR_SCHEMA: 422,
  NI_ERR_RATE_LIMITED: 429,
  NI_ERR_LOGIN_THROTTLED: 429,
  NI_ERR_ENROLLMENT_REFUSED: 403,
  NI_ERR_CATALOG_INVALID: 422,
  NI_ERR_CATALOG_FETCH: 502,
  NI_ERR_TARGET_FORBIDDEN: 422,
  NI_ERR_SSO_PROVIDER: 502,
  NI_ERR_CONFIG: 500,
  NI_ERR_INTERNAL: 500,
};

/** Codes no longer raised; each stays in PINNED and in the catalog, marked retired. */
const RETIRED: string[] = [];

const specs: ErrorSpec[] = Object.values(ERRORS);

test('the error catalog is exactly the pinned set of codes, each with its pinned HTTP status', () => {
  assert.deepEqual(Object.fromEntries(specs.map((e) => [e.code, e.status])), PINNED);
});

test('retired codes stay retired, and only they are marked retired', () => {
  for (const code of RETIRED) assert.ok(code in PINNED, `${code} is retired but no longer pinned`);
  assert.deepEqual(
    specs.filter((e) => e.retired).map((e) => e.code),
    RETIRED,
  );
});

test('every code is NI_ERR_ followed by upper-case words', () => {
  for (const e of specs) assert.match(e.code, /^NI_ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
});

test(`docs/error-codes.md matches the catalog (run \`${ERROR_CODES_COMMAND}\` after a change)`, () => {
  const { file, text } = errorCodesDoc();
  assert.equal(
    readFileSync(file, 'utf8'),
    text,
    `${file} is out of date: run \`${ERROR_CODES_COMMAND}\` and commit the result`,
  );
});
