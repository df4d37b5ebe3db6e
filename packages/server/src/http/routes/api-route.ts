/**
 * @module http/routes/api-route
 * How the route modules of this folder declare a route that runs for a
 * caller: method and URL, who may call it (the access rule
 * auth/authenticate.ts enforces before the handler runs), its OpenAPI
 * summary under the module's tags, and its TypeBox schemas. The handler gets
 * the caller's principal and tenant, with params, query and body typed from
 * those schemas, instead of reading and casting the request. What Fastify
 * sees (config, schema) is what a hand-written `app.get(…)` would give it.
 * Declared by hand instead: public routes (sign-in, the OpenAPI document,
 * /metrics) and the upload route, which brings its own body parser and caps.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyContextConfig, FastifyInstance, FastifyReply } from 'fastify';
import { type Access, type Principal, principalOf } from '../../auth/principal.ts';

/** The params of a route on one item, `/…/:id`. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** The type a schema validates to; `unknown` where the route declares none (or checks the value itself). */
type Checked<S> = S extends TSchema ? Static<S> : unknown;

/** One route's declaration, beside its method and URL. */
export interface RouteSpec<P, Q, B> {
  /** Who may call it; every such route has a caller, so never `public`. */
  access: Exclude<Access, 'public'>;
  /** The OpenAPI summary. */
  summary: string;
  params?: P;
  querystring?: Q;
  body?: B;
  /** Documentation-only parts (http/openapi.ts), e.g. a body the route validates itself. */
  openapi?: FastifyContextConfig['openapi'];
}

/** What a handler is given about the request. */
export interface Call<P, Q, B> {
  principal: Principal;
  /** The caller's tenant: the only tenant a route reads or changes. */
  tenantId: string;
  params: Checked<P>;
  query: Checked<Q>;
  body: Checked<B>;
}

type Declare = <
  P extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
>(
  url: string,
  spec: RouteSpec<P, Q, B>,
  handler: (call: Call<P, Q, B>, reply: FastifyReply) => Promise<unknown>,
) => void;

/** The methods the admin API uses, each declaring one route under `tags`. */
export interface ApiRoutes {
  get: Declare;
  post: Declare;
  put: Declare;
  patch: Declare;
  delete: Declare;
}

/** Declares routes on `app` under the OpenAPI `tags` (one tag per route module, usually). */
export function apiRoutes(app: FastifyInstance, tags: string[]): ApiRoutes {
  const declare =
    (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'): Declare =>
    (url, spec, handler) => {
      const { access, summary, params, querystring, body, openapi } = spec;
      app.route({
        method,
        url,
        config: { access, ...(openapi ? { openapi } : {}) },
        schema: {
          tags,
          summary,
          ...(params ? { params } : {}),
          ...(querystring ? { querystring } : {}),
          ...(body ? { body } : {}),
        },
        handler: (request, reply) => {
          const principal = principalOf(request);
          return handler(
            {
              principal,
              tenantId: principal.tenantId,
              params: request.params as never,
              query: request.query as never,
              body: request.body as never,
            },
            reply,
          );
        },
      });
    };
  return {
    get: declare('GET'),
    post: declare('POST'),
    put: declare('PUT'),
    patch: declare('PATCH'),
    delete: declare('DELETE'),
  };
}
