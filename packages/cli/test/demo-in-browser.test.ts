/**
 * The README's first command as a newcomer meets it: `netinsights serve
 * --demo` (what `npm start` runs) prints the dashboard URL and the demo
 * sign-in, and within a minute or two the dashboard in a real Chromium shows
 * live insights from the built-in lab's simulated offices — every insight
 * kind, with the interceptor named on the intercepted office's page.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { INSIGHT_KIND_INFO, INSIGHT_KINDS } from '@netinsights/protocol';
import { type Browser, launchBrowser } from '../../web/test/support/browser.ts';
import { DEMO_TENANTS } from '../src/demo/demo-world.ts';

const CLI = new URL('../bin/netinsights.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ni-demo-'));
let child: ChildProcess;
let browser: Browser;
let url = '';
let printed = '';

before(async () => {
  // The demo keeps its geo table in .cache/demo of the working directory: a throw-away one here.
  child = spawn(
    process.execPath,
    [CLI, 'serve', '--demo', '--port', '0', '--db', join(dir, 'demo.db'), '--log-level', 'warn'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no dashboard URL in 60 s:\n${printed}`)), 60_000);
    const onData = (d: Buffer) => {
      printed += d;
      const m = /Dashboard:\s+(\S+)/.exec(printed);
      if (m && /Sign in:/.test(printed)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve --demo exited with ${code}:\n${printed}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    // A clean stop takes about a second; never let a stuck one hold the suite.
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
  }
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serve --demo shows live insights for every kind in the dashboard', { timeout: 240_000 }, async () => {
  const admin = DEMO_TENANTS[0]!.admin!;
  assert.ok(printed.includes(admin.email) && printed.includes(admin.password), 'the demo sign-in is printed');
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();

  // The overview refreshes by itself; wait (bounded) until every kind of insight has opened.
  const kinds = page.locator('ul[aria-label="Active insights by kind"] li');
  // Every kind the product knows (the protocol's kind table): the demo has an office for each.
  const every = INSIGHT_KINDS.map((k) => INSIGHT_KIND_INFO[k].label).sort();
  const deadline = Date.now() + 180_000;
  while ((await kinds.count()) < every.length && Date.now() < deadline) await page.waitForTimeout(2_000);
  const shown = (await kinds.allInnerTexts()).map((t) => t.split('\n')[0]!.trim()).sort();
  assert.deepEqual(shown, every);
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/demo-overview.png', fullPage: true });

  await page.getByRole('link', { name: 'Paris', exact: true }).first().click();
  await page.getByText('Zscaler is decrypting Microsoft 365 traffic at Paris').waitFor();
  await page.close();
});
