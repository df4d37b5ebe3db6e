/**
 * @module test/sso
 * Single sign-on in Chromium against the real server and a real OpenID
 * provider (oidc-provider on loopback): an owner sets it up on the
 * Administrators page (the client secret never comes back, the page says one
 * is stored), a colleague signs in with the provider's button and lands on
 * the overview with the role the claims map to and sees the settings
 * read-only, and a sign-in the provider refuses brings the browser back to
 * the sign-in page with the reason (it used to show a page of JSON).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../../server/test/helpers/oidc-provider.ts';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type RealServer, startRealServer, type TenantLogin } from './support/real-server.ts';

const RESULTS = join(import.meta.dirname, '../../../test-results');

describe('single sign-on in the dashboard', { timeout: 300_000 }, () => {
  let server: RealServer;
  let idp: TestProvider;
  let browser: Browser;
  let page: Page;
  let contoso: TenantLogin;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    // Loopback issuers are "private targets", which the shipped server refuses.
    server = await startRealServer({ notifyAllowPrivateTargets: true });
    idp = await startTestProvider(`${server.url}/api/v1/auth/sso/callback`);
    idp.accounts.set('alice', {
      email: 'alice@contoso.example',
      email_verified: true,
      roles: ['netinsights-admins'],
    });
    contoso = await server.createTenant('Contoso Ltd', 'owner@contoso.example');
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await idp?.close();
    await server?.close();
  });

  it('an owner sets it up on the Administrators page; the secret is never shown again', async () => {
    await server.signIn(page, contoso);
    await page.goto(`${server.url}/manage/administrators`);
    const card = page.getByRole('region', { name: 'Single sign-on' });
    await card.getByText('Not set up').waitFor();
    await card.getByLabel('Button label').fill('Contoso ID');
    await card.getByLabel('Issuer URL').fill(idp.issuer);
    await card.getByLabel('Client (application) id').fill(idp.clientId);
    await card.getByLabel('Client secret').fill(idp.clientSecret);
    await card.getByLabel('Allowed e-mail domains').fill('contoso.example');
    await card.getByRole('button', { name: 'Save single sign-on' }).click();
    await card.getByText('Saved. The sign-in page offers the provider from now on.').waitFor();
    await card.getByText('On: Contoso ID').waitFor();
    assert.equal(await card.getByLabel('Client secret').inputValue(), '', 'the secret is not put back');
    await card.getByText('A secret is stored (sealed). Leave empty to keep it.').waitFor();
    assert.ok(!(await page.content()).includes(idp.clientSecret), 'the page never holds the secret');
    await page.screenshot({ path: join(RESULTS, 'sso-settings.png'), fullPage: true });
  });

  it('a role map line that is not "value = role" is refused in the form, naming the line', async () => {
    const card = page.getByRole('region', { name: 'Single sign-on' });
    await card.getByLabel('Claim values → roles').fill('netinsights-admins = admin\nbosses are owners');
    await card.getByRole('button', { name: 'Save single sign-on' }).click();
    await card.getByText('Role map, line 2').waitFor();
    await card.getByLabel('Claim values → roles').fill('netinsights-admins = admin');
  });

  it("a colleague signs in with the provider's button and reads the settings without editing them", async () => {
    // The owner's session ends here: the colleague starts signed out, in the same browser.
    await browser.context.clearCookies();
    const colleague = await browser.context.newPage();
    await colleague.goto(`${server.url}/`);
    await colleague.getByLabel('Email').fill('alice@contoso.example');
    idp.signInAs('alice');
    await colleague.getByRole('button', { name: 'Sign in with Contoso ID' }).click();
    await colleague.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await colleague.goto(`${server.url}/manage/administrators`);
    const card = colleague.getByRole('region', { name: 'Single sign-on' });
    await card.getByText('Only an owner can change single sign-on.').waitFor();
    assert.equal(await card.getByLabel('Issuer URL').isDisabled(), true);
    assert.equal(await card.getByRole('button', { name: 'Save single sign-on' }).count(), 0);
    await colleague.getByText('alice@contoso.example').first().waitFor();
    await colleague.close();
  });

  it('a sign-in the provider refuses comes back to the sign-in page with the reason', async () => {
    await browser.context.clearCookies();
    await page.goto(
      `${server.url}/api/v1/auth/sso/callback?error=access_denied&error_description=${encodeURIComponent('the user cancelled')}`,
    );
    const notice = page.getByTestId('sso-error');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /Single sign-on did not work/);
    assert.match((await notice.textContent()) ?? '', /access_denied \(the user cancelled\)/);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(new URL(page.url()).search, '', 'the reason is not left in the address bar');
    await page.screenshot({ path: join(RESULTS, 'sso-refused.png') });
  });
});
