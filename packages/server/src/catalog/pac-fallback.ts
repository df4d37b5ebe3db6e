/**
 * @module catalog/pac-fallback
 * Where a generated PAC file sends everything it does not send direct: the
 * organisation's own proxy, set once per tenant (`PUT
 * /api/v1/settings/remediation`, shown on the remediation page). A PAC file
 * deployed with a guessed proxy would break all other browsing, so the
 * generator never guesses: without the setting (or an explicit `?proxy=`)
 * the PAC route answers NI_ERR_SETTING_MISSING and says where to set it.
 */
import { NetinsightsError, type SchemaIssue } from '@netinsights/protocol';
import type { Store } from '../store/contract.ts';
import { checkPacResult } from './pac.ts';

/** The settings key (store.settings). */
export const REMEDIATION_SETTINGS_KEY = 'remediation';

/** The tenant's remediation settings. */
export interface RemediationSettings {
  /** A PAC result for all other traffic, e.g. `PROXY proxy.contoso.com:8080; DIRECT`; null when not set. */
  pacFallback: string | null;
}

export const DEFAULT_REMEDIATION_SETTINGS: RemediationSettings = { pacFallback: null };

/** A checked settings document, or the problems with their JSON paths. */
export function checkRemediationSettings(value: unknown): {
  settings?: RemediationSettings;
  issues: SchemaIssue[];
} {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { issues: [{ path: '', message: 'must be an object like {"pacFallback": "PROXY host:port"}' }] };
  const extra = Object.keys(value).filter((k) => k !== 'pacFallback');
  if (extra.length) return { issues: extra.map((k) => ({ path: `/${k}`, message: 'unknown setting' })) };
  const raw = (value as { pacFallback?: unknown }).pacFallback;
  if (raw === null || raw === undefined) return { settings: { pacFallback: null }, issues: [] };
  if (typeof raw !== 'string' || raw.length > 500)
    return {
      issues: [
        { path: '/pacFallback', message: 'must be a PAC result string of at most 500 characters, or null' },
      ],
    };
  try {
    return { settings: { pacFallback: checkPacResult(raw, 'pacFallback') }, issues: [] };
  } catch (err) {
    return { issues: [{ path: '/pacFallback', message: (err as Error).message }] };
  }
}

export async function readRemediationSettings(store: Store, tenantId: string): Promise<RemediationSettings> {
  const stored = await store.settings.get(tenantId, REMEDIATION_SETTINGS_KEY);
  return checkRemediationSettings(stored ?? {}).settings ?? DEFAULT_REMEDIATION_SETTINGS;
}

/** The PAC file's fallback: the request's `?proxy=`, else the tenant setting; never a placeholder. */
export async function pacFallbackFor(store: Store, tenantId: string, requested?: string): Promise<string> {
  if (requested) return requested;
  const { pacFallback } = await readRemediationSettings(store, tenantId);
  if (pacFallback) return pacFallback;
  throw new NetinsightsError(
    'NI_ERR_SETTING_MISSING',
    'the PAC file needs to know where all other traffic goes today: set the organisation’s proxy on the remediation page (PUT /api/v1/settings/remediation {"pacFallback": "PROXY proxy.contoso.com:8080"}), or pass ?proxy=',
  );
}
