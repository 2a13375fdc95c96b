// A page that records console errors and failed requests, so every test also checks that the
// app ran cleanly in the browser.
import { test as base, expect, Browser, Page, APIRequestContext } from '@playwright/test';

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
    watchErrors(page, browserErrors);
    await use(page);
    expect(browserErrors, 'the browser reported errors').toEqual([]);
  },
});

/** Records the console errors, page errors and server errors of `page` into `errors`. */
function watchErrors(page: Page, errors: string[]) {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx answer. Expected ones: a page that is itself a 404 (the not-found
    // page), and a server function refusing bad input (400, 401, 429 with field messages).
    // Server errors are caught by the response listener below whatever the console says.
    const clientError = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
    const url = message.location().url;
    const expected = clientError && (url === page.url() || new URL(url).pathname.startsWith('/api/'));
    if (!expected) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`HTTP ${response.status()} ${response.url()}`);
  });
}

let otherClients = 0;

/**
 * A second person in the same test (a reviewer, an invitee): a browser context of its own, with
 * its own client address and the same error checks; `errors` is checked by the caller's test.
 */
export async function otherPerson(browser: Browser, baseURL: string, errors: string[]): Promise<Page> {
  otherClients += 1;
  const n = otherClients + (process.pid % 200) * 256;
  const context = await browser.newContext({
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}` },
  });
  const page = await context.newPage();
  watchErrors(page, errors);
  return page;
}

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

/** The platform reviewer the test server is started with (`service-market admin`). */
export const REVIEWER = { email: 'reviewer@e2e.test', password: 'Queue-Decide-42' };

/** The path of the newest link to this site mailed to `email` whose path starts with `prefix`. */
export async function mailedLink(request: APIRequestContext, email: string, prefix: string): Promise<string> {
  let path: string | undefined;
  await expect(async () => {
    const html = await (await request.get('/dev/mailbox')).text();
    const article = html.split('<article').find((part) => part.includes(`data-to="${email}"`) && part.includes(prefix));
    const url = article?.match(/https?:\/\/[^\s<"]+/g)?.find((u) => new URL(u).pathname.startsWith(prefix));
    path = url ? new URL(url).pathname : undefined;
    expect(path, `a link to ${prefix}… mailed to ${email}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return path!;
}

/** Signs in through the page. */
export async function signIn(page: Page, login: string, password: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A 1×1 PNG: a real image for the Business Logo. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * A person on a device of their own in the same test (the lifecycle flows: the ISV at a desktop,
 * the merchant on a phone): a browser context 1280×800, or 375×812 with touch, with its own
 * client address and the same error checks as `otherPerson`; `errors` is checked by the caller.
 */
export async function personOn(
  browser: Browser,
  baseURL: string,
  errors: string[],
  device: 'desktop' | 'phone',
): Promise<Page> {
  otherClients += 1;
  const n = otherClients + (process.pid % 200) * 256;
  const screen =
    device === 'phone'
      ? {
          viewport: { width: 375, height: 812 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
          userAgent:
            'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
        }
      : { viewport: { width: 1280, height: 800 } };
  const context = await browser.newContext({
    ...screen,
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}` },
  });
  const page = await context.newPage();
  watchErrors(page, errors);
  return page;
}
