/**
 * @module http/openapi
 * Builds the OpenAPI 3.1 document from the routes as registered: path,
 * method, access rule, and the route's TypeBox schemas (which are JSON
 * Schema already). A route may add documentation-only parts in
 * `config.openapi` (a body it validates itself, responses, a description).
 */
import { ERRORS } from '@netinsights/protocol';
import type { RouteOptions } from 'fastify';
import type { Access } from '../auth/principal.ts';

declare module 'fastify' {
  interface FastifySchema {
    tags?: string[];
    summary?: string;
  }
  interface FastifyContextConfig {
    openapi?: {
      body?: unknown;
      bodyContentType?: string;
      responses?: Record<number, unknown>;
      description?: string;
      /** The route answers with a redirect (302 and a Location header), e.g. a sign-in hop. */
      redirect?: string;
    };
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
  schema: Record<string, unknown>;
  openapi: NonNullable<import('fastify').FastifyContextConfig['openapi']>;
}

/** Collects routes through Fastify's onRoute hook. */
export class RouteCatalog {
  readonly routes: RouteEntry[] = [];

  add(opts: RouteOptions): void {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    const config = (opts.config ?? {}) as { access?: Access; openapi?: RouteEntry['openapi'] };
    for (const method of methods) {
      if (method === 'HEAD') continue;
      this.routes.push({
        method,
        url: opts.url,
        access: config.access,
        schema: (opts.schema ?? {}) as Record<string, unknown>,
        openapi: config.openapi ?? {},
      });
    }
  }
}

const plain = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema));

const ACCESS_TEXT: Record<Access, string> = {
  public: 'No credential.',
  read: 'Session cookie or API token (read or read-write).',
  write: "An owner's or admin's session (not a viewer's), or a read-write API token.",
  owner: "An owner's session.",
  agent: 'Agent token.',
};

export function buildOpenApi(routes: RouteEntry[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (!r.url.startsWith('/api/')) continue;
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, key] of [
      ['path', 'params'],
      ['query', 'querystring'],
    ] as const) {
      const s = r.schema[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, schema] of Object.entries(s?.properties ?? {}))
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (s?.required ?? []).includes(name),
          schema: plain(schema),
        });
    }
    const body = r.openapi.body ?? r.schema.body;
    const success =
      r.method === 'POST' ? (r.url.endsWith('/login') || r.url.endsWith('/import') ? 200 : 201) : 200;
    const responses: Record<string, unknown> = {};
    for (const [code, schema] of Object.entries(r.openapi.responses ?? {}))
      responses[code] = {
        description: 'success',
        content: { 'application/json': { schema: plain(schema) } },
      };
    if (r.openapi.redirect)
      responses['302'] = {
        description: r.openapi.redirect,
        headers: { Location: { schema: { type: 'string' } } },
      };
    if (!Object.keys(responses).length)
      responses[r.method === 'DELETE' || r.url.endsWith('/logout') ? '204' : String(success)] = {
        description: 'success',
      };
    responses.default = {
      description: 'error (see the error catalog)',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
    const security =
      r.access === 'public' || r.access === undefined
        ? []
        : r.access === 'agent'
          ? [{ agentToken: [] }]
          : r.access === 'owner'
            ? [{ session: [] }]
            : [{ session: [] }, { apiToken: [] }];
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.schema.summary,
      tags: r.schema.tags,
      description: [r.openapi.description, r.access ? `Access: ${ACCESS_TEXT[r.access]}` : undefined]
        .filter(Boolean)
        .join('\n\n'),
      ...(parameters.length ? { parameters } : {}),
      ...(body || r.openapi.bodyContentType
        ? {
            requestBody: {
              required: true,
              content: {
                [r.openapi.bodyContentType ?? 'application/json']: {
                  schema: body ? plain(body) : { type: 'string' },
                },
              },
            },
          }
        : {}),
      responses,
      security,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'netinsights API',
      version,
      description: 'Collector and admin API. The tenant always comes from the credential.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ni_session' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'API token, nit_…' },
        agentToken: { type: 'http', scheme: 'bearer', description: 'agent token, nia_…' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERRORS) },
                message: { type: 'string' },
                details: {},
              },
            },
          },
        },
      },
    },
  };
}
