// A page that records console errors and failed requests, so every test also checks that the
// app ran cleanly in the browser.
import { test as base, expect, Page } from '@playwright/test';

export const test = base.extend<{ page: Page; browserErrors: string[] }>({
  browserErrors: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, browserErrors }, use) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // A page that is itself a 404 (the not-found page) logs its own status: that is expected.
      const ownStatus = message.text().startsWith('Failed to load resource') && message.location().url === page.url();
      if (!ownStatus) browserErrors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => browserErrors.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) browserErrors.push(`HTTP ${response.status()} ${response.url()}`);
    });
    await use(page);
    expect(browserErrors, 'the browser reported errors').toEqual([]);
  },
});

/** Resolves once the wasm client has hydrated the page (the app sets this marker). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
}

export { expect };
