/**
 * @module test/helpers/oidc-provider
 * A real OpenID provider (`oidc-provider`) on a loopback port, with accounts
 * the test defines and a login step that signs in whichever account the
 * test names next, so a sign-in can be walked over HTTP without a browser.
 * `browse` follows the redirects from an authorization URL in a fresh
 * browser (keeping the provider's cookies within the one sign-in), until the provider sends the browser back to the client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  roles?: string[];
  tid?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** The account the next login signs in. */
  signInAs(accountId: string): void;
  /** Id token lifetime in seconds for the next tokens (default 3600). */
  idTokenTtl: number;
  /** Holds the token endpoint's answer this long after the tokens are made. */
  tokenDelayMs: number;
  /** Follows redirects from `url` until one leaves the provider; returns that location. */
  browse(url: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'netinsights';
  const clientSecret = 'a-client-secret-for-the-tests-only-0123456789';
  const accounts = new Map<string, TestAccount>();
  let next = '';
  const state = { idTokenTtl: 3600, tokenDelayMs: 0 };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    // Claims in the id token itself, as Entra ID sends them.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['roles', 'tid'] },
    async findAccount(_ctx, id) {
      const a = accounts.get(id);
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...a }) };
    },
    // First-party client: every scope is granted without a consent screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { IdToken: () => state.idTokenTtl },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
  });
  provider.use(async (ctx, nextMw) => {
    await nextMw();
    if (ctx.path === '/token' && state.tokenDelayMs > 0)
      await new Promise((r) => setTimeout(r, state.tokenDelayMs));
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      provider
        .interactionFinished(req, res, { login: { accountId: next } }, { mergeWithLastSubmission: false })
        .catch((err: Error) => {
          res.statusCode = 500;
          res.end(err.message);
        });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signInAs: (id) => {
      next = id;
    },
    get idTokenTtl() {
      return state.idTokenTtl;
    },
    set idTokenTtl(v) {
      state.idTokenTtl = v;
    },
    get tokenDelayMs() {
      return state.tokenDelayMs;
    },
    set tokenDelayMs(v) {
      state.tokenDelayMs = v;
    },
    async browse(url) {
      // A fresh browser each time: no provider session carries over to the next sign-in.
      const jar = new Map<string, string>();
      let at = new URL(url);
      for (let hop = 0; hop < 10; hop++) {
        if (at.origin !== issuer) return at;
        const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
        const res = await fetch(at, { redirect: 'manual', headers: cookie ? { cookie } : {} });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(`the provider stopped at ${at.pathname}: ${res.status} ${await res.text()}`);
        await res.body?.cancel();
        at = new URL(location, at);
      }
      throw new Error('too many redirects at the provider');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
