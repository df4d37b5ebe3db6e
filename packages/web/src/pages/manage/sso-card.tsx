/**
 * @module pages/manage/sso-card
 * Single sign-on with the organisation's OpenID provider (Entra ID or any
 * OpenID Connect provider), on the Administrators page: the issuer and
 * client, who may sign in (e-mail domains or an Entra tenant id), how the
 * provider's claims map to roles, and whether passwords still work. Owners
 * edit; everyone else reads. The client secret is write-only: the server
 * says only whether one is stored, and keeps it when the field is left empty.
 * The server checks everything and names the field that is wrong.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { Card, CardBody } from '../../components/card.tsx';
import { Field, InputField, SelectField } from '../../components/fields.tsx';
import { Notice } from '../../components/notice.tsx';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useSignedIn } from '../../session.tsx';

/** GET /settings/sso: the stored settings, or null when single sign-on is not set up. */
interface SsoSettingsView {
  enabled: boolean;
  label: string;
  slug: string | null;
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  allowedDomains: string[];
  entraTenantId: string | null;
  roleClaim: string;
  roleMap: Record<string, Role>;
  defaultRole: Role | null;
  passwordsEnabled: boolean;
}

interface Draft {
  enabled: boolean;
  label: string;
  slug: string;
  issuer: string;
  clientId: string;
  /** Empty: keep the stored secret. */
  clientSecret: string;
  domains: string;
  entraTenantId: string;
  roleClaim: string;
  /** One `claim value = role` per line. */
  roleMap: string;
  defaultRole: Role | '';
  passwordsEnabled: boolean;
}

const EMPTY: Draft = {
  enabled: true,
  label: 'Microsoft Entra ID',
  slug: '',
  issuer: '',
  clientId: '',
  clientSecret: '',
  domains: '',
  entraTenantId: '',
  roleClaim: 'roles',
  roleMap: 'netinsights-owners = owner\nnetinsights-admins = admin',
  defaultRole: 'viewer',
  passwordsEnabled: true,
};

const toDraft = (s: SsoSettingsView | null): Draft =>
  s
    ? {
        enabled: s.enabled,
        label: s.label,
        slug: s.slug ?? '',
        issuer: s.issuer,
        clientId: s.clientId,
        clientSecret: '',
        domains: s.allowedDomains.join(', '),
        entraTenantId: s.entraTenantId ?? '',
        roleClaim: s.roleClaim,
        roleMap: Object.entries(s.roleMap)
          .map(([claim, role]) => `${claim} = ${role}`)
          .join('\n'),
        defaultRole: s.defaultRole ?? '',
        passwordsEnabled: s.passwordsEnabled,
      }
    : EMPTY;

const ROLE_OPTIONS = [
  { value: '', label: 'Nobody else (refuse the sign-in)' },
  { value: 'viewer', label: 'Viewer (read-only)' },
  { value: 'admin', label: 'Admin' },
  { value: 'owner', label: 'Owner' },
];
const ROLES = new Set<string>(['owner', 'admin', 'viewer']);

/** The role map's lines as an object, or the first line that is not `value = role`. */
function parseRoleMap(text: string): { map: Record<string, Role> } | { problem: string } {
  const map: Record<string, Role> = Object.create(null);
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.lastIndexOf('=');
    const claim = line.slice(0, at).trim();
    const role = line
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at < 1 || !claim || !ROLES.has(role))
      return { problem: `Role map, line ${i + 1}: write "claim value = owner", "= admin" or "= viewer".` };
    map[claim] = role as Role;
  }
  return { map: { ...map } };
}

