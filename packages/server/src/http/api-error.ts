/**
 * @module http/api-error
 * Every error answer has the shape `{ error: { code, message, details? } }`
 * with the catalog's status (packages/protocol/src/errors.ts). This file maps
 * NetinsightsErrors, Fastify's own errors (body limits, content types, route
 * schema failures) and anything unexpected onto that shape.
 */
import { ERRORS, type ErrorCode, NetinsightsError, type SchemaIssue } from '@netinsights/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

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

/** 429 with the seconds to wait, sent as Retry-After (RFC 9110 §10.2.3). */
export function rateLimited(
  code: 'NI_ERR_RATE_LIMITED' | 'NI_ERR_LOGIN_THROTTLED',
  retryAfterSeconds: number,
) {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  return apiError(code, `${ERRORS[code].description} (retry after ${s} s)`, { retryAfterSeconds: s });
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

function fromFastify(err: FastifyError): NetinsightsError | undefined {
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    const issues = (err.validation as AjvIssue[]).map((v) => {
      let path = v.instancePath || '';
      if (v.params?.missingProperty) path += `/${v.params.missingProperty}`;
      if (v.params?.additionalProperty) path += `/${v.params.additionalProperty}`;
      const message =
        v.params?.additionalProperty !== undefined
          ? 'is not an accepted property'
          : (v.message ?? 'is invalid');
      return { path: path || '/', message };
    });
    return schemaError(`invalid ${where}`, issues);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('NI_ERR_BODY_TOO_LARGE', 'the request body is larger than allowed');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? apiError(
            'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
            'this Content-Type is not accepted here; send application/json',
          )
        : apiError('NI_ERR_BODY_UNPARSEABLE', 'the Content-Length does not match the body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiError('NI_ERR_BODY_UNPARSEABLE', 'the body is empty; a JSON document is expected');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('NI_ERR_BODY_UNPARSEABLE', `the body is not valid JSON: ${err.message}`);
  }
  if (err instanceof SyntaxError || err.statusCode === 400)
    return apiError('NI_ERR_BODY_UNPARSEABLE', `the body could not be parsed: ${err.message}`);
  if (err.statusCode === 413)
    return apiError('NI_ERR_BODY_TOO_LARGE', 'the request body is larger than allowed');
  if (err.statusCode === 415) return apiError('NI_ERR_UNSUPPORTED_MEDIA_TYPE', err.message);
  return undefined;
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = err instanceof NetinsightsError ? err : fromFastify(err);
  const e = known ?? apiError('NI_ERR_INTERNAL', ERRORS.NI_ERR_INTERNAL.description);
  if (!known) request.log.error({ err }, 'unhandled error');
  else if (e.status >= 500) request.log.error({ err }, e.message);
  const retry = (e.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  if (e.status === 429 && retry) reply.header('retry-after', String(retry));
  reply.status(e.status).send({
    error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) },
  });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  reply.status(404).send({
    error: { code: 'NI_ERR_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
  });
}
