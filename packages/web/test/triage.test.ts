/**
 * @module test/triage
 * Triage defects a new user met, in Chromium against the real server: the
 * reports list counted checks that were not run as failures; the Reports
 * page could not filter; offices could not be updated by CSV; "Insight
 * history" opened the active filter; Low kinds were drawn red in "Needs
 * attention"; chart axis labels were cut off at the canvas edge; wide tables
 * were cut off at 1024 px and unusable at 390 px. Screenshots at 1024 and 390 px go to test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CheckResult, fail } from '@netinsights/protocol';
import type { Page } from 'playwright-core';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';
import { probeReport } from './support/reports.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');
const WIDE = { width: 1024, height: 900 };
const PHONE = { width: 390, height: 844 };

/** A QUIC probe that got no answer while TCP/443 worked: what the (Low) quic-blocked insight counts. */
const quicUnanswered = (host = 'teams.cloud.microsoft'): CheckResult => ({
  id: `quic:${host}`,
  kind: 'quic',
  target: { host, port: 443, domain: 'cloud.microsoft' },
  path: { type: 'direct', source: 'none' },
  outcome: fail('quic', 'no-reply', 'no QUIC answer on UDP 443'),
  durationMs: 900,
  quic: { attempts: 3, replies: 0, versions: [], tcpReachable: true },
});

