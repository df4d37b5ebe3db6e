/**
 * @module http/routes/openapi
 * `GET /api/v1/openapi.json`: the OpenAPI document of every route the app
 * registered (http/openapi.ts), built on the first request, when all routes
 * are in, and kept.
 */
import type { FastifyInstance } from 'fastify';
import { buildOpenApi, type RouteCatalog } from '../openapi.ts';

export function registerOpenApiRoute(app: FastifyInstance, catalog: RouteCatalog, version: string): void {
  let openapi: unknown;
  app.get(
    '/api/v1/openapi.json',
    { config: { access: 'public' }, schema: { tags: ['meta'], summary: 'this document' } },
    async () => {
      openapi ??= buildOpenApi(catalog.routes, version);
      return openapi;
    },
  );
}
