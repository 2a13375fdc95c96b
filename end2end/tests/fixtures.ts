// A page that records console errors and failed requests, so every test also checks that the
// app ran cleanly in the browser.
import { test as base, expect, Page, APIRequestContext } from '@playwright/test';

let clients = 0;

export const test = base.extend<{ page: Page; browserErrors: string[] }>({
  // A client address of its own for every test, so rate limits per address do not leak across.
  extraHTTPHeaders: async ({}, use, testInfo) => {
    clients += 1;
    const n = testInfo.workerIndex * 1000 + clients;
    await use({ 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });
  },
  browserErrors: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, browserErrors }, use) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium logs every 4xx answer. Expected ones: a page that is itself a 404 (the not-found
      // page), and a server function refusing bad input (400, 401, 429 with field messages).
      // Server errors are caught by the response listener below whatever the console says.
      const clientError = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
      const url = message.location().url;
      const expected = clientError && (url === page.url() || new URL(url).pathname.startsWith('/api/'));
      if (!expected) browserErrors.push(`console: ${message.text()}`);
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

/** An email nobody has used yet. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A username nobody has used yet (3-32 characters). */
export function uniqueUsername(label: string): string {
  return `${label}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.slice(0, 32);
}

/** The newest 6-digit code mailed to `email`, read from the development mailbox. */
export async function mailedCode(request: APIRequestContext, email: string): Promise<string> {
  let code: string | undefined;
  await expect(async () => {
    const html = await (await request.get('/dev/mailbox')).text();
    const article = html.split('<article').find((part) => part.includes(`data-to="${email}"`));
    code = article?.match(/\b(\d{6})\b/)?.[1];
    expect(code, `a code mailed to ${email}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return code!;
}

/** Signs up a new account through the page and returns its credentials. */
export async function signUp(page: Page, label: string) {
  const email = uniqueEmail(label);
  const username = uniqueUsername(label);
  const password = 'Secret-pass-1';
  await page.goto('/sign-up');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('status')).toContainText(`A verification code was sent to ${email}`);
  await page.getByLabel('Verification code').fill(await mailedCode(page.request, email));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('checkbox', { name: /I have read and agree to the Terms of Service/ }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL('/choose-role');
  return { email, username, password };
}
