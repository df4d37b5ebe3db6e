/**
 * @module http/browser-guards
 * What a browser is told and asked on every answer:
 * - Response headers for the dashboard and the API: a Content-Security-Policy
 *   that allows only this origin's scripts, styles, images and fetches and
 *   no framing (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for
 *   older browsers), `X-Content-Type-Options: nosniff`, and
 *   `Referrer-Policy: no-referrer` (dashboard URLs name offices).
 * - Cross-site requests: SameSite=Strict cookies still go with requests from
 *   sibling subdomains and other ports of the same host (same *site*), so
 *   state-changing requests are refused when the browser says they come from
 *   another origin (`Sec-Fetch-Site` other than `same-origin` or `none`, per
 *   the W3C Fetch Metadata spec, or an `Origin` that is not this server's),
 *   and a body is accepted only in the content type the route documents
 *   (a `text/plain` form could otherwise post a CSV import). Clients that
 *   are not browsers send neither header and are not affected.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../errors.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** onSend: the security headers every answer carries. */
export async function securityHeaders(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('content-security-policy', CSP);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function hasBody(request: FastifyRequest): boolean {
  const len = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

/**
 * An onRequest hook refusing cross-origin state changes (403). `publicUrl`
 * is this server's origin as admins reach it; without it, the Host header is.
 */
export function crossSiteGuard(publicUrl: string | undefined) {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!UNSAFE.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw apiError(
        'NI_ERR_FORBIDDEN',
        `a ${site} request may not change anything (Sec-Fetch-Site: ${site}); use the dashboard on this server's own address`,
      );
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== request.headers.host)
        throw apiError('NI_ERR_FORBIDDEN', `a request from ${origin} may not change anything on this server`);
    }
  };
}

/**
 * A preParsing hook (after authentication, so a caller without credentials
 * still gets 401): a body is accepted only in the route's documented
 * content type, 415 otherwise.
 */
export async function documentedContentType<P>(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: P,
): Promise<P> {
  if (!UNSAFE.has(request.method) || !hasBody(request)) return payload;
  const config = request.routeOptions.config as { openapi?: { bodyContentType?: string } } | undefined;
  const documented = config?.openapi?.bodyContentType ?? 'application/json';
  const sent = mediaType(request.headers['content-type']);
  if (sent !== documented)
    throw apiError(
      'NI_ERR_UNSUPPORTED_MEDIA_TYPE',
      `${request.method} ${request.routeOptions.url ?? request.url} takes ${documented}, not ${sent ?? 'a body without Content-Type'}`,
    );
  return payload;
}
