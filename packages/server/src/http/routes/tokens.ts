/**
 * @module http/routes/tokens
 * Agent tokens (`nia_…`, optionally bound to an office) and API tokens
 * (`nit_…`, read or read-write). The token is returned once, at creation;
 * only its SHA-256 is stored. Revocation takes effect at once in this process.
 * Both kinds have the same three routes; a `TokenKind` says what differs.
 */
import { randomUUID } from 'node:crypto';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../auth/principal.ts';
import { AGENT_TOKEN_PREFIX, API_TOKEN_PREFIX, hashSecret, newSecret } from '../../auth/secrets.ts';
import { apiError } from '../../errors.ts';
import type { Store, TokenRowBase } from '../../store/contract.ts';
import { auditedChange } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { type ApiRoutes, apiRoutes, IdParams } from './api-route.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const NewAgentToken = Type.Object(
  { name: Name, officeId: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])) },
  { additionalProperties: false },
);
const NewApiToken = Type.Object(
  { name: Name, scope: Type.Union([Type.Literal('read'), Type.Literal('read-write')]) },
  { additionalProperties: false },
);

/** The repository calls these routes make, alike for both kinds. */
interface TokenRepo<Row> {
  create(row: Row): Promise<void>;
  list(tenantId: string): Promise<Row[]>;
  revoke(tenantId: string, id: string, at: string): Promise<boolean>;
}

/** What differs between agent tokens and API tokens; `Own` is the kind's own fields of a token. */
interface TokenKind<Own extends object, Body extends TSchema> {
  /** URL segment and audit name: `agent-token` → /api/v1/agent-tokens/:id, `agent-token.revoke`. */
  name: 'agent-token' | 'api-token';
  /** How summaries and messages name it. */
  label: string;
  prefix: string;
  /** The creation request's body. */
  body: Body;
  repo(store: Store): TokenRepo<TokenRowBase & Own>;
  /**
   * At creation, in its transaction: refuses what this kind does not allow (throws), else gives
   * the kind's own fields, which are stored, audited and answered with the new token.
   */
  own(tx: Store, caller: { principal: Principal; tenantId: string }, body: Static<Body>): Promise<Own>;
  /** The kind's own fields of a stored token, as listed. */
  view(row: TokenRowBase & Own): Own;
  /** Fields stored with a new token but neither audited nor answered. */
  stored?(caller: { principal: Principal }): Record<string, unknown>;
}

const AGENT_TOKENS: TokenKind<{ officeId: string | null }, typeof NewAgentToken> = {
  name: 'agent-token',
  label: 'agent token',
  prefix: AGENT_TOKEN_PREFIX,
  body: NewAgentToken,
  repo: (s) => s.agentTokens,
  async own(tx, { tenantId }, { officeId }) {
    if (officeId && !(await tx.offices.get(tenantId, officeId)))
      throw apiError('NI_ERR_SCHEMA', `/officeId: no office ${officeId} in this tenant`, {
        issues: [{ path: '/officeId', message: 'no such office' }],
      });
    return { officeId: officeId ?? null };
  },
  view: (t) => ({ officeId: t.officeId }),
};

const API_TOKENS: TokenKind<{ scope: 'read' | 'read-write' }, typeof NewApiToken> = {
  name: 'api-token',
  label: 'API token',
  prefix: API_TOKEN_PREFIX,
  body: NewApiToken,
  repo: (s) => s.apiTokens,
  async own(_tx, { principal }, { scope }) {
    if (principal.kind === 'api-token')
      throw apiError('NI_ERR_FORBIDDEN', 'API tokens cannot mint API tokens; sign in to create one');
    return { scope };
  },
  view: (t) => ({ scope: t.scope }),
  // The token lives no longer than its creator's account (routes/users.ts revokes it on delete).
  stored: ({ principal }) => ({ createdBy: principal.kind === 'user' ? principal.userId : null }),
};

/** GET, POST /api/v1/<kind>s and DELETE /api/v1/<kind>s/:id. */
function registerTokenKind<Own extends object, Body extends TSchema>(
  api: ApiRoutes,
  ctx: ServerContext,
  kind: TokenKind<Own, Body>,
): void {
  const url = `/api/v1/${kind.name}s`;

  api.get(
    url,
    { access: 'read', summary: `${kind.label}s (without their secrets)` },
    async ({ tenantId }) => ({
      items: (await kind.repo(ctx.store).list(tenantId)).map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt,
        revokedAt: t.revokedAt,
        ...kind.view(t),
      })),
    }),
  );

  api.post(
    url,
    { access: 'write', summary: `create an ${kind.label} (shown once)`, body: kind.body },
    async (call, reply) => {
      const { principal, tenantId, body } = call;
      const name = (body as { name: string }).name;
      const token = newSecret(kind.prefix);
      const row = await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        const own = await kind.own(tx, call, body as Static<Body>);
        const r = {
          tenantId,
          id: randomUUID(),
          name,
          tokenHash: hashSecret(token),
          createdAt: now.toISOString(),
          lastUsedAt: null,
          revokedAt: null,
          ...own,
          ...kind.stored?.(call),
        };
        await kind.repo(tx).create(r);
        await record(`${kind.name}.create`, `${kind.name}:${r.id}`, { name, ...own });
        return { id: r.id, own };
      });
      reply.status(201);
      return { id: row.id, name, ...row.own, token };
    },
  );

  // Revoked at once in this process too: the authenticator's token cache is cleared.
  api.delete(
    `${url}/:id`,
    { access: 'write', summary: `revoke an ${kind.label}`, params: IdParams },
    async ({ principal, tenantId, params: { id } }, reply) => {
      await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        if (!(await kind.repo(tx).revoke(tenantId, id, now.toISOString())))
          throw apiError('NI_ERR_NOT_FOUND', `no active ${kind.label} ${id}`);
        await record(`${kind.name}.revoke`, `${kind.name}:${id}`);
      });
      ctx.auth.invalidate();
      reply.status(204).send();
    },
  );
}

export function registerTokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = apiRoutes(app, ['tokens']);
  registerTokenKind(api, ctx, AGENT_TOKENS);
  registerTokenKind(api, ctx, API_TOKENS);
}
