/**
 * @module http/routes/sso
 * Single sign-on with the organisation's OpenID provider (auth/oidc.ts):
 * an owner configures it (GET/PUT/DELETE /settings/sso; the client secret is
 * write-only), the sign-in page asks whether an e-mail domain or tenant slug
 * has it (GET /auth/sso), and the browser goes through /auth/sso/start to the
 * provider and back to /auth/sso/callback, which starts a session with the
 * role the provider's claims map to. The `state` is bound to the browser by a
 * cookie and kept hashed in the store until its one use, so a replayed or
 * planted answer is refused on any server sharing the store.
 */
import { randomUUID } from 'node:crypto';
import { NetinsightsError } from '@netinsights/protocol';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OidcClients, stateKey } from '../../auth/oidc.ts';
import type { OidcConfigRow } from '../../auth/sso-contract.ts';
import { TokenBuckets } from '../../auth/token-bucket.ts';
import { apiError, rateLimited, schemaError } from '../../errors.ts';
import { sealSecret } from '../../notify/secret-box.ts';
import { checkHost } from '../../notify/ssrf-guard.ts';
import type { Role } from '../../store/contract.ts';
import { auditedChange } from '../audited-change.ts';
import type { ServerContext } from '../context.ts';
import { secureCookies, startSession } from '../sessions.ts';
import { apiRoutes } from './api-route.ts';

/** Binds a started sign-in to the browser that started it (RFC 6749 §10.12, login CSRF). */
export const SSO_STATE_COOKIE = 'ni_sso_state';
const CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** Sign-ins started per client address: a burst of 30, then one every 2 s. */
const START_BURST = 30;
const START_RATE_PER_SECOND = 0.5;
/** Users created by single sign-on have no password: this is no PHC string, so no password matches. */
const NO_PASSWORD = 'sso-only';

const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')]);
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const SsoSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    label: Type.String({ minLength: 1, maxLength: 80 }),
    slug: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), Type.Null()])),
    issuer: Type.String({ minLength: 1, maxLength: 2048 }),
    clientId: Type.String({ minLength: 1, maxLength: 512 }),
    /** Omit to keep the stored secret; null for a public client. */
    clientSecret: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()])),
    allowedDomains: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 50 }),
    entraTenantId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    roleClaim: Type.String({ minLength: 1, maxLength: 128 }),
    roleMap: Type.Record(Type.String({ minLength: 1, maxLength: 256 }), RoleSchema, { maxProperties: 100 }),
    defaultRole: Type.Union([RoleSchema, Type.Null()]),
    passwordsEnabled: Type.Boolean(),
  },
  { additionalProperties: false },
);

const Which = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  },
  { additionalProperties: false },
);

const Callback = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  session_state: Type.Optional(Type.String({ maxLength: 512 })),
});

/** What the API shows of the settings: never the client secret. */
const settingsView = ({ clientSecret, tenantId: _t, ...shown }: OidcConfigRow) => ({
  ...shown,
  clientSecretSet: clientSecret !== null,
});

