import { test, expect, hydrated } from './fixtures';

test('the landing page offers GET STARTED and SIGN IN', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mini program services from trusted ISVs');
  await expect(page.getByRole('link', { name: 'GET STARTED', exact: true })).toHaveAttribute('href', '/sign-up');
  await expect(page.getByRole('link', { name: 'SIGN IN', exact: true })).toHaveAttribute('href', '/sign-in');
  await expect(page).toHaveTitle('Service Market');
  await page.goto('/market');
  await expect(page).toHaveTitle('Services · Service Market');
});

test('the language switch changes the page in place and is remembered', async ({ page, context }) => {
  await page.goto('/');
  await hydrated(page);
  // A marker that a full page load would wipe: the switch must be handled by the client.
  await page.evaluate(() => ((window as any).__noReload = true));

  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('可信服务商提供的小程序服务');
  await expect(page.getByRole('link', { name: '立即开始' })).toBeVisible();
  await expect(page.getByRole('button', { name: '简体中文' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'lang')?.value).toBe('zh-CN');

  // The server renders the remembered language on the next visit.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('可信服务商提供的小程序服务');
  await hydrated(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mini program services from trusted ISVs');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mini program services from trusted ISVs');
});

test('a browser that prefers Chinese gets Chinese until it chooses otherwise', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('可信服务商提供的小程序服务');
  await context.close();
});

test('an unknown path answers 404 with a way home', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page).toHaveURL('/');
});
