import { test, expect, hydrated } from './fixtures';

test('the marketplace lists the Online services from the database', async ({ page }) => {
  await page.goto('/market');
  const list = page.getByRole('list', { name: 'Services' });
  // The demo's three Online services (other tests may publish more meanwhile)…
  for (const name of [/Restaurant ordering mini program/, /Membership points template/, /Custom mini program development/]) {
    await expect(list.getByRole('heading', { name })).toBeVisible();
  }
  // …and none of its services in another status.
  for (const name of [/Hotel booking template/, /Queue ticket template/, /Festival coupon template/]) {
    await expect(list.getByRole('heading', { name })).toHaveCount(0);
  }
  await expect(list.getByText('From ¥199.00')).toBeVisible();
  await expect(list.getByRole('listitem').filter({ hasText: 'Membership points template' }).getByText('Free')).toBeVisible();
});

test('searching asks the server again without reloading the page', async ({ page }) => {
  await page.goto('/market');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__noReload = true));

  const search = page.getByRole('searchbox', { name: 'Search services' });
  await search.fill('点餐');
  const answer = page.waitForResponse(
    (response) => response.url().includes('/api/marketplace/services') && response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Search' }).click();
  expect((await answer).status()).toBe(200);

  const list = page.getByRole('list', { name: 'Services' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('heading', { name: /Restaurant ordering/ })).toBeVisible();
  await expect(page).toHaveURL(/[?&]q=%E7%82%B9%E9%A4%90/);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('the category filter narrows the list and lives in the URL', async ({ page }) => {
  await page.goto('/market');
  await hydrated(page);
  await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Retail' });
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/category=retail/);
  const list = page.getByRole('list', { name: 'Services' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('heading', { name: /Membership points template/ })).toBeVisible();

  // The same URL, loaded fresh, renders the same filtered list on the server.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Services' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Category' })).toHaveValue('retail');
});

test('a search with no match says so', async ({ page }) => {
  await page.goto('/market?q=no-such-service-anywhere');
  await expect(page.getByRole('status')).toHaveText('No services match your search.');
  await expect(page.getByRole('list', { name: 'Services' })).toHaveCount(0);
});
