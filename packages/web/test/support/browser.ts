/**
 * @module test/support/browser
 * Starts Debian's Chromium through playwright-core for the browser tests and
 * the dashboard bench: headless, no sandbox (containers), no GPU, no QUIC,
 * nothing that phones home, and a fresh profile directory that is removed
 * again on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser; override with NETINSIGHTS_CHROMIUM. */
export const CHROMIUM = process.env.NETINSIGHTS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'netinsights-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    // Tests only talk to loopback; never wait on anything else.
    timeout: 60_000,
  });
  // The machine is shared by several jobs: give every action and wait a generous bound.
  context.setDefaultTimeout(60_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
