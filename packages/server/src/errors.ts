/**
 * @module errors
 * The server's error constructors, below every layer that raises them:
 * `auth/`, `ingest/` and the routes throw these, and `http/error-handler.ts`
 * maps them onto HTTP answers. Each is a `NetinsightsError` with a code from
 * the catalog (`@netinsights/protocol`'s `ERRORS`), which fixes its status.
 */
import { ERRORS, type ErrorCode, NetinsightsError, type SchemaIssue } from '@netinsights/protocol';

/** An error with a catalog code; its HTTP status is the catalog's. */
export function apiError(code: ErrorCode, message: string, details?: unknown): NetinsightsError {
  return new NetinsightsError(code, message, details);
}

/** 422 naming the first JSON paths that are wrong. */
export function schemaError(what: string, issues: SchemaIssue[]): NetinsightsError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return apiError(
    'NI_ERR_SCHEMA',
    `${what}: ${first ? `${first.path} ${first.message}` : 'invalid'}${more}`,
    {
      issues,
    },
  );
}

/**
 * 429 with the seconds to wait in `details.retryAfterSeconds`, which the HTTP
 * layer also sends as Retry-After (RFC 9110 §10.2.3).
 */
export function rateLimited(
  code: 'NI_ERR_RATE_LIMITED' | 'NI_ERR_LOGIN_THROTTLED',
  retryAfterSeconds: number,
): NetinsightsError {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  return apiError(code, `${ERRORS[code].description} (retry after ${s} s)`, { retryAfterSeconds: s });
}