export function registerSsoRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, config } = ctx;
  const allowPrivate = config.notifyAllowPrivateTargets;
  const clients = new OidcClients({ allowInsecure: allowPrivate, secrets: ctx.secrets });
  // Starting a sign-in needs no credential and stores a row until it expires: bounded per client address.
  const starts = new TokenBuckets(START_RATE_PER_SECOND, START_BURST);
  const api = apiRoutes(app, ['sso']);

  api.get(
    '/api/v1/settings/sso',
    { access: 'read', summary: 'single sign-on settings' },
    async ({ tenantId }) => {
      const row = await store.signIn.getOidc(tenantId);
      return row ? settingsView(row) : null;
    },
  );

  api.put(
    '/api/v1/settings/sso',
    { access: 'owner', summary: 'configure single sign-on (owners only)', body: SsoSettings },
    async ({ principal, tenantId, body }) => {
      const issuer = await checkIssuer(body.issuer, allowPrivate);
      const domains = [...new Set(body.allowedDomains.map((d) => d.trim().toLowerCase()))];
      domains.forEach((d, i) => {
        if (!DOMAIN.test(d))
          throw schemaError('invalid SSO settings', [
            { path: `/allowedDomains/${i}`, message: 'is not a domain name' },
          ]);
      });
      if (domains.length === 0 && !body.entraTenantId)
        throw schemaError('invalid SSO settings', [
          { path: '/allowedDomains', message: 'name at least one domain, or an Entra tenant id' },
        ]);
      if (!body.passwordsEnabled && !body.enabled)
        throw schemaError('invalid SSO settings', [
          {
            path: '/passwordsEnabled',
            message: 'passwords can be turned off only while single sign-on is on',
          },
        ]);
      const row = await auditedChange(ctx, principal, async ({ tx, now, record }) => {
        const old = await tx.signIn.getOidc(tenantId);
        for (const d of domains) {
          const owner = await tx.signIn.tenantOfDomain(d);
          if (owner && owner !== tenantId)
            throw apiError('NI_ERR_CONFLICT', `the domain ${d} already signs in to another organisation`);
        }
        const slug = body.slug ?? null;
        if (slug) {
          const owner = await tx.signIn.tenantOfSlug(slug);
          if (owner && owner !== tenantId) throw apiError('NI_ERR_CONFLICT', `the name ${slug} is taken`);
        }
        const next: OidcConfigRow = {
          tenantId,
          enabled: body.enabled,
          label: body.label.trim(),
          slug,
          issuer,
          clientId: body.clientId,
          // Stored sealed under the server key, like channel secrets (notify/secret-box.ts).
          clientSecret:
            body.clientSecret === undefined
              ? (old?.clientSecret ?? null)
              : body.clientSecret === null
                ? null
                : sealSecret(ctx.secrets, body.clientSecret),
          allowedDomains: domains,
          entraTenantId: body.entraTenantId ?? null,
          roleClaim: body.roleClaim,
          roleMap: Object.fromEntries(Object.entries(body.roleMap)) as Record<string, Role>,
          defaultRole: body.defaultRole,
          passwordsEnabled: body.passwordsEnabled,
          updatedAt: now.toISOString(),
        };
        await tx.signIn.putOidc(next);
        await tx.signIn.clearDomains(tenantId);
        for (const d of domains) await tx.signIn.addDomain(d, tenantId);
        const { clientSecret: _s, ...logged } = next;
        await record('sso.update', `tenant:${tenantId}`, {
          ...logged,
          clientSecretChanged: body.clientSecret !== undefined,
        });
        return next;
      });
      return settingsView(row);
    },
  );

  api.delete(
    '/api/v1/settings/sso',
    { access: 'owner', summary: 'remove single sign-on (owners only; passwords work again)' },
    async ({ principal, tenantId }, reply) => {
      await auditedChange(ctx, principal, async ({ tx, record }) => {
        if (!(await tx.signIn.deleteOidc(tenantId)))
          throw apiError('NI_ERR_NOT_FOUND', 'single sign-on is not set up');
        await tx.signIn.clearDomains(tenantId);
        await record('sso.delete', `tenant:${tenantId}`);
      });
      reply.status(204).send();
    },
  );

  /** The enabled settings for a sign-in page's e-mail or tenant slug, if any. */
  async function settingsFor(which: Static<typeof Which>): Promise<OidcConfigRow | undefined> {
    const email = which.email?.trim().toLowerCase();
    const tenantId = which.tenant
      ? await store.signIn.tenantOfSlug(which.tenant.toLowerCase())
      : email?.includes('@')
        ? await store.signIn.tenantOfDomain(email.slice(email.lastIndexOf('@') + 1))
        : undefined;
    const row = tenantId ? await store.signIn.getOidc(tenantId) : undefined;
    return row?.enabled ? row : undefined;
  }

  app.get(
    '/api/v1/auth/sso',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'whether an e-mail domain or tenant slug signs in with single sign-on',
        querystring: Which,
      },
    },
    async (request) => {
      const which = request.query as Static<typeof Which>;
      const row = await settingsFor(which);
      if (!row) return { enabled: false };
      const q = new URLSearchParams(which.tenant ? { tenant: which.tenant } : { email: which.email ?? '' });
      return {
        enabled: true,
        label: row.label,
        passwordsEnabled: row.passwordsEnabled,
        startUrl: `/api/v1/auth/sso/start?${q}`,
      };
    },
  );

  app.get(
    '/api/v1/auth/sso/start',
    {
      config: {
        access: 'public',
        openapi: { redirect: "to the provider's authorization endpoint (code flow with PKCE)" },
      },
      schema: { tags: ['auth'], summary: 'go to the OpenID provider to sign in', querystring: Which },
    },
    (request, reply) =>
      inBrowser(request, reply, async () => {
        const wait = starts.take(request.ip);
        if (wait > 0) throw rateLimited('NI_ERR_RATE_LIMITED', wait);
        const which = request.query as Static<typeof Which>;
        const row = await settingsFor(which);
        if (!row)
          throw apiError('NI_ERR_NOT_FOUND', 'no single sign-on for this e-mail domain or organisation');
        const now = ctx.now();
        const started = await clients.start(row, redirectUri(request), now, which.email?.trim());
        await store.signIn.saveState(started.row);
        // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
        reply.setCookie(SSO_STATE_COOKIE, started.state, {
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies(ctx),
          path: CALLBACK_PATH,
          maxAge: 600,
        });
        return reply.redirect(started.url.href, 302);
      }),
  );

  app.get(
    CALLBACK_PATH,
    {
      config: {
        access: 'public',
        openapi: { redirect: 'to the dashboard, signed in (session cookie set)' },
      },
      schema: {
        tags: ['auth'],
        summary: 'where the OpenID provider sends the browser back',
        querystring: Callback,
      },
    },
    (request, reply) =>
      inBrowser(request, reply, async () => {
        const q = request.query as Static<typeof Callback>;
        reply.clearCookie(SSO_STATE_COOKIE, { path: CALLBACK_PATH });
        if (q.error)
          throw apiError(
            'NI_ERR_UNAUTHENTICATED',
            `the provider refused the sign-in: ${q.error}${q.error_description ? ` (${q.error_description})` : ''}`,
          );
        if (!q.state || !q.code)
          throw apiError('NI_ERR_UNAUTHENTICATED', 'the provider sent no code or state');
        const cookie = request.cookies[SSO_STATE_COOKIE];
        if (cookie !== q.state)
          throw apiError(
            'NI_ERR_UNAUTHENTICATED',
            'this sign-in was not started in this browser; start again',
          );
        // Taken (deleted) before anything else: a replayed answer finds nothing.
        const pending = await store.signIn.takeState(stateKey(q.state));
        const now = ctx.now();
        if (!pending || pending.expiresAt <= now.toISOString())
          throw apiError(
            'NI_ERR_UNAUTHENTICATED',
            'this sign-in is unknown, expired or already used; start again',
          );
        const row = await store.signIn.getOidc(pending.tenantId);
        if (!row?.enabled)
          throw apiError('NI_ERR_FORBIDDEN', 'single sign-on is turned off for this organisation');
        const callbackUrl = new URL(pending.redirectUri);
        callbackUrl.search = new URL(request.url, 'http://x').search;
        const who = await clients.finish(row, pending, q.state, callbackUrl, now);
        const user = await store.transaction(async (tx) => {
          const found = await tx.users.findByEmail(who.email);
          if (found && found.tenantId !== row.tenantId)
            throw apiError('NI_ERR_FORBIDDEN', `${who.email} cannot sign in to this organisation`);
          if (found) {
            if (found.role !== who.role) await tx.signIn.setUserRole(found.tenantId, found.id, who.role);
            return { ...found, role: who.role };
          }
          const created = {
            tenantId: row.tenantId,
            id: randomUUID(),
            email: who.email,
            passwordHash: NO_PASSWORD,
            role: who.role,
            createdAt: now.toISOString(),
          };
          await tx.users.create(created);
          return created;
        });
        await startSession(ctx, reply, user, { via: 'oidc', issuer: row.issuer, subject: who.subject });
        return reply.redirect('/', 302);
      }),
  );

  /** The callback URL the provider must have registered: --public-url, else this request's origin. */
  function redirectUri(request: FastifyRequest): string {
    const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
    return new URL(CALLBACK_PATH, base).href;
  }
}

