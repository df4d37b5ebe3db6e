/**
 * @module lib/use-sso
 * Whether the organisation being signed in to uses single sign-on: asked of
 * GET /auth/sso by the e-mail's domain as it is typed (after a pause), or by
 * a tenant slug in the page's `?tenant=` parameter. Asked by domain only, so
 * typing the rest of an address asks nothing more.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';

export interface SsoChoice {
  label: string;
  startUrl: string;
  passwordsEnabled: boolean;
}

type Answer = { enabled: false } | ({ enabled: true } & SsoChoice);

const PAUSE_MS = 300;

export function useSso(email: string): SsoChoice | null {
  const [choice, setChoice] = useState<SsoChoice | null>(null);
  const tenant = new URLSearchParams(window.location.search).get('tenant');
  const domain = email.includes('@') ? email.trim().slice(email.lastIndexOf('@') + 1) : '';
  useEffect(() => {
    if (!tenant && !domain.includes('.')) {
      setChoice(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      const q = tenant
        ? `tenant=${encodeURIComponent(tenant)}`
        : `email=${encodeURIComponent(`user@${domain}`)}`;
      api<Answer>(`/auth/sso?${q}`, { quietUnauthorized: true })
        .then((a) => live && setChoice(a.enabled ? a : null))
        .catch(() => live && setChoice(null));
    }, PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [tenant, domain]);
  // The domain decides whether there is single sign-on; the whole address goes along as a login hint.
  return (
    choice &&
    (tenant
      ? choice
      : { ...choice, startUrl: `/api/v1/auth/sso/start?email=${encodeURIComponent(email.trim())}` })
  );
}
