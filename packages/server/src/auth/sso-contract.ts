/**
 * @module auth/sso-contract
 * The sign-in repository that store dialects implement, added to `Store` by
 * module augmentation (store/README.md): each tenant's OpenID Connect
 * settings, the e-mail domains that route a sign-in to a tenant, and the
 * pending authorization requests (state, PKCE verifier, nonce), each used once.
 */
import type { Role } from '../store/contract.ts';

/** One tenant's single sign-on settings. */
export interface OidcConfigRow {
  tenantId: string;
  /** Whether "Sign in with …" is offered and accepted. */
  enabled: boolean;
  /** What the button says, e.g. "Microsoft Entra ID". */
  label: string;
  /** Short name a sign-in page can ask for instead of an e-mail address (`?tenant=`). */
  slug: string | null;
  /** The issuer identifier; its `/.well-known/openid-configuration` must name exactly this issuer. */
  issuer: string;
  clientId: string;
  /** The client secret (never returned by the API); null for a public client. */
  clientSecret: string | null;
  /** E-mail domains whose users may sign in (lower case); at least one, or an Entra tenant id. */
  allowedDomains: string[];
  /** Microsoft Entra ID: the `tid` claim every id token must carry. */
  entraTenantId: string | null;
  /** The claim that carries roles or groups (e.g. `roles`, `groups`). */
  roleClaim: string;
  /** Claim value → role; the most powerful match wins. */
  roleMap: Record<string, Role>;
  /** The role of a user no mapping matches; null refuses them. */
  defaultRole: Role | null;
  /** Local passwords still accepted for this tenant (break-glass); off only while SSO is enabled. */
  passwordsEnabled: boolean;
  updatedAt: string;
}

/** An authorization request on its way to the provider and back. */
export interface OidcStateRow {
  /** SHA-256 of the `state` value, the key it is found by. */
  stateHash: string;
  tenantId: string;
  codeVerifier: string;
  nonce: string;
  /** Where the provider sends the browser back (the same value goes to the token request). */
  redirectUri: string;
  createdAt: string;
  expiresAt: string;
}

export interface SignInRepo {
  getOidc(tenantId: string): Promise<OidcConfigRow | undefined>;
  /** Creates or replaces the tenant's settings (the domains separately, in the same transaction). */
  putOidc(row: OidcConfigRow): Promise<void>;
  deleteOidc(tenantId: string): Promise<boolean>;
  /** Forgets the tenant's domain routes (before adding the new set). */
  clearDomains(tenantId: string): Promise<void>;
  /** Routes sign-ins of `domain` to the tenant; a domain routes to one tenant only (unique). */
  addDomain(domain: string, tenantId: string): Promise<void>;
  /** The tenant an e-mail domain signs in to, if one claimed it. */
  tenantOfDomain(domain: string): Promise<string | undefined>;
  tenantOfSlug(slug: string): Promise<string | undefined>;
  /** Sets a user's role to what the provider's claims map to at this sign-in. */
  setUserRole(tenantId: string, userId: string, role: Role): Promise<boolean>;
  saveState(row: OidcStateRow): Promise<void>;
  /** Removes and returns the request: a state is good for one answer only. */
  takeState(stateHash: string): Promise<OidcStateRow | undefined>;
  purgeStates(before: string): Promise<number>;
}

declare module '../store/contract.ts' {
  interface StoreExtensions {
    signIn: SignInRepo;
  }
}
