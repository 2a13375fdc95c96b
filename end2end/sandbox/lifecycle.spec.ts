// The order lifecycle end to end on the sandbox server (PRODUCT.md §3, seeds 000-002), each step
// asserted on the page of the side that sees it: the ISV at a desktop (1280×800), the merchant on
// a phone (375×812, touch), each in a browser context of its own; the platform audit is passed
// through the reviewer's server function, and the 7 days of the approval deadline pass on the
// sandbox clock. Both pages poll, so nobody reloads.
import { test, expect, hydrated, personOn } from '../tests/fixtures';
import {
  CUSTOM,
  RESTAURANT,
  newMerchant,
  openIsvOrder,
  passAudit,
  payAtCashier,
  placeOrder,
  reviewerApi,
  statusTag,
} from '../tests/merchant-orders-helpers';
import { Page } from '@playwright/test';

/** The ISV submits the built version for approval from the order's detail page. */
async function submitVersion(isv: Page, version: string) {
  await isv.getByRole('button', { name: 'Submit', exact: true }).click();
  const dialog = isv.getByRole('dialog');
  await dialog.getByLabel('Version number').fill(version);
  await dialog.getByLabel('Version notes').fill('Menu, table service and takeaway.');
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(isv.getByRole('heading', { name: 'Submitted versions' })).toBeVisible();
  await expect(isv.getByText(version, { exact: true })).toBeVisible();
}

test('Alipay+: order → Accept → Confirm → pay → Submit → audit → Approve → Completed on both sides', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  const merchant = await personOn(browser, baseURL!, errors, 'phone');
  const isv = await personOn(browser, baseURL!, errors, 'desktop');

  // The merchant orders the service that needs the ISV's acceptance: a New Order.
  await newMerchant(merchant, 'Lifecycle Teahouse');
  const orderNo = await placeOrder(merchant, CUSTOM, /90 days/, 'Tea Menu');
  await merchant.goto(`/my/orders/${orderNo}`);
  await expect(statusTag(merchant, 'New Order')).toBeVisible();
  await expect(merchant.getByRole('main').getByRole('button')).toHaveCount(0);
  await hydrated(merchant);

  // The ISV accepts: the platform's pop-up.
  await openIsvOrder(isv, 'bluebridge', 'Shenzhen Bluebridge Software', orderNo);
  await expect(statusTag(isv, 'New Order')).toBeVisible();
  await isv.getByRole('button', { name: 'Accept' }).click();
  const popup = isv.getByRole('alertdialog');
  await expect(popup).toContainText('Wait for the merchant to confirm the order');
  await popup.getByRole('button', { name: 'OK' }).click();
  await expect(statusTag(isv, 'Pending Confirmation')).toBeVisible();

  // The merchant's page follows, and the merchant confirms.
  await expect(statusTag(merchant, 'Pending Confirmation')).toBeVisible({ timeout: 15_000 });
  await merchant.getByRole('button', { name: 'Confirm' }).click();
  const confirm = merchant.getByRole('dialog');
  await expect(confirm).toContainText('Confirm and authorize the service provider');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(statusTag(merchant, 'Awaiting Payment')).toBeVisible();

  // A priced order: Pay leads to the cashier.
  await merchant.getByRole('link', { name: 'Pay', exact: true }).click();
  await expect(merchant).toHaveURL(`/cashier/${orderNo}`);
  await payAtCashier(merchant);
  await merchant.goto(`/my/orders/${orderNo}`);
  await expect(statusTag(merchant, 'In Development')).toBeVisible();
  await hydrated(merchant);

  // The ISV's page follows; it submits the built version, which waits for the audit.
  await expect(statusTag(isv, 'In Development')).toBeVisible({ timeout: 15_000 });
  await submitVersion(isv, '1.0.1');
  const reviewer = await reviewerApi(baseURL!, '10.251.0.1');
  await passAudit(reviewer, orderNo);
  await reviewer.dispose();

  // Under Approval on both sides; the merchant approves.
  await expect(statusTag(merchant, 'Under Approval')).toBeVisible({ timeout: 15_000 });
  await expect(merchant.locator('.deadline .countdown')).toContainText('approval deadline (7 days)');
  await merchant.getByRole('button', { name: 'Approve' }).click();
  const approve = merchant.getByRole('dialog');
  await expect(approve).toContainText('No online refund is possible afterwards.');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(statusTag(merchant, 'Completed')).toBeVisible();
  await expect(merchant.getByText('This order is completed: no online refund is possible.', { exact: false })).toBeVisible();
  await expect(merchant.getByRole('button', { name: 'Refund' })).toHaveCount(0);

  await expect(statusTag(isv, 'Completed')).toBeVisible({ timeout: 15_000 });
  const timeline = isv.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Approve' })).toContainText('Lifecycle Teahouse');
  await expect(timeline.getByRole('listitem').filter({ hasText: 'Accept' })).toContainText('Shenzhen Bluebridge Software');

  await merchant.context().close();
  await isv.context().close();
  expect(errors).toEqual([]);
});

test('服务市场: order → pay → Submit → audit → 7 days pass → Completed by the timer, live on the phone', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  const merchant = await personOn(browser, baseURL!, errors, 'phone');
  const isv = await personOn(browser, baseURL!, errors, 'desktop');

  // A priced service that needs no acceptance: straight to the cashier.
  await newMerchant(merchant, 'Lifecycle Noodles');
  const orderNo = await placeOrder(merchant, RESTAURANT, /30 days/, 'Noodle Menu');
  await expect(merchant).toHaveURL(`/cashier/${orderNo}`);
  await payAtCashier(merchant);
  await merchant.goto('/my/orders');
  const card = merchant.getByRole('list', { name: 'Service Orders' }).getByRole('listitem').filter({ hasText: orderNo });
  await expect(card.getByText('In Development', { exact: true })).toBeVisible();
  await card.getByRole('link', { name: orderNo }).click();
  await expect(statusTag(merchant, 'In Development')).toBeVisible();
  await hydrated(merchant);

  // The ISV submits; the audit passes.
  await openIsvOrder(isv, 'cloudleaf', 'Hangzhou Cloudleaf Technology', orderNo);
  await submitVersion(isv, '2.0.0');
  const reviewer = await reviewerApi(baseURL!, '10.251.0.2');
  await passAudit(reviewer, orderNo);
  await expect(statusTag(merchant, 'Under Approval')).toBeVisible({ timeout: 15_000 });
  await expect(merchant.getByRole('button', { name: 'Approve' })).toBeVisible();

  // Seven days pass without the merchant's answer: the timer completes the order.
  const advanced = await reviewer.post('/api/review/advance_clock', { form: { days: '7' } });
  expect(advanced.status(), await advanced.text()).toBe(200);
  await reviewer.dispose();
  await expect(statusTag(merchant, 'Completed')).toBeVisible({ timeout: 20_000 });
  const step = merchant.getByRole('list', { name: 'Timeline' }).getByRole('listitem').last();
  await expect(step).toContainText('approval deadline (7 days)');
  await expect(step).toContainText('Completed');
  await expect(merchant.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await expect(statusTag(isv, 'Completed')).toBeVisible({ timeout: 15_000 });
  await merchant.context().close();
  await isv.context().close();
  expect(errors).toEqual([]);
});