async function waitForKinds(server: RealServer, who: TenantLogin, officeId: string, kinds: string[]) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await server.api<{ items: { kind: string }[] }>(
      who,
      'GET',
      `/insights?status=active&office=${officeId}`,
    );
    const open = new Set(r.body.items.map((i) => i.kind));
    if (kinds.every((k) => open.has(k))) return;
    if (Date.now() > deadline)
      throw new Error(`insights ${kinds.join(', ')} did not open: ${[...open].join(', ')}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Whether any pixel within `edge` px of the canvas's left, top or right side is label-dark. */
function inkAtEdges(
  page: Page,
  selector: string,
  edge = 2,
): Promise<Array<{ left: number; top: number; right: number }>> {
  return page.$$eval(
    selector,
    (canvases, edgePx) =>
      (canvases as HTMLCanvasElement[]).map((c) => {
        const ctx = c.getContext('2d');
        if (!ctx) return { left: -1, top: -1, right: -1 };
        const px = Math.ceil(edgePx * (c.width / c.clientWidth));
        const dark = (x: number, y: number, w: number, h: number) => {
          const d = ctx.getImageData(x, y, w, h).data;
          let n = 0;
          // Labels are #6b7885 and grid lines #eef1f5: "dark" is well below the grid's lightness, and opaque.
          for (let i = 0; i < d.length; i += 4)
            if (d[i + 3]! > 128 && d[i]! + d[i + 1]! + d[i + 2]! < 560) n++;
          return n;
        };
        return {
          left: dark(0, 0, px, c.height),
          top: dark(0, 0, c.width, px),
          right: dark(c.width - px, 0, px, c.height),
        };
      }),
    edge,
  );
}

describe('triage defects, in Chromium against the real server', { timeout: 300_000 }, () => {
  let server: RealServer;
  let browser: Browser;
  let page: Page;
  let owner: TenantLogin;
  let oslo: { id: string };
  let skippedReportId = '';

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    server = await startRealServer();
    owner = await server.createTenant('Triage Ltd', 'owner@triage.example');
    const created = await server.api<{ id: string }>(owner, 'POST', '/offices', {
      name: 'Oslo',
      city: 'Oslo',
      country: 'NO',
      latitude: 59.91,
      longitude: 10.75,
      lanSubnets: ['10.40.0.0/16'],
      egressRanges: [],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    oslo = created.body;
    const token = await server.api<{ token: string }>(owner, 'POST', '/agent-tokens', {
      name: 'Oslo probes',
      officeId: oslo.id,
    });
    const now = Date.now();
    // Blocked HTTPS (High), unanswered QUIC (Low); a slow, very fast link makes long axis labels.
    const reports = Array.from({ length: 8 }, (_, i) => {
      const r = probeReport({
        deviceId: `osl-${i % 2}`,
        blocked: true,
        latencyMs: 1500 + i * 40,
        mbps: 2400 - i * 10,
        at: now - i * 60_000,
      });
      // Three hosts per run: eight runs make the 24 samples an insight needs (settings minSamples).
      for (const host of ['teams.cloud.microsoft', 'm365.cloud.microsoft', 'outlook.cloud.microsoft'])
        r.results.push(quicUnanswered(host));
      return r;
    });
    // One report from a third device that passed everything it ran; two checks were not run.
    const clean = probeReport({ deviceId: 'osl-clean', blocked: false, at: now - 30_000 });
    clean.results.push(
      {
        ...quicUnanswered(),
        id: 'quic:skipped',
        outcome: fail('probe', 'skipped', 'depends on a failed check'),
      },
      {
        ...quicUnanswered(),
        id: 'quic:not-applicable',
        outcome: fail('probe', 'not-applicable', 'QUIC is not tried through a proxy'),
      },
    );
    skippedReportId = clean.reportId;
    for (const s of await server.upload(token.body.token, [...reports, clean])) assert.equal(s, 202);
    await waitForKinds(server, owner, oslo.id, ['critical-domain-https-failure', 'quic-blocked']);
    browser = await launchBrowser({ viewport: WIDE });
    page = await browser.context.newPage();
    await server.signIn(page, owner);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the reports list counted skipped and not-applicable checks as failures: it agrees with the report page', async () => {
    await page.goto(`${server.url}/reports?device=osl-clean`);
    const row = page.getByTestId('reports-table').locator('tbody tr');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const listed = (await row.locator('.badge').textContent()) ?? '';
    await row.getByRole('link').first().click();
    await page.waitForURL(`**/reports/${skippedReportId}`);
    const header = (await page.locator('.page-head').textContent()) ?? '';
    const checks = Number(/All (\d+) passed/.exec(listed)?.[1]);
    assert.ok(checks > 0, `list says "${listed}"`);
    assert.match(header, new RegExp(`all ${checks} checks passed · 2 not run`), header);
  });

  it('the Reports page could not filter: result, device and office narrow the list, in the URL', async () => {
    await page.goto(`${server.url}/reports`);
    const rows = page.getByTestId('reports-table').locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 9);
    await page.getByLabel('Result').selectOption('passed');
    await page.waitForURL('**/reports?result=passed');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=reports-table] tbody tr').length === 1,
    );
    await page.getByLabel('Result').selectOption('failed');
    await page.getByLabel('Device').fill('osl-1');
    await page.getByLabel('Device').press('Enter');
    await page.waitForURL(/device=osl-1/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=reports-table] tbody tr').length === 4,
    );
    for (const device of await rows.locator('td:nth-child(3)').allInnerTexts())
      assert.equal(device.trim(), 'osl-1');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(`${server.url}/reports`);
    // A value the API refuses shows its message (naming the parameter), not "No reports yet".
    await page.goto(`${server.url}/reports?from=2026-12-09&to=2026-12-01`);
    await page.getByText(/until must be later than since/).waitFor();
  });

  it('"Insight history" on an office opened the active filter: it lists resolved insights', async () => {
    await page.goto(`${server.url}/offices/${oslo.id}`);
    await page.getByRole('link', { name: 'Insight history' }).click();
    await page.waitForURL(/status=resolved/);
    assert.equal(await page.getByLabel('Status').inputValue(), 'resolved');
    await page.getByText('No insights match').waitFor();
    assert.equal(await page.getByText('No active insights').count(), 0);
  });

  it('offices could not be updated by CSV: a row naming an office updates it, and the page says so', async () => {
    await page.goto(`${server.url}/manage/offices`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = [
      'name,address,city,country,latitude,longitude,lan_subnets,egress_ranges',
      'oslo,Karl Johans gate 1,Oslo,NO,59.91,10.75,10.40.0.0/16 10.41.0.0/16,',
      'Bergen,,Bergen,no,60.39,5.32,10.42.0.0/16,',
    ].join('\n');
    await page.getByLabel('CSV', { exact: true }).fill(csv);
    await page.getByRole('button', { name: 'Import offices' }).click();
    await page.getByText('1 office created, 1 office updated.').waitFor();
    const offices = await server.api<{
      items: Array<{ id: string; name: string; address: string | null; country: string }>;
    }>(owner, 'GET', '/offices');
    const updated = offices.body.items.find((o) => o.id === oslo.id);
    assert.equal(updated?.address, 'Karl Johans gate 1');
    assert.equal(offices.body.items.find((o) => o.name === 'Bergen')?.country, 'NO');
  });

  it('"Needs attention" drew Low kinds red: each kind has the colour of its severity', async () => {
    await page.goto(`${server.url}/`);
    const dot = (kind: string) =>
      page.locator(
        `[aria-label="Active insights by kind"] li:has(a[href="/insights?kind=${kind}"]) .kind-dot`,
      );
    await dot('quic-blocked').waitFor();
    const colour = (kind: string) => dot(kind).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(await colour('quic-blocked'), 'rgb(91, 107, 123)', 'Low: the grey of the Low badge');
    assert.equal(await colour('critical-domain-https-failure'), 'rgb(194, 38, 29)', 'High: red');
    await page.screenshot({ path: join(RESULTS, 'triage-overview-1024.png'), fullPage: true });
  });

  for (const [name, viewport] of [
    ['1024', WIDE],
    ['390', PHONE],
  ] as const)
    it(`chart axis labels were clipped at the canvas edge (${name} px)`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${server.url}/offices/${oslo.id}`);
      await page.locator('.chart canvas').nth(2).waitFor();
      // Let uPlot draw at the final width (it redraws on resize).
      await page.waitForTimeout(500);
      const edges = await inkAtEdges(page, '.chart canvas');
      assert.ok(edges.length >= 3, `${edges.length} charts`);
      for (const [i, e] of edges.entries()) assert.deepEqual(e, { left: 0, top: 0, right: 0 }, `chart ${i}`);
      await page.screenshot({ path: join(RESULTS, `triage-office-${name}.png`), fullPage: true });
      await page.setViewportSize(WIDE);
    });

  it('tables were cut off at 1024 px: a table wider than its box shows the cue, and the page never scrolls sideways', async () => {
    await page.setViewportSize(WIDE);
    await page.goto(`${server.url}/insights`);
    await page.getByTestId('insights-table').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    // Just above the card layout (700 px), the eight columns cannot fit: the shadow and the hint say so, and go once scrolled.
    await page.setViewportSize({ width: 720, height: 900 });
    const scroller = page.locator('.table-scroll').first();
    await page.waitForFunction(
      () => document.querySelector('.table-scroll')?.getAttribute('data-overflow-right') === 'true',
    );
    await scroller.getByText('Scroll sideways for more columns →').waitFor();
    assert.equal(await scroller.locator('.table-wrap').getAttribute('role'), 'region');
    await scroller.locator('.table-wrap').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await page.waitForFunction(
      () => document.querySelector('.table-scroll')?.getAttribute('data-overflow-right') === 'false',
    );
    await scroller.getByText('← Scroll back for the first columns').waitFor();
    await page.setViewportSize(WIDE);
    await page.screenshot({ path: join(RESULTS, 'triage-insights-1024.png'), fullPage: true });
  });

  it('tables were unusable at 390 px: each row is a card whose cells carry their column names', async () => {
    await page.setViewportSize(PHONE);
    for (const [path, table] of [
      ['/reports', 'reports-table'],
      ['/insights', 'insights-table'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      const first = page.getByTestId(table).locator('tbody tr').first();
      await first.waitFor();
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        `${path}: the page scrolls sideways`,
      );
      const box = await first.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= PHONE.width,
        `${path}: the row fits (${JSON.stringify(box)})`,
      );
      const labels = await first
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => getComputedStyle(td, '::before').content));
      assert.ok(labels.includes('"Device"') || labels.includes('"Office"'), `${path}: ${labels.join(' ')}`);
      await page.screenshot({
        path: join(RESULTS, `triage${path.replace('/', '-')}-390.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize(WIDE);
  });
});