export function SsoCard() {
  const me = useSignedIn();
  const isOwner = me.user.role === 'owner';
  const { data, error, reload } = useApi<SsoSettingsView | null>('/settings/sso');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();

  useEffect(() => {
    if (data !== undefined) setDraft(toDraft(data));
  }, [data]);

  const edit = (patch: Partial<Draft>) => {
    if (!draft) return;
    setDraft({ ...draft, ...patch });
    setProblem(null);
    action.edited();
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const roles = parseRoleMap(draft.roleMap);
    if ('problem' in roles) return setProblem(roles.problem);
    await action.submit(async () => {
      const stored = await api<SsoSettingsView>('/settings/sso', {
        method: 'PUT',
        body: {
          enabled: draft.enabled,
          label: draft.label.trim(),
          slug: draft.slug.trim() || null,
          issuer: draft.issuer.trim(),
          clientId: draft.clientId.trim(),
          // Left empty: the stored secret is kept (the server never sends it back).
          ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
          allowedDomains: draft.domains
            .split(/[\s,]+/)
            .map((d) => d.trim())
            .filter(Boolean),
          entraTenantId: draft.entraTenantId.trim() || null,
          roleClaim: draft.roleClaim.trim(),
          roleMap: roles.map,
          defaultRole: draft.defaultRole || null,
          passwordsEnabled: draft.passwordsEnabled,
        },
      });
      setDraft(toDraft(stored));
      reload();
    });
  }

  async function remove() {
    if (!window.confirm('Remove single sign-on? Everyone signs in with a password again.')) return;
    await action.run(async () => {
      await api('/settings/sso', { method: 'DELETE' });
      reload();
    });
  }

  const callbackUrl = `${window.location.origin}/api/v1/auth/sso/callback`;
  return (
    <Card
      title="Single sign-on"
      titleId="sso-title"
      aside={
        <span className="small muted">
          {data ? (data.enabled ? `On: ${data.label}` : 'Set up, turned off') : 'Not set up'}
        </span>
      }
    >
      <CardBody>
        {!draft && (error ? <ErrorNotice error={error} retry={reload} /> : <Loading />)}
        {draft && (
          <form onSubmit={save} noValidate className="stack" aria-labelledby="sso-title">
            <p className="small muted">
              Register <code className="wrap-any">{callbackUrl}</code> as the redirect URI at your provider
              (for Entra ID: an app registration of type Web). The issuer for Entra ID is{' '}
              <code className="wrap-any">https://login.microsoftonline.com/&lt;tenant id&gt;/v2.0</code>.
            </p>
            {!isOwner && <Notice tone="info">Only an owner can change single sign-on.</Notice>}
            <fieldset disabled={!isOwner} className="plain-fieldset stack">
              <label className="choice">
                <input
                  type="checkbox"
                  checked={draft.enabled}
                  onChange={(e) => edit({ enabled: e.target.checked })}
                />
                Sign-in with the provider is on
              </label>
              <div className="form-grid">
                <InputField
                  id="sso-label"
                  label="Button label"
                  hint={`The sign-in page shows "Sign in with ${draft.label || '…'}".`}
                  value={draft.label}
                  onChange={(v) => edit({ label: v })}
                />
                <InputField
                  id="sso-slug"
                  label="Organisation name in the sign-in URL (optional)"
                  hint="Lower-case letters, digits and dashes: /sign-in?tenant=<name>."
                  value={draft.slug}
                  onChange={(v) => edit({ slug: v })}
                />
                <InputField
                  id="sso-issuer"
                  label="Issuer URL"
                  type="url"
                  value={draft.issuer}
                  onChange={(v) => edit({ issuer: v })}
                />
                <InputField
                  id="sso-client-id"
                  label="Client (application) id"
                  value={draft.clientId}
                  onChange={(v) => edit({ clientId: v })}
                />
                <InputField
                  id="sso-client-secret"
                  label="Client secret"
                  type="password"
                  autoComplete="off"
                  hint={
                    data?.clientSecretSet
                      ? 'A secret is stored (sealed). Leave empty to keep it.'
                      : 'None stored: the provider must accept a public client.'
                  }
                  placeholder={data?.clientSecretSet ? '•••••••• (stored)' : ''}
                  value={draft.clientSecret}
                  onChange={(v) => edit({ clientSecret: v })}
                />
                <InputField
                  id="sso-domains"
                  label="Allowed e-mail domains"
                  hint="Comma-separated. Only verified addresses in these domains may sign in."
                  value={draft.domains}
                  onChange={(v) => edit({ domains: v })}
                />
                <InputField
                  id="sso-entra-tenant"
                  label="Entra tenant id (optional)"
                  hint="Only accounts of this directory (the tid claim) may sign in."
                  value={draft.entraTenantId}
                  onChange={(v) => edit({ entraTenantId: v })}
                />
                <InputField
                  id="sso-role-claim"
                  label="Role claim"
                  hint="The id token claim holding groups or app roles, e.g. roles or groups."
                  value={draft.roleClaim}
                  onChange={(v) => edit({ roleClaim: v })}
                />
              </div>
              <div className="form-grid">
                <Field
                  id="sso-role-map"
                  label="Claim values → roles"
                  hint="One per line, e.g. netinsights-admins = admin. The strongest match wins."
                >
                  <textarea
                    id="sso-role-map"
                    value={draft.roleMap}
                    onChange={(e) => edit({ roleMap: e.target.value })}
                    rows={4}
                  />
                </Field>
                <SelectField
                  id="sso-default-role"
                  label="Anyone else allowed in gets"
                  value={draft.defaultRole}
                  options={ROLE_OPTIONS}
                  onChange={(v) => edit({ defaultRole: v as Role | '' })}
                />
              </div>
              <label className="choice">
                <input
                  type="checkbox"
                  checked={draft.passwordsEnabled}
                  onChange={(e) => edit({ passwordsEnabled: e.target.checked })}
                />
                Passwords still work (keep one owner with a password as a break-glass account)
              </label>
            </fieldset>
            {problem && (
              <Notice tone="error" role="alert">
                {problem}
              </Notice>
            )}
            {action.error && <ErrorNotice error={action.error} title="Not saved" />}
            {action.saved && (
              <Notice tone="ok" role="status">
                Saved. The sign-in page offers the provider from now on.
              </Notice>
            )}
            {isOwner && (
              <div className="row">
                <button type="submit" className="primary" disabled={action.busy}>
                  {action.busy ? 'Saving…' : 'Save single sign-on'}
                </button>
                {data && (
                  <button type="button" className="danger" onClick={() => void remove()}>
                    Remove single sign-on
                  </button>
                )}
              </div>
            )}
          </form>
        )}
      </CardBody>
    </Card>
  );
}
