/**
 * @module http/routes/tokens
 * Agent tokens (`nia_…`, optionally bound to an office) and API tokens
 * (`nit_…`, read or read-write). The token is returned once, at creation;
 * only its SHA-256 is stored. Revocation takes effect at once in this process.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import { AGENT_TOKEN_PREFIX, API_TOKEN_PREFIX, hashSecret, newSecret } from '../../auth/secrets.ts';
import { apiError } from '../../errors.ts';
import type { AgentTokenRow, ApiTokenRow, Store, TokenRowBase } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import { IdParams } from './offices.ts';

const tags = ['tokens'];
const Name = Type.String({ minLength: 1, maxLength: 200 });
const NewAgentToken = Type.Object(
  { name: Name, officeId: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])) },
  { additionalProperties: false },
);
const NewApiToken = Type.Object(
  { name: Name, scope: Type.Union([Type.Literal('read'), Type.Literal('read-write')]) },
  { additionalProperties: false },
);

const base = (t: TokenRowBase) => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});
const agentView = (t: AgentTokenRow) => ({ ...base(t), officeId: t.officeId });
const apiView = (t: ApiTokenRow) => ({ ...base(t), scope: t.scope });

/** What differs between revoking an agent token and an API token. */
interface TokenKind {
  /** URL segment and audit name: `agent-token` → /api/v1/agent-tokens/:id, `agent-token.revoke`. */
  name: 'agent-token' | 'api-token';
  /** How messages name it. */
  label: string;
  repo: (store: Store) => Pick<Store['agentTokens'] | Store['apiTokens'], 'revoke'>;
}

const AGENT_TOKENS: TokenKind = { name: 'agent-token', label: 'agent token', repo: (s) => s.agentTokens };
const API_TOKENS: TokenKind = { name: 'api-token', label: 'API token', repo: (s) => s.apiTokens };

/** DELETE /api/v1/<kind>s/:id: revokes the token, at once in this process (the token cache is cleared). */
function registerRevoke(app: FastifyInstance, ctx: ServerContext, kind: TokenKind): void {
  app.delete(
    `/api/v1/${kind.name}s/:id`,
    { config: { access: 'write' }, schema: { tags, summary: `revoke an ${kind.label}`, params: IdParams } },
    async (request, reply) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      await ctx.store.transaction(async (tx) => {
        if (!(await kind.repo(tx).revoke(p.tenantId, id, now.toISOString())))
          throw apiError('NI_ERR_NOT_FOUND', `no active ${kind.label} ${id}`);
        await audit(tx, p, `${kind.name}.revoke`, `${kind.name}:${id}`, undefined, now);
      });
      ctx.auth.invalidate();
      reply.status(204).send();
    },
  );
}

export function registerTokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;

  app.get(
    '/api/v1/agent-tokens',
    { config: { access: 'read' }, schema: { tags, summary: 'agent tokens (without their secrets)' } },
    async (request) => ({
      items: (await store.agentTokens.list(principalOf(request).tenantId)).map(agentView),
    }),
  );

  app.post(
    '/api/v1/agent-tokens',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'create an agent token (shown once)', body: NewAgentToken },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { name, officeId } = request.body as { name: string; officeId?: string | null };
      const now = ctx.now();
      const token = newSecret(AGENT_TOKEN_PREFIX);
      const row = await store.transaction(async (tx) => {
        if (officeId && !(await tx.offices.get(p.tenantId, officeId)))
          throw apiError('NI_ERR_SCHEMA', `/officeId: no office ${officeId} in this tenant`, {
            issues: [{ path: '/officeId', message: 'no such office' }],
          });
        const r: AgentTokenRow = {
          tenantId: p.tenantId,
          id: randomUUID(),
          name,
          officeId: officeId ?? null,
          tokenHash: hashSecret(token),
          createdAt: now.toISOString(),
          lastUsedAt: null,
          revokedAt: null,
        };
        await tx.agentTokens.create(r);
        await audit(tx, p, 'agent-token.create', `agent-token:${r.id}`, { name, officeId: r.officeId }, now);
        return r;
      });
      reply.status(201);
      return { id: row.id, name: row.name, officeId: row.officeId, token };
    },
  );

  registerRevoke(app, ctx, AGENT_TOKENS);

  app.get(
    '/api/v1/api-tokens',
    { config: { access: 'read' }, schema: { tags, summary: 'API tokens (without their secrets)' } },
    async (request) => ({ items: (await store.apiTokens.list(principalOf(request).tenantId)).map(apiView) }),
  );

  app.post(
    '/api/v1/api-tokens',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'create an API token (shown once)', body: NewApiToken },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { name, scope } = request.body as { name: string; scope: 'read' | 'read-write' };
      if (p.kind === 'api-token')
        throw apiError('NI_ERR_FORBIDDEN', 'API tokens cannot mint API tokens; sign in to create one');
      const now = ctx.now();
      const token = newSecret(API_TOKEN_PREFIX);
      const row: ApiTokenRow = {
        tenantId: p.tenantId,
        id: randomUUID(),
        name,
        scope,
        tokenHash: hashSecret(token),
        createdAt: now.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
        // The token lives no longer than its creator's account (routes/users.ts revokes it on delete).
        createdBy: p.kind === 'user' ? p.userId : null,
      };
      await store.transaction(async (tx) => {
        await tx.apiTokens.create(row);
        await audit(tx, p, 'api-token.create', `api-token:${row.id}`, { name, scope }, now);
      });
      reply.status(201);
      return { id: row.id, name: row.name, scope: row.scope, token };
    },
  );

  registerRevoke(app, ctx, API_TOKENS);
}
