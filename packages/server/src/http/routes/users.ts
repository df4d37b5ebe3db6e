/**
 * @module http/routes/users
 * The tenant's administrators. Only an owner adds or removes them; the last
 * owner cannot be removed (the tenant would be unmanageable).
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { checkPasswordPolicy, hashPassword } from '../../auth/password.ts';
import { apiError, schemaError } from '../../errors.ts';
import type { UserRow } from '../../store/contract.ts';
import { auditedChange } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { apiRoutes, IdParams } from './api-route.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const NewUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')]),
  },
  { additionalProperties: false },
);

const userView = (u: UserRow) => ({ id: u.id, email: u.email, role: u.role, createdAt: u.createdAt });

export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const api = apiRoutes(app, ['users']);

  api.get(
    '/api/v1/users',
    { access: 'read', summary: 'administrators of this tenant' },
    async ({ tenantId }) => ({
      items: (await store.users.list(tenantId)).map(userView),
    }),
  );

  api.post(
    '/api/v1/users',
    { access: 'owner', summary: 'add an administrator (owners only)', body: NewUser },
    async ({ principal, tenantId, body }, reply) => {
      const email = body.email.trim().toLowerCase();
      if (!EMAIL.test(email))
        throw schemaError('invalid user', [{ path: '/email', message: 'is not an e-mail address' }]);
      const weak = checkPasswordPolicy(body.password);
      if (weak) throw schemaError('invalid user', [{ path: '/password', message: weak }]);
      const passwordHash = await hashPassword(body.password);
      const row = await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        const taken = await tx.users.findByEmail(email);
        // Sign-in is by e-mail across the instance, so addresses stay unique; the answer for an
        // address another tenant uses names no user and no tenant (only that it cannot be used).
        if (taken?.tenantId === tenantId)
          throw apiError('NI_ERR_CONFLICT', `${email} is already a user of this organisation`);
        if (taken)
          throw apiError('NI_ERR_CONFLICT', `${email} cannot be used for a new user; choose another address`);
        const created: UserRow = {
          tenantId,
          id: randomUUID(),
          email,
          passwordHash,
          role: body.role,
          createdAt: now.toISOString(),
        };
        await tx.users.create(created);
        await record('user.create', `user:${created.id}`, { email, role: created.role });
        return created;
      });
      reply.status(201);
      return userView(row);
    },
  );

  api.delete(
    '/api/v1/users/:id',
    { access: 'owner', summary: 'remove an administrator (owners only)', params: IdParams },
    async ({ principal, tenantId, params: { id } }, reply) => {
      await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        const u = await tx.users.get(tenantId, id);
        if (!u) throw apiError('NI_ERR_NOT_FOUND', `no user ${id}`);
        if (
          u.role === 'owner' &&
          (await tx.users.list(tenantId)).filter((x) => x.role === 'owner').length === 1
        )
          throw apiError('NI_ERR_CONFLICT', 'this is the last owner of the tenant; make another owner first');
        await tx.users.delete(tenantId, id);
        await tx.sessions.deleteForUser(tenantId, id);
        // API tokens die with the user who made them: a deleted admin keeps no access through them.
        const revoked = await tx.apiTokens.revokeCreatedBy(tenantId, id, now.toISOString());
        await record('user.delete', `user:${id}`, { email: u.email, apiTokensRevoked: revoked });
      });
      ctx.auth.invalidate();
      reply.status(204).send();
    },
  );
}
