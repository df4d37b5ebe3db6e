/**
 * @module http/routes/users
 * The tenant's administrators. Only an owner adds or removes them; the last
 * owner cannot be removed (the tenant would be unmanageable).
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { checkPasswordPolicy, hashPassword } from '../../auth/password.ts';
import { principalOf } from '../../auth/principal.ts';
import { apiError, schemaError } from '../../errors.ts';
import type { UserRow } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import { IdParams } from './offices.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const NewUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    role: Type.Union([Type.Literal('owner'), Type.Literal('admin')]),
  },
  { additionalProperties: false },
);

const userView = (u: UserRow) => ({ id: u.id, email: u.email, role: u.role, createdAt: u.createdAt });

export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['users'];

  app.get(
    '/api/v1/users',
    { config: { access: 'read' }, schema: { tags, summary: 'administrators of this tenant' } },
    async (request) => ({ items: (await store.users.list(principalOf(request).tenantId)).map(userView) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'owner' },
      schema: { tags, summary: 'add an administrator (owners only)', body: NewUser },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const body = request.body as { email: string; password: string; role: 'owner' | 'admin' };
      const email = body.email.trim().toLowerCase();
      if (!EMAIL.test(email))
        throw schemaError('invalid user', [{ path: '/email', message: 'is not an e-mail address' }]);
      const weak = checkPasswordPolicy(body.password);
      if (weak) throw schemaError('invalid user', [{ path: '/password', message: weak }]);
      const passwordHash = await hashPassword(body.password);
      const now = ctx.now();
      const row: UserRow = {
        tenantId: p.tenantId,
        id: randomUUID(),
        email,
        passwordHash,
        role: body.role,
        createdAt: now.toISOString(),
      };
      await store.transaction(async (tx) => {
        const taken = await tx.users.findByEmail(email);
        // Sign-in is by e-mail across the instance, so addresses stay unique; the answer for an
        // address another tenant uses names no user and no tenant (only that it cannot be used).
        if (taken?.tenantId === p.tenantId)
          throw apiError('NI_ERR_CONFLICT', `${email} is already a user of this organisation`);
        if (taken)
          throw apiError('NI_ERR_CONFLICT', `${email} cannot be used for a new user; choose another address`);
        await tx.users.create(row);
        await audit(tx, p, 'user.create', `user:${row.id}`, { email, role: row.role }, now);
      });
      reply.status(201);
      return userView(row);
    },
  );

  app.delete(
    '/api/v1/users/:id',
    {
      config: { access: 'owner' },
      schema: { tags, summary: 'remove an administrator (owners only)', params: IdParams },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id } = request.params as { id: string };
      const now = ctx.now();
      await store.transaction(async (tx) => {
        const u = await tx.users.get(p.tenantId, id);
        if (!u) throw apiError('NI_ERR_NOT_FOUND', `no user ${id}`);
        if (
          u.role === 'owner' &&
          (await tx.users.list(p.tenantId)).filter((x) => x.role === 'owner').length === 1
        )
          throw apiError('NI_ERR_CONFLICT', 'this is the last owner of the tenant; make another owner first');
        await tx.users.delete(p.tenantId, id);
        await tx.sessions.deleteForUser(p.tenantId, id);
        // API tokens die with the user who made them: a deleted admin keeps no access through them.
        const revoked = await tx.apiTokens.revokeCreatedBy(p.tenantId, id, now.toISOString());
        await audit(tx, p, 'user.delete', `user:${id}`, { email: u.email, apiTokensRevoked: revoked }, now);
      });
      ctx.auth.invalidate();
      reply.status(204).send();
    },
  );
}
