// Service Management > Orders (seeds 000, 001 §7-8): the ISV's list with the status filter and
// the order-number search in the URL, the detail page with its timeline and countdown, and
// Accept with the platform's pop-up. On the desktop project: the console is a desktop page, and
// the demo's New order is accepted once.
import { test, expect, hydrated, signIn } from './fixtures';

test.describe('the ISV console on a desktop', () => {
  test.skip(({ isMobile }) => isMobile, 'the ISV console is a desktop page');

  test('an ISV filters its orders, finds one by number and accepts it', async ({ page }) => {
    await signIn(page, 'bluebridge', 'Demo2026');
    await expect(page).toHaveURL('/console');
    await page.getByRole('link', { name: 'Shenzhen Bluebridge Software' }).click();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();
    await hydrated(page);
    const table = page.getByRole('table', { name: 'Orders' });
    await expect(table.getByRole('row').nth(1)).toBeVisible();

    // The filter lives in the URL.
    await page.getByLabel('Status').selectOption({ label: 'New Order' });
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/status=new/);
    const rows = table.getByRole('row').filter({ hasText: 'New Order' });
    await expect(rows.first()).toBeVisible();
    // The oldest New order is the demo's own; newer ones belong to tests running beside this one.
    const demoOrder = rows.last();
    await expect(table.getByRole('row').filter({ hasText: 'Completed' })).toHaveCount(0);

    // Search by number, then open the order.
    const number = (await demoOrder.getByRole('link').textContent())!.trim();
    expect(number).toMatch(/^\d{24}$/);
    await page.getByLabel('Status').selectOption({ label: 'All statuses' });
    await page.getByLabel('Order number').fill(number);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(new RegExp(`q=${number}`));
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', new RegExp(`orders\\.csv\\?.*q=${number}`));
    await table.getByRole('link', { name: number }).click();
    await expect(page.getByRole('heading', { name: `Order number ${number}` })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
    await hydrated(page);

    // Accept: the platform's pop-up, then the order waits for the merchant.
    await page.getByRole('button', { name: 'Accept' }).first().click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toContainText('Order accepted');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText('Pending Confirmation').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  });

  test('an order In Development counts down to its deadline, live', async ({ page }) => {
    await signIn(page, 'cloudleaf', 'Demo2026');
    await expect(page).toHaveURL('/console');
    await page.getByRole('link', { name: 'Hangzhou Cloudleaf Technology' }).click();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Status').selectOption({ label: 'In Development' });
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/status=in_development/);
    await hydrated(page);
    const clock = page.getByRole('table', { name: 'Orders' }).getByRole('row').nth(1).locator('.countdown time');
    await expect(clock).toHaveText(/^\d+ d \d\d:\d\d:\d\d$/);
    const before = await clock.textContent();
    await expect(clock).not.toHaveText(before!, { timeout: 5_000 });
  });
});
