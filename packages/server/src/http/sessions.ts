/**
 * @module http/sessions
 * Starting a dashboard session, the same way for every sign-in method
 * (password, single sign-on): a random 256-bit value sent as an HttpOnly,
 * SameSite=Strict cookie (Secure under HTTPS), stored only as its SHA-256,
 * and the sign-in written to the audit log in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { audit } from '../audit/audit-log.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { UserRow } from '../store/contract.ts';
import type { ServerContext } from './context.ts';

/** Whether cookies are marked Secure. */
export const secureCookies = (ctx: ServerContext) => ctx.config.secureCookies ?? Boolean(ctx.config.tlsCert);

/** Creates a session for `user`, sets its cookie on `reply` and answers what `/auth/me` would. */
export async function startSession(
  ctx: ServerContext,
  reply: FastifyReply,
  user: UserRow,
  details?: Record<string, unknown>,
): Promise<{
  user: { id: string; email: string; role: UserRow['role'] };
  tenant: { id: string; name: string };
}> {
  const { store, config } = ctx;
  const token = newSecret();
  const now = ctx.now();
  const expires = new Date(now.getTime() + config.sessionHours * 3_600_000);
  const tenant = await store.tenants.get(user.tenantId);
  await store.transaction(async (tx) => {
    await tx.sessions.create({
      tenantId: user.tenantId,
      id: randomUUID(),
      userId: user.id,
      tokenHash: hashSecret(token),
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
    });
    const actor = {
      kind: 'user' as const,
      tenantId: user.tenantId,
      userId: user.id,
      email: user.email,
      role: user.role,
      sessionId: '',
    };
    await audit(tx, actor, 'auth.login', `user:${user.id}`, details, now);
  });
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secureCookies(ctx),
    path: '/',
    expires,
  });
  return {
    user: { id: user.id, email: user.email, role: user.role },
    tenant: { id: user.tenantId, name: tenant?.name ?? '' },
  };
}
