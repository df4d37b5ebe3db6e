/**
 * @module http/routes/auth
 * Sign-in with a password, sign-out and "who am I" (sessions: http/sessions.ts;
 * single sign-on: sso.ts). Failed sign-ins are throttled per e-mail and IP,
 * across every server. A tenant that signs in with single sign-on may turn
 * passwords off.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../auth/authenticate.ts';
import { LoginThrottle } from '../../auth/login-throttle.ts';
import { dummyHash, verifyPassword } from '../../auth/password.ts';
import { hashSecret } from '../../auth/secrets.ts';
import { apiError, rateLimited } from '../../errors.ts';
import type { ServerContext } from '../context.ts';
import { secureCookies, startSession } from '../sessions.ts';
import { apiRoutes } from './api-route.ts';

const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const secure = secureCookies(ctx);

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
      // Checked only after the password: without it, nobody learns how the organisation signs in.
      const sso = await store.signIn.getOidc(user.tenantId);
      if (sso?.enabled && !sso.passwordsEnabled)
        throw apiError(
          'NI_ERR_FORBIDDEN',
          `this organisation signs in with ${sso.label} only; passwords are turned off`,
        );
      return startSession(ctx, reply, user);
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

  apiRoutes(app, ['auth']).get(
    '/api/v1/auth/me',
    { access: 'read', summary: 'the signed-in user and tenant' },
    async ({ principal: p, tenantId }) => {
      const tenant = await store.tenants.get(tenantId);
      const tenantView = { id: tenantId, name: tenant?.name ?? '' };
      if (p.kind === 'user')
        return { user: { id: p.userId, email: p.email, role: p.role }, tenant: tenantView };
      if (p.kind === 'api-token')
        return { user: null, tenant: tenantView, token: { id: p.tokenId, name: p.name, scope: p.scope } };
      throw apiError('NI_ERR_FORBIDDEN', 'not available to agent tokens');
    },
  );
}
