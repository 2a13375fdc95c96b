// The merchant's Service Orders (服务订单) and 应用授权 on a phone (seed 002): 申请退款 and the
// refund it records; the ISV's Cancel, whose reason the merchant then reads on the order (the ISV
// at a desktop in a context of its own, the merchant's page following without a reload); and
// 取消授权. Each test signs up its own merchant and orders from the demo ISV Hangzhou Cloudleaf
// Technology.
import { test, expect, hydrated, personOn } from './fixtures';
import { RESTAURANT, newMerchant, openIsvOrder, payAtCashier, placeOrder, statusTag } from './merchant-orders-helpers';

test.describe('Service Orders on a phone', () => {
  test.skip(({ isMobile }) => !isMobile, 'the merchant pages are mobile first');

  test('a merchant applies for a refund (申请退款) and sees the refund recorded', async ({ page }) => {
    test.setTimeout(90_000);
    await newMerchant(page, 'Refund Noodles');
    const orderNo = await placeOrder(page, RESTAURANT, /30 days/, 'Refund Bowl');
    await payAtCashier(page);

    // Service Orders, from the header: the order's card with its status and running deadline.
    await page.getByRole('banner').getByRole('link', { name: 'Service Orders' }).click();
    await expect(page).toHaveURL('/my/orders');
    await expect(page.getByRole('heading', { level: 1, name: 'Service Orders' })).toBeVisible();
    const card = page.getByRole('list', { name: 'Service Orders' }).getByRole('listitem').filter({ hasText: orderNo });
    await expect(card).toHaveCount(1);
    await expect(card.getByText('In Development', { exact: true })).toBeVisible();
    await expect(card.getByText('Hangzhou Cloudleaf Technology')).toBeVisible();
    await expect(card.getByText('Refund Bowl')).toBeVisible();
    await expect(card.getByText('¥199.00')).toBeVisible();
    await expect(card.locator('.countdown time')).toHaveText(/^(29|30) d \d\d:\d\d:\d\d$/);

    // The filter and the search live in the URL.
    await hydrated(page);
    await page.getByLabel('Status').selectOption({ label: 'Completed' });
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/status=completed/);
    await expect(page.getByText('No orders match.')).toBeVisible();
    await page.getByLabel('Status').selectOption({ label: 'All statuses' });
    await page.getByLabel('Order number').fill(orderNo.slice(0, 12));
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(new RegExp(`q=${orderNo.slice(0, 12)}`));
    await expect(card).toHaveCount(1);

    // The detail, in Chinese: 申请退款 asks first, then cancels the order and refunds it.
    await card.getByRole('link', { name: orderNo }).click();
    await expect(page).toHaveURL(`/my/orders/${orderNo}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Order details' })).toBeVisible();
    await expect(page.getByText(`Order number: ${orderNo}`)).toBeVisible();
    await expect(statusTag(page, 'In Development')).toBeVisible();
    await expect(page.locator('.deadline .countdown')).toContainText('development deadline (30 days)');
    await hydrated(page);
    await page.getByRole('button', { name: '简体中文' }).click();
    await page.getByRole('button', { name: '申请退款' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('确定申请退款？订单将取消并退回已付款项，无需服务商确认。');
    await dialog.getByRole('button', { name: '申请退款' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(statusTag(page, '已取消')).toBeVisible();
    await expect(page.getByText(/^¥199\.00 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}.* · 商家申请退款$/)).toBeVisible();
    await expect(page.getByRole('button', { name: '申请退款' })).toHaveCount(0);
    const timeline = page.getByRole('list', { name: '时间线' });
    await expect(timeline.getByRole('listitem').filter({ hasText: '申请退款' })).toContainText('Refund Noodles');

    // Stored: the list says so after a reload.
    await page.goto('/my/orders');
    await expect(page.getByRole('list', { name: '服务订单' }).getByRole('listitem').filter({ hasText: orderNo }).getByText('已取消', { exact: true })).toBeVisible();
  });

  test('the ISV cancels an order and the merchant reads its reason without reloading', async ({ page, browser, baseURL }) => {
    test.setTimeout(120_000);
    await newMerchant(page, 'Harbour Noodles');
    const orderNo = await placeOrder(page, RESTAURANT, /30 days/, 'Harbour Bowl');
    await payAtCashier(page);
    await page.goto(`/my/orders/${orderNo}`);
    await expect(statusTag(page, 'In Development')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Refund' })).toBeVisible();
    await hydrated(page);

    // The ISV, at its desktop, cancels with a reason.
    const errors: string[] = [];
    const isv = await personOn(browser, baseURL!, errors, 'desktop');
    await openIsvOrder(isv, 'cloudleaf', 'Hangzhou Cloudleaf Technology', orderNo);
    await isv.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = isv.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'Cancel the order' })).toBeVisible();
    await dialog.getByLabel('Reason (optional)').fill('Agreed with the merchant by phone: the shop closes.');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(statusTag(isv, 'Canceled')).toBeVisible();
    await isv.context().close();

    // The merchant's page follows: canceled, the ISV's reason in the timeline, the refund.
    await expect(statusTag(page, 'Canceled')).toBeVisible({ timeout: 15_000 });
    const step = page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: /· Cancel →/ });
    await expect(step).toContainText('Hangzhou Cloudleaf Technology');
    await expect(step).toContainText('Reason: Agreed with the merchant by phone: the shop closes.');
    await expect(page.getByText(/^¥199\.00 · .* · /)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Refund' })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('a merchant cancels an authorization on 应用授权 after confirming', async ({ page }) => {
    test.setTimeout(90_000);
    await newMerchant(page, 'Auth Noodles');
    await placeOrder(page, RESTAURANT, /30 days/, 'Auth Bowl');
    await payAtCashier(page);

    await page.goto('/my/services');
    await page.getByRole('main').getByRole('link', { name: 'App authorizations' }).click();
    await expect(page).toHaveURL('/my/authorizations');
    await expect(page.getByRole('heading', { level: 1, name: 'App authorizations' })).toBeVisible();
    const card = page.getByRole('listitem', { name: 'Hangzhou Cloudleaf Technology' });
    await expect(card).toContainText('Auth Bowl');
    await expect(card).toContainText(RESTAURANT);
    await expect(card.getByText('Authorized', { exact: true })).toBeVisible();
    await expect(card).toContainText('Authorized since');
    await hydrated(page);

    // It asks first; keeping it changes nothing.
    await card.getByRole('button', { name: 'Cancel authorization' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Cancel this authorization?');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(card.getByText('Authorized', { exact: true })).toBeVisible();

    await card.getByRole('button', { name: 'Cancel authorization' }).click();
    await dialog.getByRole('button', { name: 'Cancel authorization' }).click();
    await expect(page.getByRole('status')).toHaveText('Authorization cancelled.');
    await expect(card.getByText('Authorization cancelled', { exact: true })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Cancel authorization' })).toHaveCount(0);

    // Stored, and in Chinese in seed 002's words.
    await page.reload();
    await page.getByRole('button', { name: '简体中文' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '应用授权' })).toBeVisible();
    await expect(page.getByRole('listitem', { name: 'Hangzhou Cloudleaf Technology' }).getByText('已取消授权', { exact: true })).toBeVisible();
  });
});
