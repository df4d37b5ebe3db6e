/**
 * @module http/error-handler
 * The HTTP mapping of errors. Every error answer has the shape
 * `{ error: { code, message, details? } }` with the catalog's status
 * (packages/protocol/src/errors.ts). This file maps NetinsightsErrors (made by
 * the constructors in ../errors.ts), Fastify's own errors (body limits,
 * content types, route schema failures) and anything unexpected onto that
 * shape, and sends Retry-After with a 429.
 */
import { ERRORS, NetinsightsError } from '@netinsights/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { apiError, schemaError } from '../errors.ts';

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
