/**
 * In Chromium against the real server: an owner switches on "Agents report
 * the device's hostname and OS user" (saved, and agents are told so through
 * their config); a report that carries them shows both on the report page,
 * one that does not says why there is no user; the fleet card marks an agent
 * that checks in but whose reports never arrive as "Silent: no reports",
 * beside one whose report arrived.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';
import { probeReport } from './support/reports.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

let server: RealServer;
let browser: Browser;
let page: Page;
let owner: TenantLogin;
let agentToken: string;

before(async () => {
  mkdirSync(RESULTS, { recursive: true });
  server = await startRealServer();
  owner = await server.createTenant('Identity Corp', 'owner@identity.example');
  const t = await server.api<{ token: string }>(owner, 'POST', '/agent-tokens', { name: 'laptops' });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  agentToken = t.body.token;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await server.signIn(page, owner);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The agent's settings fetch: its check-in, and what it is told. */
async function checkIn(deviceId: string): Promise<{ reportIdentity: boolean }> {
  const res = await fetch(new URL('/api/v1/agent/config', server.url), {
    headers: {
      authorization: `Bearer ${agentToken}`,
      'x-netinsights-agent-version': '0.1.0',
      'x-netinsights-device-id': deviceId,
    },
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { reportIdentity: boolean };
}

test('the owner switches hostname and OS user on; agents are told so at their next config fetch', async () => {
  assert.equal((await checkIn('laptop-anna')).reportIdentity, false, 'off by default');
  await page.goto(`${server.url}/manage/agent-tokens`);
  const box = page.getByLabel(/Agents report the device’s hostname and OS user/);
  assert.equal(await box.isChecked(), false);
  await box.check();
  await page.getByRole('button', { name: 'Save agent settings' }).click();
  await page.getByText('Saved. Agents use these settings from their next run.').waitFor();
  await page.screenshot({ path: join(RESULTS, 'agent-identity-policy.png'), fullPage: true });
  assert.equal((await checkIn('laptop-anna')).reportIdentity, true);
});

test('the report page shows hostname and OS user when the report carries them, and says why not otherwise', async () => {
  const named = probeReport({ deviceId: 'laptop-anna', blocked: false });
  named.environment = { ...named.environment, hostname: 'LT-ANNA-042', osUser: 'CONTOSO\\anna' };
  const plain = probeReport({ deviceId: 'desk-bob', blocked: false });
  assert.deepEqual(await server.upload(agentToken, [named, plain]), [202, 202]);

  await page.goto(`${server.url}/reports/${named.reportId}`);
  const about = page.getByRole('region', { name: 'About this report' });
  await about.getByText('(LT-ANNA-042)').waitFor();
  await about.getByText('CONTOSO\\anna').waitFor();
  await page.screenshot({ path: join(RESULTS, 'agent-identity-report.png'), fullPage: true });

  await page.goto(`${server.url}/reports/${plain.reportId}`);
  await page
    .getByRole('region', { name: 'About this report' })
    .getByText('not reported (the agent policy does not ask for it)')
    .waitFor();
});

test('the fleet card marks an agent that checks in but whose reports never arrive', async () => {
  await checkIn('desk-bob');
  await checkIn('kiosk-7');
  await page.goto(`${server.url}/manage/agent-tokens`);
  const row = (device: string) => page.getByTestId('fleet-table').locator(`tr[data-device="${device}"]`);
  await row('kiosk-7').getByText('Silent: no reports').waitFor();
  await row('desk-bob').getByText('OK').waitFor();
  assert.match((await row('kiosk-7').textContent()) ?? '', /none lately/);
  await page.getByTestId('fleet-table').screenshot({ path: join(RESULTS, 'agent-fleet-silent.png') });
});
