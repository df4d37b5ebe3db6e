/**
 * @module errors
 * The error catalog: one stable code per user-facing error, with its HTTP
 * status and what it means. Codes are never renamed or reused; a retired code
 * stays here marked retired. test/errors-catalog.test.ts pins the whole set
 * with its statuses (a new code is an explicit change to that test), and
 * docs/error-codes.md is the table rendered from here (`npm run docs:errors`).
 */
/** One entry of the catalog. */
export interface ErrorSpec {
  code: string;
  status: number;
  description: string;
  /** No longer raised; kept so that the code is never given another meaning. */
  retired?: boolean;
}

export const ERRORS = {
  NI_ERR_USAGE: {
    code: 'NI_ERR_USAGE',
    status: 400,
    description: 'A command-line flag or argument is missing or invalid.',
  },
  NI_ERR_PROFILE_INVALID: {
    code: 'NI_ERR_PROFILE_INVALID',
    status: 422,
    description: 'A service profile file is unreadable, not JSON, or violates the profile schema.',
  },
  NI_ERR_PAC_INVALID: {
    code: 'NI_ERR_PAC_INVALID',
    status: 422,
    description: 'A PAC file cannot be loaded or throws when evaluated.',
  },
  NI_ERR_BODY_UNPARSEABLE: {
    code: 'NI_ERR_BODY_UNPARSEABLE',
    status: 400,
    description: 'The request body is not valid JSON (or not valid gzip).',
  },
  NI_ERR_UNAUTHENTICATED: {
    code: 'NI_ERR_UNAUTHENTICATED',
    status: 401,
    description: 'No valid credential was presented.',
  },
  NI_ERR_FORBIDDEN: {
    code: 'NI_ERR_FORBIDDEN',
    status: 403,
    description: 'The credential is valid but may not do this.',
  },
  NI_ERR_NOT_FOUND: {
    code: 'NI_ERR_NOT_FOUND',
    status: 404,
    description: 'No such resource in this tenant.',
  },
  NI_ERR_CONFLICT: {
    code: 'NI_ERR_CONFLICT',
    status: 409,
    description: 'The change conflicts with existing data.',
  },
  NI_ERR_SETTING_MISSING: {
    code: 'NI_ERR_SETTING_MISSING',
    status: 409,
    description:
      'The request needs an organisation setting that has not been made yet (the message names it and where to set it).',
  },
  NI_ERR_BODY_TOO_LARGE: {
    code: 'NI_ERR_BODY_TOO_LARGE',
    status: 413,
    description: 'The request body (or its decompressed form) is larger than allowed.',
  },
  NI_ERR_UNSUPPORTED_MEDIA_TYPE: {
    code: 'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    description: 'The Content-Type or Content-Encoding is not accepted here.',
  },
  NI_ERR_SCHEMA: {
    code: 'NI_ERR_SCHEMA',
    status: 422,
    description: 'The body is JSON but violates the schema; the message names the JSON path.',
  },
  NI_ERR_RATE_LIMITED: {
    code: 'NI_ERR_RATE_LIMITED',
    status: 429,
    description: 'Too many requests; retry after the number of seconds in Retry-After.',
  },
  NI_ERR_LOGIN_THROTTLED: {
    code: 'NI_ERR_LOGIN_THROTTLED',
    status: 429,
    description: 'Too many failed sign-ins; wait before trying again.',
  },
  NI_ERR_ENROLLMENT_REFUSED: {
    code: 'NI_ERR_ENROLLMENT_REFUSED',
    status: 403,
    description: 'The enrollment secret is unknown, revoked, expired or used up; ask for a new one.',
  },
  NI_ERR_CATALOG_INVALID: {
    code: 'NI_ERR_CATALOG_INVALID',
    status: 422,
    description:
      'An endpoint catalog file is not JSON or an endpoint set in it is malformed; the catalog in force is kept.',
  },
  NI_ERR_CATALOG_FETCH: {
    code: 'NI_ERR_CATALOG_FETCH',
    status: 502,
    description: 'An endpoint catalog could not be read from the given file or URL.',
  },
  NI_ERR_TARGET_FORBIDDEN: {
    code: 'NI_ERR_TARGET_FORBIDDEN',
    status: 422,
    description:
      'A notification URL points at a loopback, private or otherwise internal address the operator has not allowed.',
  },
  NI_ERR_SSO_PROVIDER: {
    code: 'NI_ERR_SSO_PROVIDER',
    status: 502,
    description:
      "The organisation's OpenID provider could not be reached, or its answer failed a check (issuer, signature, expiry, nonce).",
  },
  NI_ERR_CONFIG: { code: 'NI_ERR_CONFIG', status: 500, description: 'The server configuration is invalid.' },
  NI_ERR_INTERNAL: {
    code: 'NI_ERR_INTERNAL',
    status: 500,
    description: 'An unexpected error; the server log has details.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error that carries a catalog code, for CLI exit handling and HTTP responses. */
export class NetinsightsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'NetinsightsError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
