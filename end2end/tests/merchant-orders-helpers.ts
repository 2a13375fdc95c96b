// Steps the merchant-order tests share (tests/merchant-orders.spec.ts and the sandbox lifecycle
// flows): a new merchant, an order placed through the pages, the cashier, and the ISV console.
import { APIRequestContext, Page, request as newRequest } from '@playwright/test';
import { expect, hydrated, signIn, signUp, REVIEWER } from './fixtures';

export const RESTAURANT = /Restaurant ordering mini program/;
export const CUSTOM = /Custom mini program development/;

/** Signs up a new merchant (an enterprise, so it may order every demo service). */
export async function newMerchant(page: Page, name: string) {
  await signUp(page, 'shop');
  await hydrated(page);
  await page.getByRole('button', { name: 'Merchant' }).click();
  await expect(page).toHaveURL('/onboarding/merchant');
  await page.getByLabel('Merchant name').fill(name);
  await page.getByLabel('Identity type').selectOption({ label: 'Enterprise' });
  await page.getByLabel('Certified name').fill(`${name} Ltd.`);
  await page.getByLabel('Certificate number').fill('91350100M000100Y43');
  await page.getByRole('button', { name: 'Onboard as a merchant' }).click();
  await expect(page).toHaveURL('/console');
}

/**
 * 立即获取 → 订购并授权 for the service named like `service`, its plan named like `plan` and a
 * new mini program; returns the order's number (from the cashier's address, or 我的服务's
 * `placed=` for an order that waits for the ISV).
 */
export async function placeOrder(page: Page, service: RegExp, plan: RegExp, miniProgram: string): Promise<string> {
  await page.goto('/market');
  await page.getByRole('link', { name: service }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: service })).toBeVisible();
  await page.getByRole('link', { name: 'Get now' }).click();
  await expect(page.getByRole('heading', { name: 'Order the service' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('radio', { name: plan }).check();
  // The page asks the server again for the chosen plan; type once it has answered.
  await page.waitForLoadState('networkidle');
  await expect(page.getByText('You have no mini program that can order this service.')).toBeVisible();
  // Created once the page has settled: a refetch of the plan may still clear the field.
  const created = page.getByRole('radio', { name: new RegExp(miniProgram) });
  await expect(async () => {
    if (!(await created.isVisible())) {
      await page.getByLabel('Mini program name').fill(miniProgram);
      await page.getByRole('button', { name: 'Create', exact: true }).click();
    }
    await expect(created).toBeChecked({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByLabel('Contact name').fill('Wang Fang');
  await page.getByLabel('Contact mobile number').fill('13800138000');
  await page.getByRole('checkbox', { name: /I have read and agree to the/ }).check();
  await page.getByRole('button', { name: 'Order and authorize' }).click();
  await expect(page).toHaveURL(/\/cashier\/\d{24}$|placed=\d{24}/);
  return page.url().match(/(\d{24})/)![1];
}

/** Pays at the cashier the page is on: the order goes into development. */
export async function payAtCashier(page: Page) {
  await expect(page.getByRole('heading', { name: 'Cashier' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Pay now' }).click();
  await expect(page.getByRole('status')).toContainText('Paid.');
}

/** Signs an ISV's Owner in and opens the order's detail page in its console. */
export async function openIsvOrder(page: Page, login: string, company: string, orderNo: string) {
  await signIn(page, login, 'Demo2026');
  await expect(page).toHaveURL('/console');
  await page.getByRole('link', { name: company }).click();
  await expect(page).toHaveURL(/\/console\/workspaces\/\d+$/);
  const workspace = page.url().match(/workspaces\/(\d+)/)![1];
  await page.goto(`/console/workspaces/${workspace}/orders/${orderNo}`);
  await expect(page.getByRole('heading', { name: `Order number ${orderNo}` })).toBeVisible();
  await hydrated(page);
}

/** The order's status tag on a detail page (the timeline names statuses too, never alone). */
export function statusTag(page: Page, label: string) {
  return page.getByRole('main').getByText(label, { exact: true }).first();
}

/** The platform reviewer's API session on the server at `baseURL`. */
export async function reviewerApi(baseURL: string, address: string): Promise<APIRequestContext> {
  const api = await newRequest.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': address } });
  const signedIn = await api.post('/api/auth/sign_in', { form: { login: REVIEWER.email, password: REVIEWER.password } });
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  return api;
}

/**
 * The platform audit passes the version submitted for `orderNo` (the reviewer's server function;
 * nothing to do when the platform passes versions automatically).
 */
export async function passAudit(api: APIRequestContext, orderNo: string) {
  let versionId: number | undefined;
  await expect(async () => {
    const answer = await api.post('/api/review/version_audits', { form: {} });
    expect(answer.status(), await answer.text()).toBe(200);
    const queue = await answer.json();
    if (queue.auto_pass) return;
    const item = queue.items.find((i: { order_no: string }) => String(i.order_no) === orderNo);
    expect(item, `the version of ${orderNo} waits for the audit`).toBeTruthy();
    versionId = item.version_id;
  }).toPass({ timeout: 10_000 });
  if (versionId === undefined) return;
  const passed = await api.post('/api/review/pass_version', { form: { version_id: String(versionId) } });
  expect(passed.status(), await passed.text()).toBe(200);
}
