/**
 * @module http/routes/auth
 * Sign-in, sign-out and "who am I". Sessions are random 256-bit values sent
 * as an HttpOnly, SameSite=Strict cookie (Secure under HTTPS) and stored
 * only as their SHA-256. Failed sign-ins are throttled per e-mail and IP, across every server.
 */
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import { LoginThrottle } from '../../auth/login-throttle.ts';
import { dummyHash, verifyPassword } from '../../auth/password.ts';
import { principalOf } from '../../auth/principal.ts';
import { hashSecret, newSecret } from '../../auth/secrets.ts';
import { apiError, rateLimited } from '../../errors.ts';
import type { ServerContext } from '../context.ts';

const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, config } = ctx;
  const secure = config.secureCookies ?? Boolean(config.tlsCert);

  app.post(
    '/api/v1/auth/login',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'sign in', body: Login } },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const normalised = email.trim().toLowerCase();
      const key = LoginThrottle.key(normalised, request.ip);
      // Counted before hashing: parallel guesses cannot all slip past the check (auth/login-throttle.ts).
      const wait = await ctx.throttle.attempt(key, ctx.now());
      if (wait > 0) throw rateLimited('NI_ERR_LOGIN_THROTTLED', wait);
      const user = await store.users.findByEmail(normalised);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
      if (!user || !ok) throw apiError('NI_ERR_UNAUTHENTICATED', 'wrong e-mail or password');
      await ctx.throttle.succeed(key);
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
        await audit(tx, actor, 'auth.login', `user:${user.id}`, undefined, now);
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires,
      });
      return {
        user: { id: user.id, email: user.email, role: user.role },
        tenant: { id: user.tenantId, name: tenant?.name ?? '' },
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: 'public' }, schema: { tags: ['auth'], summary: 'sign out' } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const s = await store.sessions.findByTokenHash(hashSecret(cookie));
        if (s) await store.sessions.delete(s.tenantId, s.id);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });
      reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { access: 'read' }, schema: { tags: ['auth'], summary: 'the signed-in user and tenant' } },
    async (request) => {
      const p = principalOf(request);
      const tenant = await store.tenants.get(p.tenantId);
      const tenantView = { id: p.tenantId, name: tenant?.name ?? '' };
      if (p.kind === 'user')
        return { user: { id: p.userId, email: p.email, role: p.role }, tenant: tenantView };
      if (p.kind === 'api-token')
        return { user: null, tenant: tenantView, token: { id: p.tokenId, name: p.name, scope: p.scope } };
      throw apiError('NI_ERR_FORBIDDEN', 'not available to agent tokens');
    },
  );
}
