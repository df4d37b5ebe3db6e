/**
 * @module test/dashboard
 * The dashboard in Chromium against the real server (in-process, fresh
 * SQLite, two tenants made with the real CLI, reports uploaded with real
 * agent tokens): sign-in with wrong and right credentials and throttling,
 * insights on the overview and the office page, an insight's evidence, a
 * CSV import with a bad row, an agent token created and revoked (and what
 * that does to the token), another tenant's office refused by URL, and
 * sign-out / session expiry. Screenshots of the overview and an office page
 * go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfile } from '@netinsights/protocol';
import type { Locator, Page } from 'playwright-core';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';
import { probeReport } from './support/reports.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

/** The text as the admin sees it (layout-aware, unlike textContent). */
function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(), not the DOM property.
  return locator.innerText();
}

interface Office {
  id: string;
  name: string;
}

async function createOffice(
  server: RealServer,
  who: TenantLogin,
  input: Record<string, unknown>,
): Promise<Office> {
  const r = await server.api<Office>(who, 'POST', '/offices', input);
  assert.equal(r.status, 201, `creating office ${String(input.name)}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function agentToken(
  server: RealServer,
  who: TenantLogin,
  name: string,
  officeId: string,
): Promise<string> {
  const r = await server.api<{ token: string }>(who, 'POST', '/agent-tokens', { name, officeId });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.token;
}

/** Polls until the insight engine has opened the expected insight (it evaluates every second). */
async function waitForInsight(server: RealServer, who: TenantLogin, officeId: string, kind: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await server.api<{ items: { kind: string; officeId: string }[] }>(
      who,
      'GET',
      `/insights?status=active&office=${encodeURIComponent(officeId)}`,
    );
    if (r.status === 200 && r.body.items.some((i) => i.kind === kind)) return;
    if (Date.now() > deadline)
      throw new Error(`no active ${kind} insight for ${officeId}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

describe('dashboard against the real server', { timeout: 300_000 }, () => {
  let server: RealServer;
  let browser: Browser;
  let page: Page;
  let contoso: TenantLogin;
  let fabrikam: TenantLogin;
  let berlin: Office;
  let lisbon: Office;
  let foreign: Office;
  let berlinToken: string;
  let lisbonToken: string;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    server = await startRealServer();
    contoso = await server.createTenant('Contoso Ltd', 'owner@contoso.example');
    fabrikam = await server.createTenant('Fabrikam Inc', 'owner@fabrikam.example');
    berlin = await createOffice(server, contoso, {
      name: 'Berlin HQ',
      address: 'Alexanderplatz 1',
      city: 'Berlin',
      country: 'DE',
      latitude: 52.52,
      longitude: 13.405,
      lanSubnets: ['10.10.0.0/16'],
      egressRanges: [],
    });
    lisbon = await createOffice(server, contoso, {
      name: 'Lisbon',
      city: 'Lisbon',
      country: 'PT',
      latitude: 38.72,
      longitude: -9.14,
      lanSubnets: ['10.20.0.0/16'],
      egressRanges: [],
    });
    foreign = await createOffice(server, fabrikam, {
      name: 'Fabrikam Secret Lab',
      city: 'Oslo',
      country: 'NO',
      latitude: 59.91,
      longitude: 10.75,
      lanSubnets: ['10.30.0.0/16'],
      egressRanges: [],
    });
    const singapore = await createOffice(server, contoso, {
      name: 'Singapore',
      city: 'Singapore',
      country: 'SG',
      latitude: 1.29,
      longitude: 103.85,
      lanSubnets: ['10.50.0.0/16'],
      egressRanges: [],
    });
    // Offices that have not reported yet, so the map and table show every state.
    for (const [name, city, country, latitude, longitude, lan] of [
      ['New York', 'New York', 'US', 40.71, -74.0, '10.60.0.0/16'],
      ['São Paulo', 'São Paulo', 'BR', -23.55, -46.63, '10.61.0.0/16'],
      ['Sydney', 'Sydney', 'AU', -33.87, 151.21, '10.62.0.0/16'],
    ] as const)
      await createOffice(server, contoso, {
        name,
        city,
        country,
        latitude,
        longitude,
        lanSubnets: [lan],
        egressRanges: [],
      });
    berlinToken = await agentToken(server, contoso, 'Berlin probes', berlin.id);
    const singaporeToken = await agentToken(server, contoso, 'Singapore probes', singapore.id);
    lisbonToken = await agentToken(server, contoso, 'Lisbon probes', lisbon.id);
    const now = Date.now();
    const berlinReports = Array.from({ length: 8 }, (_, i) =>
      probeReport({
        deviceId: `ber-${i % 2}`,
        blocked: true,
        latencyMs: 60 + i,
        mbps: 40,
        at: now - i * 60_000,
      }),
    );
    const lisbonReports = Array.from({ length: 8 }, (_, i) =>
      probeReport({ deviceId: `lis-${i % 2}`, blocked: false, at: now - i * 60_000 }),
    );
    for (const s of await server.upload(berlinToken, berlinReports)) assert.equal(s, 202);
    for (const s of await server.upload(lisbonToken, lisbonReports)) assert.equal(s, 202);
    const singaporeReports = Array.from({ length: 8 }, (_, i) =>
      probeReport({
        deviceId: `sin-${i % 2}`,
        blocked: false,
        intercepted: true,
        latencyMs: 48,
        at: now - i * 60_000,
      }),
    );
    for (const s of await server.upload(singaporeToken, singaporeReports)) assert.equal(s, 202);
    await waitForInsight(server, contoso, singapore.id, 'tls-interception');
    // The other tenant has data too, which must never show up for Contoso.
    const fabrikamToken = await agentToken(server, fabrikam, 'Oslo probes', foreign.id);
    const fabrikamReports = Array.from({ length: 2 }, (_, i) =>
      probeReport({ deviceId: `osl-${i}`, blocked: true }),
    );
    for (const s of await server.upload(fabrikamToken, fabrikamReports)) assert.equal(s, 202);
    // A token without an office, from a network no office claims: a discovered location.
    const roaming = await server.api<{ token: string }>(contoso, 'POST', '/agent-tokens', {
      name: 'Roaming',
    });
    const roamingReports = Array.from({ length: 3 }, (_, i) =>
      probeReport({ deviceId: `r-${i}`, blocked: false }),
    );
    for (const s of await server.upload(roaming.body.token, roamingReports)) assert.equal(s, 202);
    await waitForInsight(server, contoso, berlin.id, 'critical-domain-https-failure');

    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('explains wrong credentials and signs in with the right ones, by keyboard', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill(contoso.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    assert.match(await visibleText(error), /Wrong email or password/);

    // Keyboard only from here: focus is back in the password field, Enter submits.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
    await page.keyboard.type(contoso.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    assert.equal(await visibleText(page.getByTestId('tenant-name')), 'Contoso Ltd');
  });

  it('says plainly when sign-in is throttled', async () => {
    const other = await browser.context.newPage();
    await other.context().clearCookies();
    try {
      await other.goto(`${server.url}/`);
      // The server pauses an e-mail after repeated failures (5 by default); keep trying until it does.
      for (let i = 0; i < 10; i++) {
        await other.getByLabel('Email').fill('nobody@contoso.example');
        await other.getByLabel('Password').fill(`guess-${i}`);
        await other.getByRole('button', { name: 'Sign in' }).click();
        await other.getByRole('button', { name: 'Sign in' }).waitFor();
        const text = await visibleText(other.getByTestId('signin-error'));
        if (/Too many attempts/.test(text)) {
          assert.match(text, /Try again in \d+ (second|minute)/);
          assert.equal(await other.getByRole('button', { name: 'Sign in' }).isDisabled(), true);
          return;
        }
      }
      assert.fail('sign-in was never throttled');
    } finally {
      await other.close();
    }
    // The throttled page signed nobody in and did not touch the admin's session.
  });

  it('shows every office with its active insights on the overview', async () => {
    await server.signIn(page, contoso);
    const table = page.getByTestId('office-table');
    const berlinRow = table.locator('tr', { hasText: 'Berlin HQ' });
    await berlinRow.getByText('Critical domains blocked').waitFor();
    assert.match(await visibleText(berlinRow), /High|Medium|Low/);
    const lisbonRow = table.locator('tr', { hasText: 'Lisbon' });
    assert.match(await visibleText(lisbonRow), /Healthy/);
    assert.equal(Number(await visibleText(page.getByTestId('total-active'))) >= 1, true);
    const singaporeRow = table.locator('tr', { hasText: 'Singapore' });
    await singaporeRow.getByText('TLS interception').waitFor();
    assert.match(await visibleText(table.locator('tr', { hasText: 'Sydney' })), /No data/);
    assert.equal(await page.locator('.map circle.marker').count(), 6);
    // Never anything of the other tenant.
    assert.equal(await page.getByText('Fabrikam Secret Lab').count(), 0);
    await page.locator('.map path.land').waitFor();
    await page.screenshot({ path: join(RESULTS, 'overview.png'), fullPage: true });
  });

  it('fits a phone screen, with the navigation behind a menu button', async () => {
    const phone = await browser.context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${server.url}/`);
      await phone.getByTestId('office-table').waitFor();
      const nav = phone.getByRole('navigation', { name: 'Main' });
      assert.equal(await nav.isVisible(), false, 'the sidebar is folded away');
      const menu = phone.getByRole('button', { name: 'Menu' });
      await menu.click();
      await nav.waitFor();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true');
      await phone.keyboard.press('Escape');
      await nav.waitFor({ state: 'hidden' });
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      await phone.locator('.map path.land').waitFor();
      await phone.screenshot({ path: join(RESULTS, 'overview-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('opens the office page and an insight with its evidence', async () => {
    await page.getByTestId('office-table').getByRole('link', { name: 'Berlin HQ' }).click();
    await page.getByRole('heading', { name: 'Berlin HQ', level: 1 }).waitFor();
    const card = page.locator('article[data-kind="critical-domain-https-failure"]');
    await card.waitFor();
    await card.getByText('Evidence').click();
    const evidence = card.locator('.evidence-grid');
    await evidence.getByText('proxy/forbidden').waitFor();
    const text = await visibleText(evidence);
    assert.match(text, /static\.microsoft/);
    assert.match(text, /res\.public\.onecdn\.static\.microsoft/);
    assert.match(text, /refused to open the tunnel/);
    assert.match(text, /Devices\s+2/);
    // "What to do" links to the artifact that fixes it: here the PAC file sending these domains direct.
    const pacLink = card.getByRole('link', { name: /PAC file/ });
    const pacHref = (await pacLink.getAttribute('href')) ?? '';
    const fetchPac = () =>
      page.evaluate(async (href) => {
        const r = await fetch(href);
        return { status: r.status, body: await r.text() };
      }, pacHref);
    // Behaviour change (issue 16): until the organisation's proxy is set, the PAC route says so instead of guessing.
    const unset = await fetchPac();
    assert.equal(unset.status, 409);
    assert.match(unset.body, /NI_ERR_SETTING_MISSING/);
    const saved = await page.evaluate(async () => {
      const r = await fetch('/api/v1/settings/remediation', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ pacFallback: 'PROXY proxy.contoso.example:3128' }),
        credentials: 'same-origin',
      });
      return r.status;
    });
    assert.equal(saved, 200);
    const pac = await fetchPac();
    assert.equal(pac.status, 200);
    assert.match(pac.body, /function FindProxyForURL/);
    assert.match(pac.body, /static\.microsoft/);
    assert.match(pac.body, /PROXY proxy\.contoso\.example:3128/);
    await page.getByTestId('reports-table').waitFor();
    assert.equal(await page.getByTestId('reports-table').locator('tbody tr').count(), 8);
    await page.locator('.chart canvas').first().waitFor();
    await page.screenshot({ path: join(RESULTS, 'office.png'), fullPage: true });
  });

  it('shows one report check by check with its certificate chain', async () => {
    await page.getByTestId('reports-table').locator('tbody tr a').first().click();
    await page.locator('details.check').first().waitFor();
    const failed = page.locator('details.check[open]');
    assert.equal(await failed.count(), 2, 'the two refused hosts are open first');
    assert.match(await visibleText(failed.first()), /proxy\/forbidden/);
    await page.locator('details[data-check="tls:teams.cloud.microsoft"] > summary').click();
    const chain = page.getByTestId('cert-chain');
    await chain.waitFor();
    const text = await visibleText(chain);
    assert.match(text, /Genuine chain/);
    assert.match(text, /Microsoft Azure RSA TLS Issuing CA 04/);
    assert.match(text, /SHA-256/);
  });

  it('shows a download too small to time as not measured, with its size, never as a speed', async () => {
    const report = probeReport({ deviceId: 'lis-small', blocked: false, tooSmallBytes: 48_213 });
    for (const s of await server.upload(lisbonToken, [report])) assert.equal(s, 202);
    await page.goto(`${server.url}/reports/${report.reportId}`);
    const check = page.locator('details[data-check="throughput:res.public.onecdn.static.microsoft"]');
    await check.waitFor();
    assert.match(await visibleText(check.locator('summary')), /Not measured/);
    assert.doesNotMatch(await visibleText(check.locator('summary')), /Fail/);
    await check.locator('summary').click();
    const shown = page.locator('.throughput-not-measured');
    await shown.waitFor();
    assert.match(await visibleText(shown), /not measured: object too small \(48,213 bytes/);
    assert.doesNotMatch(await visibleText(check), /Mbit\/s/);
    // Not a failure: the page counts it with the checks that were not run.
    assert.match(await visibleText(page.locator('main')), /all \d+ checks passed · 1 not run/);
    await check.screenshot({ path: join(RESULTS, 'throughput-not-measured.png') });
  });

  it('offers the PAC file, bypass list and firewall list to deploy', async () => {
    await page.getByRole('link', { name: 'Remediation' }).click();
    await page.getByLabel(/Type 2/).check();
    await page.getByLabel('Everything else uses').fill('PROXY proxy.contoso.example:3128');
    const href = (await page.getByRole('link', { name: 'Download PAC file' }).getAttribute('href')) ?? '';
    const fetchText = (url: string) =>
      page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, body: await r.text() };
      }, url);
    const pac = await fetchText(href);
    assert.equal(pac.status, 200);
    assert.match(pac.body, /function FindProxyForURL/);
    assert.match(pac.body, /PROXY proxy\.contoso\.example:3128/);
    const bypass = await fetchText(
      (await page
        .getByRole('link', { name: /Open as text/ })
        .first()
        .getAttribute('href')) ?? '',
    );
    assert.equal(bypass.status, 200);
    assert.match(bypass.body, /cloud\.microsoft/);
  });

  it('lists insights filtered by kind and office', async () => {
    await page.goto(`${server.url}/insights?kind=critical-domain-https-failure&office=${berlin.id}`);
    const table = page.getByTestId('insights-table');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 1);
    await page.goto(`${server.url}/insights?kind=tls-interception`);
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 1);
    assert.match(rows[0] ?? '', /Singapore/);
    await page.goto(`${server.url}/insights?kind=websocket-failure`);
    await page.getByText('No active insights').waitFor();
  });

  it('imports offices from CSV and shows the bad row', async () => {
    await page.goto(`${server.url}/manage/offices`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = [
      'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges',
      'Madrid,,Madrid,ES,40.41,-3.70,10.40.0.0/16,',
      'Nowhere,,Atlantis,ES,123.4,-3.70,10.41.0.0/16,',
    ].join('\n');
    await page.getByLabel('CSV', { exact: true }).fill(csv);
    await page.getByRole('button', { name: 'Import offices' }).click();
    const errors = page.getByTestId('csv-errors');
    await errors.waitFor();
    const row = errors.locator('tr[data-row="3"]');
    assert.match(await visibleText(row), /latitude/);
    assert.match(await visibleText(row), /Nowhere/);
    assert.match(await visibleText(errors), /Nothing was imported/);
    const list = await server.api<{ items: Office[] }>(contoso, 'GET', '/offices');
    const names = list.body.items.map((o) => o.name);
    assert.equal(names.includes('Madrid') || names.includes('Nowhere'), false, 'nothing imported');
    assert.equal(names.length, 6);
  });

  it('creates an agent token with a ready-to-paste probe command, then revokes it', async () => {
    await page.goto(`${server.url}/manage/agent-tokens`);
    await page.getByLabel('Name').fill('Lisbon office box');
    await page.getByLabel('Office').selectOption({ label: 'Lisbon' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const command = await visibleText(page.getByTestId('probe-command'));
    const m = command.match(/^netinsights probe --collector (\S+) --token (nia_\S+)$/);
    assert.ok(m, `unexpected command line: ${command}`);
    assert.equal(m[1], server.url);
    const token = m[2] ?? '';
    assert.deepEqual(await server.upload(token, [probeReport({ deviceId: 'box-1', blocked: false })]), [202]);

    const row = page.getByTestId('token-table').locator('tr[data-token-name="Lisbon office box"]');
    await row.getByText('Active').waitFor();
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    assert.equal(await page.getByTestId('probe-command').count(), 0, 'the secret is gone from the page');
    assert.deepEqual(await server.upload(token, [probeReport({ deviceId: 'box-1', blocked: false })]), [401]);
  });

  it('creates an enrollment secret shown once in the Windows and Linux install lines; a device enrolls and shows by version', async () => {
    await page.goto(`${server.url}/manage/agent-tokens`);
    await page.getByLabel('Rollout').fill('Intune laptops');
    await page.getByLabel('Devices (blank: no limit)').fill('2');
    await page.getByRole('button', { name: 'Create enrollment secret' }).click();
    const windows = await visibleText(page.getByTestId('enroll-windows'));
    const m = windows.match(
      /^\.\\netinsights-agent-win-x64\.exe agent install --collector (\S+) --enroll (nie_\S+)$/,
    );
    assert.ok(m, `unexpected Windows line: ${windows}`);
    assert.equal(m[1], server.url);
    assert.ok((await visibleText(page.getByTestId('enroll-unix'))).endsWith(`--enroll ${m[2]}`));
    const res = await fetch(new URL('/api/v1/agent/enroll', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: m[2] }),
    });
    assert.equal(res.status, 201);
    const { token } = (await res.json()) as { token: string };
    // The enrolled agent checks in with an old version: the fleet card flags it.
    const checkin = await fetch(new URL('/api/v1/agent/config', server.url), {
      headers: {
        authorization: `Bearer ${token}`,
        'x-netinsights-agent-version': '0.0.1',
        'x-netinsights-device-id': 'old-laptop',
      },
    });
    assert.equal(checkin.status, 200);
    await page.reload();
    const row = page.getByTestId('enrollment-table').locator('tr[data-enrollment-name="Intune laptops"]');
    await row.getByText('1 of 2').waitFor();
    const agent = page.getByTestId('fleet-table').locator('tr[data-device="old-laptop"]');
    await agent.getByText('Out of date').waitFor();
    assert.match(await visibleText(agent), /0\.0\.1/);
    assert.equal(await page.getByTestId('enroll-windows').count(), 0, 'the secret is gone from the page');
  });

  it('sets every agent’s schedule and a custom profile file, and explains what is refused', async () => {
    await page.goto(`${server.url}/manage/agent-tokens`);
    const minutes = page.getByLabel('Run every (minutes)');
    assert.equal(await minutes.inputValue(), '15', 'the shipped schedule until changed');
    await minutes.fill('30');
    await page.getByLabel('WebSocket hold (seconds)').fill('45');
    const cap = page.getByLabel('Traffic cap per agent (MB a day)');
    assert.equal(await cap.inputValue(), '25', 'the default budget until changed');
    await cap.fill('10');
    const profile = { ...loadProfile('m365'), id: 'contoso-m365', version: '2026-11-01' };
    const file = page.locator('#agent-profile-file');
    await file.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"id":'),
    });
    assert.match(await visibleText(page.getByRole('alert')), /broken\.json/);
    await file.setInputFiles({
      name: 'contoso.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(profile)),
    });
    assert.match(await visibleText(page.getByTestId('custom-profile')), /contoso-m365/);
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByText('Agents use these settings from their next run').waitFor();
    await page.screenshot({ path: join(RESULTS, 'agent-settings.png'), fullPage: true });
    const stored = await server.api<{
      intervalSeconds: number;
      wsHoldSeconds: number;
      profile: { id: string };
      trafficBudget: { maxDailyMegabytes: number; samplesPerDay: number; minDevices: number };
    }>(contoso, 'GET', '/settings/agents');
    assert.deepEqual(stored.body.trafficBudget, { maxDailyMegabytes: 10, samplesPerDay: 24, minDevices: 2 });
    assert.equal(stored.body.intervalSeconds, 1800);
    assert.equal(stored.body.wsHoldSeconds, 45);
    assert.equal(stored.body.profile.id, 'contoso-m365');

    // The SharePoint tenant name: a malformed one is refused naming /tenantName, a good one is stored.
    const tenant = page.getByLabel('SharePoint tenant');
    await tenant.fill('Contoso.SharePoint.com');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await visibleText(page.getByRole('alert')), /tenantName/);
    await tenant.fill('contoso');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByText('Agents use these settings from their next run').waitFor();
    const named = await server.api<{ tenantName: string }>(contoso, 'GET', '/settings/agents');
    assert.equal(named.body.tenantName, 'contoso');
    // The organisation's own download object; a plain-http one is refused, naming the field.
    const download = page.getByLabel('Download object for the speed test (https URL)');
    await download.fill('https://contoso.sharepoint.com/:u:/s/it/speedtest.bin?download=1');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByText('Agents use these settings from their next run').waitFor();
    const withUrl = await server.api<{ downloadUrl: string }>(contoso, 'GET', '/settings/agents');
    assert.equal(
      withUrl.body.downloadUrl,
      'https://contoso.sharepoint.com/:u:/s/it/speedtest.bin?download=1',
    );
    await download.fill('http://contoso.sharepoint.com/speedtest.bin');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await visibleText(page.getByRole('alert')), /downloadUrl must be an https:\/\/ URL/);
    await page.screenshot({ path: join(RESULTS, 'agent-settings-download-url.png'), fullPage: true });
    await download.fill('https://contoso.sharepoint.com/:u:/s/it/speedtest.bin?download=1');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByText('Agents use these settings from their next run').waitFor();

    // Every 30 seconds is below the collector's floor: refused, naming the field; nothing changes.
    await minutes.fill('0.5');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    assert.match(await visibleText(refused), /intervalSeconds/);
    const after = await server.api<{ intervalSeconds: number }>(contoso, 'GET', '/settings/agents');
    assert.equal(after.body.intervalSeconds, 1800);
  });

  it('refuses a profile naming a host outside Microsoft 365 until an owner lists it', async () => {
    await page.goto(`${server.url}/manage/agent-tokens`);
    const profile = { ...loadProfile('m365'), id: 'contoso-intranet', version: '2026-12-01' };
    profile.latency = { ...profile.latency, host: 'intranet.contoso.example' };
    await page.locator('#agent-profile-file').setInputFiles({
      name: 'intranet.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(profile)),
    });
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'intranet.contoso.example' });
    await refused.waitFor();
    assert.match(await visibleText(refused), /\/profile\/latency\/host/);
    const hosts = page.getByRole('region', { name: 'Hosts agents may test' });
    await hosts.getByLabel('Host names or wildcards').fill('*.contoso.example');
    await hosts.getByRole('button', { name: 'Save hosts' }).click();
    await hosts.getByText('Saved. Profiles naming these hosts are accepted from now on.').waitFor();
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await page.getByText('Agents use these settings from their next run').waitFor();
    const stored = await server.api<{ profile: { id: string } }>(contoso, 'GET', '/settings/agents');
    assert.equal(stored.body.profile.id, 'contoso-intranet');
    await hosts.screenshot({ path: join(RESULTS, 'agent-hosts.png') });
  });

  it('adopts a discovered location as an office', async () => {
    await page.goto(`${server.url}/manage/discovered`);
    const row = page.locator('tr', { hasText: '127.0.0.0/24' });
    await row.waitFor();
    assert.match(await visibleText(row), /\b3\b/, 'three reports');
    await row.getByRole('button', { name: 'Adopt…' }).click();
    assert.equal(await page.getByLabel('Egress IP ranges').inputValue(), '127.0.0.0/24');
    await page.getByLabel('Name').fill('Porto');
    await page.getByLabel('City').fill('Porto');
    await page.getByLabel('Country').fill('PT');
    await page.getByLabel('Latitude').fill('41.15');
    await page.getByLabel('Longitude').fill('-8.61');
    await page.getByRole('button', { name: 'Adopt as office' }).click();
    await page.getByText('Adopted as').waitFor();
    await page.getByText('Nothing waiting to be adopted').waitFor();
    const list = await server.api<{ items: Office[] }>(contoso, 'GET', '/offices');
    assert.ok(list.body.items.some((o) => o.name === 'Porto'));
  });

  it('saves insight thresholds and explains a refused value', async () => {
    await page.goto(`${server.url}/manage/thresholds`);
    const open = page.getByLabel('QUIC blocked open threshold');
    await open.fill('60');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByText('Saved.').waitFor();
    const r = await server.api<{ kinds: Record<string, { openThreshold: number }> }>(
      contoso,
      'GET',
      '/settings/insights',
    );
    assert.equal(r.body.kinds['quic-blocked']?.openThreshold, 0.6);

    await page.getByLabel('Minimum devices').fill('0');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    assert.match(await visibleText(refused), /minDevices/);
  });

  it('creates a read-only API token that is shown once and reads the API', async () => {
    await page.goto(`${server.url}/manage/api-tokens`);
    await page.getByLabel('Name').fill('SIEM export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.locator('code.secret').first();
    await secret.waitFor();
    const token = (await visibleText(secret)).trim();
    const read = await fetch(`${server.url}/api/v1/offices`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(read.status, 200);
    await page.reload();
    await page.getByTestId('token-table').getByText('SIEM export').waitFor();
    assert.equal(await page.getByText(token).count(), 0, 'not shown again');
  });

  it('adds an administrator who can then sign in, and records it in the audit log', async () => {
    await page.goto(`${server.url}/manage/administrators`);
    const password = `Second-${Date.now()}-admin!`;
    await page.getByLabel('Email').fill('netops@contoso.example');
    await page.getByLabel('Initial password').fill(password);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added netops@contoso.example').waitFor();
    await page.getByRole('cell', { name: 'netops@contoso.example' }).waitFor();
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'netops@contoso.example', password }),
    });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { tenant: { name: string } }).tenant.name, 'Contoso Ltd');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.waitFor();
    assert.match(await visibleText(audit), /user\.create/);
  });

  it("refuses another tenant's office by URL and renders none of it", async () => {
    await page.goto(`${server.url}/offices/${encodeURIComponent(foreign.id)}`);
    await page.getByTestId('office-not-found').waitFor();
    assert.equal(await page.getByText('Fabrikam Secret Lab').count(), 0);
    assert.equal(await page.getByText('Oslo').count(), 0);

    // A mangled id is "no such office" too, not an error page.
    await page.goto(`${server.url}/offices/${'x'.repeat(300)}`);
    await page.getByTestId('office-not-found').waitFor();

    const theirs = await server.api<{ items: { id: string }[] }>(fabrikam, 'GET', '/reports');
    const theirReport = theirs.body.items[0]?.id ?? '';
    assert.ok(theirReport, 'the other tenant has a report');
    await page.goto(`${server.url}/reports/${encodeURIComponent(theirReport)}`);
    await page.getByText('There is no such report in your organisation.').waitFor();
    assert.equal(await page.getByText('osl-0').count(), 0);
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('reports-table').waitFor();
    assert.equal(await page.getByText('Fabrikam Secret Lab').count(), 0);
    assert.equal(await page.getByText(/osl-\d/).count(), 0);
  });

  it('moves an insight to the resolved history once the office recovers', async () => {
    // Healthy runs until the failure share is far below the close threshold (5 % by default).
    const healthy = Array.from({ length: 80 }, (_, i) =>
      probeReport({ deviceId: `ber-${i % 2}`, blocked: false }),
    );
    for (const s of await server.upload(berlinToken, healthy)) assert.equal(s, 202);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await server.api<{ items: { kind: string }[] }>(
        contoso,
        'GET',
        `/insights?status=resolved&office=${encodeURIComponent(berlin.id)}`,
      );
      if (r.body.items.some((i) => i.kind === 'critical-domain-https-failure')) break;
      assert.ok(Date.now() < deadline, 'the Berlin insight never resolved');
      await new Promise((res) => setTimeout(res, 500));
    }
    await page.goto(`${server.url}/insights?status=resolved`);
    const table = page.getByTestId('insights-table');
    const row = table.locator('tr', { hasText: 'Berlin HQ' });
    await row.getByText('Resolved').waitFor();
    await page.goto(`${server.url}/offices/${encodeURIComponent(berlin.id)}`);
    await page.getByText('No active insights').waitFor();
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'Resolved' }) });
    assert.match(await visibleText(history), /static\.microsoft/);
  });

  it('shows a viewer the data but no button that would change it', async () => {
    const viewer = { ...contoso, email: 'viewer@contoso.example', password: 'a viewer password 1' };
    const made = await server.api(contoso, 'POST', '/users', {
      email: viewer.email,
      password: viewer.password,
      role: 'viewer',
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await browser.context.clearCookies();
    await server.signIn(page, viewer);
    await page.goto(`${server.url}/manage/offices`);
    await page.getByRole('heading', { name: 'Offices', level: 1 }).waitFor();
    await page.getByText('Berlin HQ').first().waitFor();
    for (const name of ['Add office', 'Import CSV', 'Edit', 'Delete'])
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `no ${name} button`);
    await page.goto(`${server.url}/manage/thresholds`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save thresholds' }).count(), 0);
    await page.goto(`${server.url}/manage/notifications`);
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Add a channel' }).count(), 0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await server.signIn(page, contoso);
  });

  it('offers "Sign in with …" when the e-mail’s organisation signs in with its identity provider', async () => {
    const sso = await server.api(fabrikam, 'PUT', '/settings/sso', {
      enabled: true,
      label: 'Fabrikam ID',
      // Never contacted here: saving and the sign-in page do not call the provider.
      issuer: 'https://20.190.128.1/fabrikam/v2.0',
      clientId: 'netinsights',
      allowedDomains: ['fabrikam.example'],
      roleClaim: 'roles',
      roleMap: {},
      defaultRole: 'viewer',
      passwordsEnabled: true,
    });
    assert.equal(sso.status, 200, JSON.stringify(sso.body));
    await browser.context.clearCookies();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill('someone@contoso.example');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await page.getByRole('button', { name: /Sign in with/ }).count(), 0, 'Contoso has no SSO');
    await page.getByLabel('Email').fill('someone@fabrikam.example');
    await page.getByRole('button', { name: 'Sign in with Fabrikam ID' }).waitFor();
    await server.signIn(page, contoso);
  });

  it('returns to sign-in when the session ends, and after signing out', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await browser.context.clearCookies();
    await page.getByRole('link', { name: 'Insights', exact: true }).click();
    await page.getByText('Your session has ended').waitFor();

    await server.signIn(page, contoso);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    assert.equal(me, 401);
  });
});
