/**
 * @module test/assessment
 * The network assessment in Chromium against the real server (in-process,
 * fresh SQLite, tenants made with the real CLI, reports uploaded with real
 * agent tokens, the real insight engine scoring them): the tenant headline
 * on the overview, the score column of the office table, the office page's
 * breakdown with the missing Teams component named, the assessment page,
 * and nothing of another tenant's offices anywhere. Screenshots go to
 * test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';
import { probeReport } from './support/reports.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(), not the DOM property.
  return locator.innerText();
}

interface Office {
  id: string;
  name: string;
}

async function office(server: RealServer, who: TenantLogin, name: string, city: string, lan: string) {
  const r = await server.api<Office>(who, 'POST', '/offices', {
    name,
    city,
    country: 'PT',
    latitude: 38.7,
    longitude: -9.1,
    lanSubnets: [lan],
    egressRanges: [],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function feed(server: RealServer, who: TenantLogin, o: Office, latencyMs: number, mbps: number) {
  const t = await server.api<{ token: string }>(who, 'POST', '/agent-tokens', {
    name: o.name,
    officeId: o.id,
  });
  const now = Date.now();
  const reports = Array.from({ length: 4 }, (_, i) =>
    probeReport({
      deviceId: `${o.id.slice(0, 8)}-${i % 2}`,
      blocked: false,
      latencyMs,
      mbps,
      at: now - i * 60_000,
    }),
  );
  for (const s of await server.upload(t.body.token, reports)) assert.equal(s, 202);
}

/** Polls until the engine has scored every named office of the tenant (it evaluates every second). */
async function waitForScores(server: RealServer, who: TenantLogin, offices: Office[]) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await server.api<{ items: { id: string; assessment: { score: number | null } | null }[] }>(
      who,
      'GET',
      '/offices',
    );
    const scored = r.body.items.filter((o) => o.assessment?.score != null).map((o) => o.id);
    if (offices.every((o) => scored.includes(o.id))) return;
    if (Date.now() > deadline) throw new Error(`offices not scored: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

describe('network assessment in the dashboard', { timeout: 240_000 }, () => {
  let server: RealServer;
  let browser: Browser;
  let page: Page;
  let contoso: TenantLogin;
  let fast: Office;
  let slow: Office;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    server = await startRealServer();
    contoso = await server.createTenant('Contoso Ltd', 'owner@contoso.example');
    const fabrikam = await server.createTenant('Fabrikam Inc', 'owner@fabrikam.example');
    fast = await office(server, contoso, 'Lisbon HQ', 'Lisbon', '10.10.0.0/16');
    slow = await office(server, contoso, 'Porto', 'Porto', '10.20.0.0/16');
    const hidden = await office(server, fabrikam, 'Fabrikam Hidden Site', 'Lisbon', '10.30.0.0/16');
    await feed(server, contoso, fast, 10, 200); // 10 ms → 100, 25 MB/s → 100
    await feed(server, contoso, slow, 200, 32); // 200 ms → 40, 4 MB/s → 40
    await feed(server, fabrikam, hidden, 300, 16);
    await waitForScores(server, contoso, [fast, slow]);
    await waitForScores(server, fabrikam, [hidden]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await server.signIn(page, contoso);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the overview leads with the tenant score and the office table has a score column', async () => {
    await page.goto(`${server.url}/`);
    const api = await server.api<{ score: number }>(contoso, 'GET', '/assessment');
    assert.equal(api.body.score, 70, 'two offices of 2 devices each: (100 + 40) / 2');
    const headline = page.getByTestId('tenant-headline-score');
    await headline.getByText('70').waitFor();
    const table = page.getByTestId('office-table');
    await table.getByRole('columnheader', { name: 'Score' }).waitFor();
    const lisbonRow = table.getByRole('row').filter({ hasText: 'Lisbon HQ' });
    assert.match(await visibleText(lisbonRow), /100\s+good/);
    const portoRow = table.getByRole('row').filter({ hasText: 'Porto' });
    assert.match(await visibleText(portoRow), /40\s+poor/);
    assert.ok(!(await visibleText(page.locator('main'))).includes('Fabrikam'));
    await page.screenshot({ path: join(RESULTS, 'assessment-overview.png'), fullPage: true });
  });

  it('the office page breaks the score down and names the missing Teams component', async () => {
    await page.goto(`${server.url}/offices/${encodeURIComponent(slow.id)}`);
    const card = page.getByTestId('office-assessment');
    await card.getByTestId('office-score').getByText('40').waitFor();
    assert.match(
      await visibleText(card.getByTestId('component-latency')),
      /median (199\.\d|200(\.\d)?) ms[\s\S]*40\s+poor/,
    );
    assert.match(
      await visibleText(card.getByTestId('component-download')),
      /25th percentile (3\.9|4|4\.1) MB\/s[\s\S]*(39|40|41)\s+poor/,
    );
    assert.match(await visibleText(card.getByTestId('component-media')), /no Teams media runs[\s\S]*missing/);
    assert.match(
      await visibleText(card.getByTestId('office-area')),
      /Too few offices of other organisations/,
    );
    await card.locator('canvas').first().waitFor();
    await card.screenshot({ path: join(RESULTS, 'assessment-office.png') });
  });

  it('the assessment page ranks the offices and shows the bands; nothing of the other tenant', async () => {
    await page.goto(`${server.url}/assessment`);
    await page.getByTestId('tenant-score').getByText('70').waitFor();
    const rows = page.getByTestId('office-scores').getByRole('row');
    await rows.nth(2).waitFor();
    assert.match(await visibleText(rows.nth(1)), /^Porto/, 'worst first');
    assert.match(await visibleText(rows.nth(2)), /^Lisbon HQ/);
    const text = await visibleText(page.locator('main'));
    assert.match(text, /10 ms → 100 · 25 ms → 80/);
    assert.match(text, /20 MB\/s → 100/);
    assert.ok(!text.includes('Fabrikam'), 'the other tenant stays out');
    await page.screenshot({ path: join(RESULTS, 'assessment-page.png'), fullPage: true });
  });

  it('the settings card refuses a window out of range, naming it, and saves a good one', async () => {
    await page.goto(`${server.url}/assessment`);
    const windowDays = page.getByLabel('Window (days)');
    await windowDays.fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('/windowDays must be between 1 and 30').waitFor();
    assert.equal(
      (await server.api<{ windowDays: number }>(contoso, 'GET', '/settings/assessment')).body.windowDays,
      3,
    );
    await windowDays.fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('offices are scored over the new window').waitFor();
    assert.deepEqual((await server.api(contoso, 'GET', '/settings/assessment')).body, {
      windowDays: 7,
      retentionDays: 400,
    });
  });
});
