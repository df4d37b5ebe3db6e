/**
 * @module http/routes/settings
 * Per-tenant insight settings, and the remediation settings (the proxy generated PAC files fall back to). The insight engine owns the defaults and the
 * validation (insights/settings.ts); this route stores the complete, checked
 * document and audits the change.
 */
import type { FastifyInstance } from 'fastify';
import { audit } from '../../audit/audit-log.ts';
import { principalOf } from '../../auth/principal.ts';
import {
  checkRemediationSettings,
  REMEDIATION_SETTINGS_KEY,
  readRemediationSettings,
} from '../../catalog/pac-fallback.ts';
import { schemaError } from '../../errors.ts';
import { checkInsightSettings, DEFAULT_INSIGHT_SETTINGS } from '../../insights/settings.ts';
import type { ServerContext } from '../context.ts';

export const INSIGHT_SETTINGS_KEY = 'insights';

export function registerSettingsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store } = ctx;
  const tags = ['settings'];

  app.get(
    '/api/v1/settings/insights',
    { config: { access: 'read' }, schema: { tags, summary: 'insight thresholds and windows' } },
    async (request) => {
      const stored = await store.settings.get(principalOf(request).tenantId, INSIGHT_SETTINGS_KEY);
      return stored ?? DEFAULT_INSIGHT_SETTINGS;
    },
  );

  app.put(
    '/api/v1/settings/insights',
    { config: { access: 'write' }, schema: { tags, summary: 'change insight thresholds and windows' } },
    async (request) => {
      const p = principalOf(request);
      const { settings, issues } = checkInsightSettings(request.body);
      if (!settings) throw schemaError('invalid insight settings', issues);
      const now = ctx.now();
      await store.transaction(async (tx) => {
        await tx.settings.put(p.tenantId, INSIGHT_SETTINGS_KEY, settings, now.toISOString());
        await audit(tx, p, 'settings.insights', 'settings:insights', settings, now);
      });
      return settings;
    },
  );

  app.get(
    '/api/v1/settings/remediation',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'where generated PAC files send all other traffic (the organisation’s proxy)',
      },
    },
    async (request) => readRemediationSettings(store, principalOf(request).tenantId),
  );

  app.put(
    '/api/v1/settings/remediation',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'set the organisation’s proxy that generated PAC files send all other traffic to',
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { settings, issues } = checkRemediationSettings(request.body);
      if (!settings) throw schemaError('invalid remediation settings', issues);
      const now = ctx.now();
      await store.transaction(async (tx) => {
        await tx.settings.put(p.tenantId, REMEDIATION_SETTINGS_KEY, settings, now.toISOString());
        await audit(tx, p, 'settings.remediation', `settings:${REMEDIATION_SETTINGS_KEY}`, settings, now);
      });
      return settings;
    },
  );
}