/**
 * Runs a sign-in step that a browser navigates to. A refusal there would show
 * the admin a page of JSON, so a browser's navigation (Sec-Fetch-Mode
 * `navigate`, or HTML accepted) is sent back to the sign-in page, which says
 * what went wrong; API clients still get the JSON error with its status.
 */
async function inBrowser(request: FastifyRequest, reply: FastifyReply, step: () => Promise<unknown>) {
  try {
    return await step();
  } catch (err) {
    const navigating =
      request.headers['sec-fetch-mode'] === 'navigate' || /text\/html/.test(request.headers.accept ?? '');
    if (!navigating) throw err;
    // Only our own refusals are worded for the admin; anything else stays in the server log.
    if (!(err instanceof NetinsightsError)) request.log.error(err);
    const said =
      err instanceof NetinsightsError
        ? err.message.slice(0, 300)
        : 'the server could not finish the sign-in; try again, and if it keeps failing ask whoever runs netinsights to look at its log';
    reply.clearCookie(SSO_STATE_COOKIE, { path: CALLBACK_PATH });
    return reply.redirect(`/sign-in?${new URLSearchParams({ sso_error: said })}`, 302);
  }
}

/** An issuer is an https URL (http only where internal targets are allowed) on a permitted host. */
async function checkIssuer(issuer: string, allowPrivate: boolean): Promise<string> {
  let u: URL;
  try {
    u = new URL(issuer);
  } catch {
    throw schemaError('invalid SSO settings', [{ path: '/issuer', message: 'is not a URL' }]);
  }
  if (u.protocol !== 'https:' && !(allowPrivate && u.protocol === 'http:'))
    throw schemaError('invalid SSO settings', [{ path: '/issuer', message: 'must start with https://' }]);
  if (u.search || u.hash || u.username || u.password)
    throw schemaError('invalid SSO settings', [
      { path: '/issuer', message: 'must be the bare issuer identifier (no query, fragment or credentials)' },
    ]);
  await checkHost(u.hostname, `OIDC issuer ${issuer}`, { allowPrivateTargets: allowPrivate });
  return issuer;
}
