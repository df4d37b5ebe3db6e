/**
 * @module demo/demo-setup
 * Puts the demo's tenants, sign-in, offices and settings into the store, and
 * mints fresh agent tokens for this run. Idempotent: a second `npm start` on
 * the same demo database reuses what is there (insights keep their history).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '@netinsights/server';
import { hashPassword } from '@netinsights/server/auth/password.ts';
import { AGENT_TOKEN_PREFIX, hashSecret, newSecret } from '@netinsights/server/auth/secrets.ts';
import { SETTINGS_KEY } from '@netinsights/server/insights/engine.ts';
import { DEFAULT_INSIGHT_SETTINGS } from '@netinsights/server/insights/settings.ts';
import type { DemoTenant } from './demo-world.ts';

/**
 * Demo settings: a one-hour window and a smaller evidence base than the
 * product defaults, so that insights open within a minute of starting and the
 * repaired office resolves within minutes. Thresholds stay the defaults.
 */
export const DEMO_INSIGHT_SETTINGS = {
  ...structuredClone(DEFAULT_INSIGHT_SETTINGS),
  windowHours: 1,
  minSamples: 6,
  minDevices: 2,
};

export interface ProvisionedTenant {
  tenantId: string;
  /** The agent token for this run (only its hash is stored). */
  agentToken: string;
}

export async function provisionDemoTenant(store: Store, tenant: DemoTenant): Promise<ProvisionedTenant> {
  const now = new Date().toISOString();
  const existing = (await store.tenants.list()).find((t) => t.name === tenant.name);
  const tenantId = existing?.id ?? randomUUID();
  const passwordHash = tenant.admin ? await hashPassword(tenant.admin.password) : undefined;
  const agentToken = newSecret(AGENT_TOKEN_PREFIX);

  await store.transaction(async (tx) => {
    if (!existing) await tx.tenants.create({ id: tenantId, name: tenant.name, createdAt: now });
    if (tenant.admin && passwordHash && !(await tx.users.findByEmail(tenant.admin.email)))
      await tx.users.create({
        tenantId,
        id: randomUUID(),
        email: tenant.admin.email,
        passwordHash,
        role: 'owner',
        createdAt: now,
      });
    const offices = await tx.offices.list(tenantId);
    for (const o of tenant.offices) {
      if (offices.some((existingOffice) => existingOffice.name === o.name)) continue;
      await tx.offices.create({
        tenantId,
        id: randomUUID(),
        name: o.name,
        address: null,
        city: o.city,
        country: o.country,
        latitude: o.latitude,
        longitude: o.longitude,
        lanSubnets: [],
        egressRanges: [o.egressRange],
        createdAt: now,
        updatedAt: now,
      });
    }
    if ((await tx.settings.get(tenantId, SETTINGS_KEY)) === undefined)
      await tx.settings.put(tenantId, SETTINGS_KEY, DEMO_INSIGHT_SETTINGS, now);
    await tx.agentTokens.create({
      tenantId,
      id: randomUUID(),
      name: `demo devices ${now}`,
      tokenHash: hashSecret(agentToken),
      officeId: null,
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
    });
  });
  return { tenantId, agentToken };
}
