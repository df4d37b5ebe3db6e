/**
 * @module test/notifications
 * The Notifications page in Chromium against the real server: a webhook
 * channel is added through the form and aimed at a real HTTP receiver on
 * 127.0.0.1 that verifies the HMAC signature with the secret the page showed
 * once; "Send a test" (by keyboard) puts a delivery in the table that turns
 * "delivered" once the receiver has it; the channel is deleted. An e-mail
 * channel with SMTP authentication delivers to a real SMTP server; a receiver
 * answering 503 shows as the last error, and deleting its channel cancels
 * the retry. A second
 * server with the shipped setting (private targets not allowed) refuses a
 * webhook aimed at loopback, and the page shows the server's message and
 * saves nothing. Screenshot: test-results/notifications.png.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

/** The text as the admin sees it (layout-aware, unlike textContent). */
function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(), not the DOM property.
  return locator.innerText();
}

interface Mail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** A real SMTP server on loopback: plain SMTP (no TLS), AUTH required with one user. */
async function startSmtp(mails: Mail[]): Promise<{ port: number; close: () => Promise<void> }> {
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    // Loopback only, so AUTH without TLS is acceptable here (the channel's security is "None").
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'correct horse') cb(null, { user: 'alerts' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
    logger: false,
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  return {
    port: (smtp.server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}

/** Waits until the newest delivery row shown has the status `want`. */
async function newestDeliveryIs(page: Page, want: string): Promise<void> {
  await page.waitForFunction(
    (w) =>
      document.querySelector('[data-testid="deliveries-table"] [data-testid="delivery-status"]')
        ?.textContent === w,
    want,
    { timeout: 90_000 },
  );
}

interface Received {
  verified: boolean;
  body: Record<string, unknown>;
}

/**
 * A webhook receiver as an admin would write one: it checks
 * `X-Netinsights-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * with the secret it was given, answers 204 when it matches and 401 when not.
 * `down` makes it answer 503 instead, as a receiver in maintenance would.
 */
class Receiver {
  readonly received: Received[] = [];
  secret = '';
  readonly #server: Server;

  constructor(down = false) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        const ts = String(req.headers['x-netinsights-timestamp'] ?? '');
        const sig = Buffer.from(String(req.headers['x-netinsights-signature'] ?? ''));
        const want = Buffer.from(
          `v1=${createHmac('sha256', this.secret).update(`${ts}.${raw}`).digest('hex')}`,
        );
        const verified = this.secret !== '' && sig.length === want.length && timingSafeEqual(sig, want);
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {}
        this.received.push({ verified, body });
        if (down) res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance window');
        else res.writeHead(verified ? 204 : 401).end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/netinsights`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

describe('notifications page against the real server', { timeout: 300_000 }, () => {
  let server: RealServer;
  let strict: RealServer;
  let browser: Browser;
  let page: Page;
  let receiver: Receiver;
  let hookUrl: string;
  let contoso: TenantLogin;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    receiver = new Receiver();
    hookUrl = await receiver.listen();
    // The operator has allowed internal targets on this one, so a loopback receiver can be used.
    server = await startRealServer({ notifyAllowPrivateTargets: true });
    // The shipped setting: private targets refused.
    strict = await startRealServer();
    contoso = await server.createTenant('Contoso Ltd', 'owner@contoso.example');
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await strict?.close();
    await receiver?.close();
  });

  it('starts empty, then adds a webhook and shows its signing secret once', async () => {
    await server.signIn(page, contoso);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.getByText('No channels yet').waitFor();
    await page.getByText('Nothing sent yet').waitFor();

    await page.getByLabel('Name').fill('NOC receiver');
    await page.getByLabel('Type').selectOption('webhook');
    await page.getByLabel('Webhook URL').fill(hookUrl);
    await page.getByLabel('TLS interception').check();
    await page.getByRole('button', { name: 'Add channel' }).click();

    const secret = (await visibleText(page.getByTestId('channel-secret'))).trim();
    assert.match(secret, /^[A-Za-z0-9_-]{40,}$/, 'a generated base64url secret is shown');
    receiver.secret = secret;
    const row = page.locator('tr[data-channel-name="NOC receiver"]');
    await row.waitFor();
    const text = await visibleText(row);
    assert.match(text, /Webhook/);
    assert.ok(text.includes(hookUrl), text);
    assert.match(text, /TLS interception; opened, reopened, resolved/);
    assert.ok(!text.includes(secret), 'the secret is not part of the list');

    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByTestId('channel-secret').count(), 0, 'the secret is gone after Done');
    await page.reload();
    await row.waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'a reload never shows the secret again');
  });

  it('sends a test (by keyboard) that the receiver verifies, and shows it delivered', async () => {
    const send = page.getByRole('button', { name: 'Send a test to NOC receiver' });
    await send.focus();
    await page.keyboard.press('Enter');
    const table = page.getByTestId('deliveries-table');
    const status = table.locator('tr[data-delivery-id]').first().getByTestId('delivery-status');
    // The table refreshes itself while the delivery is pending; the worker is woken by the test.
    await newestDeliveryIs(page, 'delivered');
    assert.equal(await visibleText(status), 'delivered');
    const rowText = await visibleText(table.locator('tr[data-delivery-id]').first());
    assert.match(rowText, /NOC receiver/);
    assert.match(rowText, /Test message/);
    assert.match(rowText, /\t1\t/, `one attempt: ${rowText}`);

    assert.equal(receiver.received.length, 1, 'exactly one request reached the receiver');
    assert.equal(receiver.received[0]?.verified, true, 'its signature matches the secret the page showed');

    // The attempt log of the delivery, opened with the keyboard too.
    const attempts = table.getByRole('button', { name: 'Attempts' }).first();
    await attempts.focus();
    await page.keyboard.press('Enter');
    const log = page.getByRole('table', { name: 'Attempts' });
    await log.waitFor();
    assert.match(await visibleText(log), /OK · HTTP 204/);

    // Status filter: nothing has failed.
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No deliveries match').waitFor();
    await page.getByLabel('Status').selectOption('');
    await table.waitFor();
  });

  it('deletes a channel after confirmation', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete NOC receiver' }).click();
    await page.getByText('No channels yet').waitFor();
    const r = await server.api<unknown[]>(contoso, 'GET', '/notification-channels');
    assert.deepEqual(r.body, []);
  });

  it('adds an e-mail channel with SMTP authentication and delivers a test to a real SMTP server', async () => {
    const mails: Mail[] = [];
    const smtp = await startSmtp(mails);
    try {
      await page.getByLabel('Name', { exact: true }).fill('NOC mail');
      await page.getByLabel('Type').selectOption('email');
      await page.getByLabel('SMTP host').fill('127.0.0.1');
      await page.getByLabel('Security').selectOption('none');
      assert.equal(await page.getByLabel('Port').inputValue(), '25', 'the port follows the security mode');
      await page.getByLabel('Port').fill(String(smtp.port));
      await page.getByLabel('From').fill('netinsights@contoso.example');
      await page.getByLabel('To', { exact: true }).fill('noc@contoso.example, it@contoso.example');
      await page.getByLabel('User name').fill('alerts');
      await page.getByLabel('Password').fill('correct horse');
      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByText('Channel “NOC mail” added.').waitFor();
      assert.equal(await page.getByTestId('channel-secret').count(), 0, 'e-mail channels have no secret');
      await page.getByRole('button', { name: 'Done' }).click();

      const row = page.locator('tr[data-channel-name="NOC mail"]');
      await row.waitFor();
      const text = await visibleText(row);
      assert.match(text, /E-mail \(SMTP\)/);
      assert.ok(text.includes(`noc@contoso.example, it@contoso.example via 127.0.0.1:${smtp.port}`), text);
      assert.match(text, /All kinds/);
      assert.equal(await page.getByText('correct horse').count(), 0, 'the password is never shown');

      await page.getByRole('button', { name: 'Send a test to NOC mail' }).click();
      await page.getByLabel('Channel', { exact: true }).selectOption({ label: 'NOC mail' });
      await newestDeliveryIs(page, 'delivered');
      assert.equal(mails.length, 1, 'one mail arrived');
      assert.equal(mails[0]?.user, 'alerts', 'it authenticated as the configured user');
      assert.equal(mails[0]?.from, 'netinsights@contoso.example');
      assert.deepEqual(mails[0]?.to, ['noc@contoso.example', 'it@contoso.example']);
      await page.getByLabel('Channel', { exact: true }).selectOption({ label: 'All channels' });
    } finally {
      await smtp.close();
    }
  });

  it("shows a receiver's failure as the last error, and cancels what is unsent when the channel goes", async () => {
    const down = new Receiver(true);
    const url = await down.listen();
    try {
      await page.getByLabel('Name', { exact: true }).fill('Maintenance hook');
      await page.getByLabel('Type').selectOption('webhook');
      await page.getByLabel('Webhook URL').fill(url);
      await page.getByRole('button', { name: 'Add channel' }).click();
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Send a test to Maintenance hook' }).click();

      const table = page.getByTestId('deliveries-table');
      const newest = table.locator('tr[data-delivery-id]').first();
      await newest.getByText(/HTTP 503: maintenance window/).waitFor({ timeout: 90_000 });
      const text = await visibleText(newest);
      assert.match(text, /Maintenance hook/);
      // Retried with backoff, so it is still pending (or sending a retry), not failed for good.
      assert.match(await visibleText(newest.getByTestId('delivery-status')), /^(pending|sending)$/);
      assert.ok(down.received.length >= 1);
      await page.screenshot({ path: join(RESULTS, 'notifications.png'), fullPage: true });

      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Delete Maintenance hook' }).click();
      await newestDeliveryIs(page, 'cancelled');
      assert.match(await visibleText(table.locator('tr[data-delivery-id]').first()), /deleted channel/);
    } finally {
      await down.close();
    }
  });

  it('silences everything for two hours, lists it with a reason, and ends it', async () => {
    await page.goto(`${server.url}/manage/notifications`);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Silences' }) });
    await card.getByText('No silences').waitFor();
    await card.getByLabel('Reason').fill('Core switch replacement');
    await card.getByRole('button', { name: 'Silence' }).click();
    const row = card.getByTestId('silences-table').locator('tr', { hasText: 'Core switch replacement' });
    await row.waitFor();
    assert.match(await visibleText(row), /All offices.*All kinds/s);
    assert.match(await visibleText(row), /in force/);
    await row.getByRole('button', { name: 'End now' }).click();
    await row.getByRole('button', { name: 'End now' }).waitFor({ state: 'detached' });
    const r = await server.api<{ items: { active: boolean; reason: string }[] }>(contoso, 'GET', '/silences');
    assert.deepEqual(
      r.body.items.map((x) => [x.reason, x.active]),
      [['Core switch replacement', false]],
    );
  });

  it("shows the server's refusal of a private target when the operator has not allowed them", async () => {
    const fabrikam = await strict.createTenant('Fabrikam Inc', 'owner@fabrikam.example');
    const strictPage = await browser.context.newPage();
    try {
      await strict.signIn(strictPage, fabrikam);
      await strictPage.goto(`${strict.url}/manage/notifications`);
      await strictPage.getByText('No channels yet').waitFor();
      await strictPage.getByLabel('Name').fill('Internal hook');
      await strictPage.getByLabel('Webhook URL').fill(hookUrl);
      await strictPage.getByRole('button', { name: 'Add channel' }).click();
      const alert = strictPage.getByRole('alert');
      await alert.waitFor();
      const text = await visibleText(alert);
      assert.match(text, /The channel was not saved/);
      assert.match(text, /points at 127\.0\.0\.1/);
      assert.match(text, /--notify-allow-private-targets/);
      assert.match(text, /NI_ERR_TARGET_FORBIDDEN · HTTP 4\d\d/);
      // Nothing was saved, and what the admin typed is still there to correct.
      assert.equal(await strictPage.getByLabel('Webhook URL').inputValue(), hookUrl);
      assert.equal(await strictPage.getByText('No channels yet').count(), 1);
      const r = await strict.api<unknown[]>(fabrikam, 'GET', '/notification-channels');
      assert.deepEqual(r.body, []);
    } finally {
      await strictPage.close();
    }
  });
});
