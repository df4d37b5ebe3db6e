/**
 * @module test/report-sweep
 * The report page's endpoint sweep and traffic in Chromium against the real
 * server (in-process, fresh SQLite, a tenant made with the real CLI): the
 * report is a real probe run with `--sweep` against the lab's
 * `sets-intercepted` office (a Zscaler-named proxy inspecting catalog sets
 * 46 and 64 only), uploaded with a real agent token. The page groups the
 * sweep as the text report does, lists each host with its class, sets,
 * verdict and timings, and shows the bytes of every check. Screenshot in
 * test-results/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Lab, startLab } from '@netinsights/lab';
import { runProbe } from '@netinsights/probe';
import type { ProbeReport } from '@netinsights/protocol';
import { groupHeadline, sweepGroups } from '@netinsights/protocol/sweep-groups.ts';
import type { Locator, Page } from 'playwright-core';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(), not the DOM property.
  return locator.innerText();
}

describe('the endpoint sweep and traffic on the report page', { timeout: 180_000 }, () => {
  let server: RealServer;
  let lab: Lab;
  let browser: Browser;
  let page: Page;
  let contoso: TenantLogin;
  let report: ProbeReport;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    [server, lab] = await Promise.all([startRealServer(), startLab()]);
    contoso = await server.createTenant('Contoso Ltd', 'owner@contoso.example');
    report = await runProbe(lab.probeOptionsFor('sets-intercepted', { sweep: {}, wsHoldSeconds: 0.2 }));
    const t = await server.api<{ token: string }>(contoso, 'POST', '/agent-tokens', { name: 'sweeper' });
    assert.deepEqual(await server.upload(t.body.token, [report]), [202]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await server.signIn(page, contoso);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await lab?.close();
  });

  it('groups the failures like the text report and lists every host with class, sets, verdict and timings', async () => {
    const sweep = report.sweep;
    assert.ok(sweep, 'the probe swept');
    const [intercepted] = sweepGroups(sweep);
    assert.equal(intercepted?.code, 'tls/intercepted');
    await page.goto(`${server.url}/reports/${encodeURIComponent(report.reportId)}`);
    const card = page.getByRole('region', { name: 'Endpoint sweep' });
    await card.waitFor();
    assert.match(
      await visibleText(card),
      new RegExp(`${sweep.hosts.length} required Optimize and Allow endpoints`),
    );
    // The same headline as the text report: "10 of 45 required endpoints intercepted by Zscaler (sets 46, 64: Common)".
    const group = card.locator('[data-sweep-group="tls/intercepted"]');
    const headline = groupHeadline(intercepted, sweep.hosts.length);
    assert.match(headline, /intercepted by Zscaler \(sets 46, 64/);
    assert.ok((await visibleText(group.locator('summary'))).includes(headline), headline);
    const rows = group.locator('tbody tr');
    assert.equal(await rows.count(), intercepted.hosts.length);
    const first = intercepted.hosts[0];
    assert.ok(first);
    const row = group.locator(`tr[data-sweep-host="${first.host}"]`);
    const text = await visibleText(row);
    assert.match(text, /tls\/intercepted/);
    assert.match(text, /intercepted \(Zscaler\)/);
    assert.ok(text.includes(first.sets.join(', ')), `${text} names sets ${first.sets}`);
    assert.match(text, /TLS \d+(\.\d)? ms[\s\S]*total \d+(\.\d)? ms/);
    // The reachable hosts are there too, folded, and every host is listed once.
    const passing = card.locator('[data-sweep-group="ok"]');
    assert.match(
      await visibleText(passing.locator('summary')),
      new RegExp(
        `${sweep.hosts.length - intercepted.hosts.length} of ${sweep.hosts.length} reachable, TLS genuine`,
      ),
    );
    assert.equal(await card.locator('tr[data-sweep-host]').count(), sweep.hosts.length);
    assert.equal(await passing.getAttribute('open'), null, 'folded while something failed');
    await page.screenshot({ path: join(RESULTS, 'report-sweep.png'), fullPage: true });
    await card.screenshot({ path: join(RESULTS, 'report-sweep-card.png') });
  });

  it("shows each check's bytes, the sweep's among them, and the run's total", async () => {
    const traffic = report.traffic ?? [];
    const sweepBytes = traffic.find((t) => t.check === 'sweep');
    assert.ok(sweepBytes && sweepBytes.receivedBytes > 0, 'the sweep is metered');
    const card = page.getByRole('region', { name: 'Traffic' });
    await card.waitFor();
    for (const t of traffic) await card.locator(`tr[data-traffic-check="${t.check}"]`).waitFor();
    const total = traffic.reduce((n, t) => n + t.sentBytes + t.receivedBytes, 0);
    const totalText = await visibleText(card.locator('tr[data-traffic-check="total"]'));
    const shown =
      total < 1_000_000 ? `${(total / 1000).toFixed(1)} kB` : `${(total / 1_000_000).toFixed(2)} MB`;
    assert.ok(totalText.includes(shown), `${totalText} shows ${shown}`);
    await card.screenshot({ path: join(RESULTS, 'report-traffic-card.png') });
    const sweepRow = await visibleText(card.locator('tr[data-traffic-check="sweep"]'));
    assert.ok(sweepRow.includes(`${(sweepBytes.receivedBytes / 1000).toFixed(1)} kB`), sweepRow);
  });
});
