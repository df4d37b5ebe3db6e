/** @module store/statements/sign-in — single sign-on settings, domain routes and pending authorization requests; both dialects. */
import type { OidcConfigRow, OidcStateRow } from '../../auth/sso-contract.ts';
import type { Role } from '../contract.ts';
import { bool, str, strOrNull } from '../row-decoders.ts';
import type { Row } from '../shared/statement.ts';
import { changed, changes, exec, first, one } from '../shared/statement.ts';

const toConfig = (r: Row): OidcConfigRow => ({
  tenantId: str(r.tenant_id),
  enabled: bool(r.enabled),
  label: str(r.label),
  slug: strOrNull(r.slug),
  issuer: str(r.issuer),
  clientId: str(r.client_id),
  clientSecret: strOrNull(r.client_secret),
  allowedDomains: JSON.parse(str(r.allowed_domains)) as string[],
  entraTenantId: strOrNull(r.entra_tenant_id),
  roleClaim: str(r.role_claim),
  roleMap: JSON.parse(str(r.role_map)) as Record<string, Role>,
  defaultRole: strOrNull(r.default_role) as Role | null,
  passwordsEnabled: bool(r.passwords_enabled),
  updatedAt: str(r.updated_at),
});

const toState = (r: Row): OidcStateRow => ({
  stateHash: str(r.state_hash),
  tenantId: str(r.tenant_id),
  codeVerifier: str(r.code_verifier),
  nonce: str(r.nonce),
  redirectUri: str(r.redirect_uri),
  createdAt: str(r.created_at),
  expiresAt: str(r.expires_at),
});

const byTenant = (tenantId: string) => ({ tenantId });

export const SIGN_IN = {
  getOidc: one('SELECT * FROM oidc_configs WHERE tenant_id = $tenantId', byTenant, toConfig),
  putOidc: exec(
    `INSERT INTO oidc_configs (tenant_id, enabled, label, slug, issuer, client_id, client_secret,
       allowed_domains, entra_tenant_id, role_claim, role_map, default_role, passwords_enabled, updated_at)
     VALUES ($tenantId, $enabled, $label, $slug, $issuer, $clientId, $clientSecret,
       $allowedDomains, $entraTenantId, $roleClaim, $roleMap, $defaultRole, $passwordsEnabled, $updatedAt)
     ON CONFLICT (tenant_id) DO UPDATE SET enabled = excluded.enabled, label = excluded.label,
       slug = excluded.slug, issuer = excluded.issuer, client_id = excluded.client_id,
       client_secret = excluded.client_secret, allowed_domains = excluded.allowed_domains,
       entra_tenant_id = excluded.entra_tenant_id, role_claim = excluded.role_claim,
       role_map = excluded.role_map, default_role = excluded.default_role,
       passwords_enabled = excluded.passwords_enabled, updated_at = excluded.updated_at`,
    (r: OidcConfigRow) => ({
      ...r,
      enabled: r.enabled ? 1 : 0,
      passwordsEnabled: r.passwordsEnabled ? 1 : 0,
      allowedDomains: JSON.stringify(r.allowedDomains),
      roleMap: JSON.stringify(r.roleMap),
    }),
  ),
  deleteOidc: changed('DELETE FROM oidc_configs WHERE tenant_id = $tenantId', byTenant),
  clearDomains: exec('DELETE FROM oidc_domains WHERE tenant_id = $tenantId', byTenant),
  addDomain: exec(
    'INSERT INTO oidc_domains (domain, tenant_id) VALUES ($domain, $tenantId)',
    (domain: string, tenantId: string) => ({
      domain,
      tenantId,
    }),
  ),
  tenantOfDomain: first(
    'SELECT tenant_id FROM oidc_domains WHERE domain = $domain',
    (domain: string) => ({ domain }),
    (r) => (r ? str(r.tenant_id) : undefined),
  ),
  tenantOfSlug: first(
    'SELECT tenant_id FROM oidc_configs WHERE slug = $slug',
    (slug: string) => ({ slug }),
    (r) => (r ? str(r.tenant_id) : undefined),
  ),
  setUserRole: changed(
    'UPDATE users SET role = $role WHERE tenant_id = $tenantId AND id = $id',
    (tenantId: string, id: string, role: Role) => ({ tenantId, id, role }),
  ),
  saveState: exec(
    `INSERT INTO oidc_states (state_hash, tenant_id, code_verifier, nonce, redirect_uri, created_at, expires_at)
     VALUES ($stateHash, $tenantId, $codeVerifier, $nonce, $redirectUri, $createdAt, $expiresAt)`,
    (r: OidcStateRow) => ({ ...r }),
  ),
  // One statement, so two answers carrying the same state cannot both take it (on any number of servers).
  takeState: one(
    'DELETE FROM oidc_states WHERE state_hash = $stateHash RETURNING *',
    (stateHash: string) => ({ stateHash }),
    toState,
  ),
  purgeStates: changes('DELETE FROM oidc_states WHERE expires_at < $before', (before: string) => ({
    before,
  })),
};
