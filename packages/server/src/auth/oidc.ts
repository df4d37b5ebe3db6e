/**
 * @module auth/oidc
 * Single sign-on with OpenID Connect: the authorization code flow with PKCE
 * (RFC 7636, S256) and a nonce, through `openid-client`. openid-client
 * checks what the protocol fixes — the provider's metadata names exactly the
 * configured issuer, the id token's signature (the provider's JWKS), `iss`,
 * `aud`, `exp`, `iat`, the nonce, and the state. This module adds what the
 * tenant decides: a verified e-mail address in an allowed domain, for
 * Microsoft Entra ID the directory (`tid`), and the role its claims map to.
 */
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import { apiError } from '../errors.ts';
import { openSecret, type SecretBox } from '../notify/secret-box.ts';
import type { Role } from '../store/contract.ts';
import type { OidcConfigRow, OidcStateRow } from './sso-contract.ts';

/** How long a started sign-in may take at the provider. */
export const STATE_TTL_MS = 10 * 60_000;
/**
 * Clock tolerance for `exp`/`iat`, in seconds. openid-client's default is 30;
 * the provider and this server both keep time by NTP, so a few seconds suffice.
 */
export const CLOCK_TOLERANCE_S = 5;
/** Discovered provider metadata is reused this long, then fetched again (keys rotate). */
const DISCOVERY_CACHE_MS = 5 * 60_000;
const RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };

export interface OidcOptions {
  /** Allow `http://` issuers (loopback test providers; never in production). */
  allowInsecure: boolean;
  timeoutSeconds?: number;
  /** Opens client secrets stored sealed under the server key (undefined: the server has none). */
  secrets?: SecretBox | undefined;
}

/** Who signed in, as this tenant's settings map them. */
export interface OidcIdentity {
  subject: string;
  email: string;
  role: Role;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The state value's storage key: the value itself never reaches the database. */
export const stateKey = sha256;

export class OidcClients {
  readonly #opts: OidcOptions;
  readonly #cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();

  constructor(opts: OidcOptions) {
    this.#opts = opts;
  }

  /** The provider configuration of a tenant's settings (discovered, cached per settings version). */
  configuration(cfg: OidcConfigRow, now: number): Promise<client.Configuration> {
    const key = `${cfg.tenantId}\0${cfg.updatedAt}`;
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < DISCOVERY_CACHE_MS) return hit.config;
    const config = this.#discover(cfg);
    // A failed discovery is not cached: the next sign-in tries again.
    config.catch(() => this.#cache.delete(key));
    if (this.#cache.size > 1_000) this.#cache.clear();
    this.#cache.set(key, { at: now, config });
    return config;
  }

  async #discover(cfg: OidcConfigRow): Promise<client.Configuration> {
    let secret: string | null;
    try {
      secret = cfg.clientSecret === null ? null : openSecret(this.#opts.secrets, cfg.clientSecret);
    } catch (err) {
      throw apiError(
        'NI_ERR_SSO_PROVIDER',
        `the stored client secret cannot be opened: ${(err as Error).message}`,
      );
    }
    try {
      return await client.discovery(
        new URL(cfg.issuer),
        cfg.clientId,
        {
          ...(secret ? { client_secret: secret } : {}),
          [client.clockTolerance]: CLOCK_TOLERANCE_S,
        },
        secret ? client.ClientSecretPost(secret) : client.None(),
        {
          execute: this.#opts.allowInsecure ? [client.allowInsecureRequests] : [],
          timeout: this.#opts.timeoutSeconds ?? 10,
        },
      );
    } catch (err) {
      throw apiError(
        'NI_ERR_SSO_PROVIDER',
        `the OpenID provider ${cfg.issuer} failed discovery: ${(err as Error).message}`,
      );
    }
  }

  /** Builds the authorization request: where to send the browser, and what to keep until it returns. */
  async start(
    cfg: OidcConfigRow,
    redirectUri: string,
    now: Date,
    loginHint?: string,
  ): Promise<{ url: URL; state: string; row: OidcStateRow }> {
    const config = await this.configuration(cfg, now.getTime());
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(loginHint ? { login_hint: loginHint } : {}),
    });
    return {
      url,
      state,
      row: {
        stateHash: stateKey(state),
        tenantId: cfg.tenantId,
        codeVerifier,
        nonce,
        redirectUri,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + STATE_TTL_MS).toISOString(),
      },
    };
  }

  /**
   * Redeems the code the provider sent back to `callbackUrl` (its full URL,
   * query included) for tokens, and checks the id token and the identity.
   */
  async finish(
    cfg: OidcConfigRow,
    pending: OidcStateRow,
    state: string,
    callbackUrl: URL,
    now: Date,
  ): Promise<OidcIdentity> {
    const config = await this.configuration(cfg, now.getTime());
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw apiError('NI_ERR_SSO_PROVIDER', `sign-in with ${cfg.label} failed: ${(err as Error).message}`);
    }
    if (!claims) throw apiError('NI_ERR_SSO_PROVIDER', `${cfg.label} sent no id token`);
    return identityOf(cfg, claims);
  }
}

/** The tenant's own checks on a verified id token: directory, e-mail domain, role. */
export function identityOf(cfg: OidcConfigRow, claims: Record<string, unknown>): OidcIdentity {
  if (cfg.entraTenantId && claims.tid !== cfg.entraTenantId)
    throw apiError(
      'NI_ERR_FORBIDDEN',
      `this account belongs to another Microsoft Entra directory (tid ${String(claims.tid ?? 'missing')})`,
    );
  // Entra ID often sends no `email` for work accounts; its `preferred_username` is the UPN there.
  const raw =
    typeof claims.email === 'string'
      ? claims.email
      : cfg.entraTenantId && typeof claims.preferred_username === 'string'
        ? claims.preferred_username
        : undefined;
  if (!raw) throw apiError('NI_ERR_FORBIDDEN', 'the provider sent no e-mail address for this account');
  if (claims.email_verified === false)
    throw apiError('NI_ERR_FORBIDDEN', `the provider has not verified the e-mail address ${raw}`);
  const email = raw.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (cfg.allowedDomains.length > 0 && !cfg.allowedDomains.includes(domain))
    throw apiError(
      'NI_ERR_FORBIDDEN',
      `${email} is outside the domains this organisation allows (${cfg.allowedDomains.join(', ')})`,
    );
  const role = roleOf(cfg, claims[cfg.roleClaim]);
  if (!role)
    throw apiError(
      'NI_ERR_FORBIDDEN',
      `${email} has no role here: no value of the "${cfg.roleClaim}" claim is mapped, and there is no default role`,
    );
  return { subject: String(claims.sub), email, role };
}

/** The most powerful role any value of the claim maps to, else the default. */
export function roleOf(cfg: OidcConfigRow, claim: unknown): Role | null {
  const values = Array.isArray(claim) ? claim : claim === undefined || claim === null ? [] : [claim];
  let best: Role | null = null;
  for (const v of values) {
    // Own properties only: a claim value "constructor" must not find Object.prototype.
    const r = typeof v === 'string' && Object.hasOwn(cfg.roleMap, v) ? cfg.roleMap[v] : undefined;
    if (r && (!best || RANK[r] > RANK[best])) best = r;
  }
  return best ?? cfg.defaultRole;
}
