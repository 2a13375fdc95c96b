// The merchant's side of the marketplace on a phone (seed 001): find a service, try it, order it
// for a new mini program, pay at the cashier and find it in 我的服务; and each refusal of the
// order page shows its reason and creates no order. Every test makes its own merchant, except
// the two that need built versions (the demo's Golden Dumplings): the 365-day rule and the
// overwrite warning.
import { Page } from '@playwright/test';
import { test, expect, hydrated, signUp, signIn } from './fixtures';

const RESTAURANT = /Restaurant ordering mini program/;
const MEMBERSHIP = /Membership points template/;
const RENEWAL_CAP_EN = 'The remaining validity of this service would exceed 365 days, so it cannot be renewed for now.';
const RENEWAL_CAP_ZH = '该服务您的剩余有效期超过365天，暂时不能续订';

test.describe('merchant pages on a phone', () => {
  test.skip(({ isMobile }) => !isMobile, 'the merchant pages are mobile first');

  test.beforeEach(async ({ page }) => {
    // 立即体验 and 进入服务 open the ISVs' own sites; answer for them here.
    await page.context().route('https://*.demo.service-market.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>ISV preview</title><h1>Preview</h1>' }),
    );
  });

  test('a merchant finds a service, tries it, orders it for a new mini program, pays and sees it in My services', async ({ page }) => {
    test.setTimeout(90_000);
    await newMerchant(page, 'Enterprise');

    // Find it: search, then the card leads to the detail page.
    await page.goto('/market');
    await hydrated(page);
    await page.getByRole('searchbox', { name: 'Search services' }).fill('点餐');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: RESTAURANT }).click();
    await expect(page).toHaveURL(/\/market\/services\/\d+$/);
    await expect(page.getByRole('heading', { level: 1, name: RESTAURANT })).toBeVisible();
    await expect(page.getByText('Enterprise, Individual business')).toBeVisible();

    // 立即体验 opens the preview.
    const popup = page.waitForEvent('popup');
    await page.getByRole('link', { name: 'Try now' }).click();
    const preview = await popup;
    await expect(preview).toHaveURL('https://restaurant.demo.service-market.test/try');
    await preview.close();

    // 立即获取: the order page, for the 30-day plan and a mini program created inline.
    await page.getByRole('link', { name: 'Get now' }).click();
    await expect(page.getByRole('heading', { name: 'Order the service' })).toBeVisible();
    await hydrated(page);
    await page.getByRole('radio', { name: /30 days/ }).check();
    await expect(page).toHaveURL(/plan_id=\d+/);
    // The page asks the server again for the chosen plan; type once it has answered.
    await page.waitForLoadState('networkidle');
    await expect(page.getByText('You have no mini program that can order this service.')).toBeVisible();
    await page.getByLabel('Mini program name').fill('Dragon Noodles');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('Mini program created.');
    await expect(page.getByRole('radio', { name: /Dragon Noodles/ })).toBeChecked();
    await expect(page.getByRole('radio', { name: /30 days/ })).toBeChecked();

    // Bad contact details: messages beside the fields, no order.
    await page.getByLabel('Contact mobile number').fill('12345');
    await page.getByRole('button', { name: 'Order and authorize' }).click();
    await expect(page.locator('#contact_name-error')).toHaveText('Contact name is required.');
    await expect(page.locator('#contact_mobile-error')).toContainText('Enter a mainland China mobile number');
    await expect(page.locator('#agree_to_agreement-error')).toContainText('agree to the service agreement');

    await page.getByLabel('Contact name').fill('Wang Fang');
    await page.getByLabel('Contact mobile number').fill('138 0013 8000');
    await page.getByRole('checkbox', { name: /I have read and agree to the/ }).check();
    await page.getByRole('button', { name: 'Order and authorize' }).click();

    // A priced order goes to the cashier, with its 3-day deadline.
    await expect(page).toHaveURL(/\/cashier\/\d{24}$/);
    await expect(page.getByRole('heading', { name: 'Cashier' })).toBeVisible();
    await expect(page.getByText('¥199.00')).toBeVisible();
    await expect(page.getByText('Awaiting Payment')).toBeVisible();
    await expect(page.getByText(/Pay by: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)).toBeVisible();
    await expect(page.getByText('An order that is not paid within 3 days is canceled.')).toBeVisible();
    await hydrated(page);
    await page.getByRole('button', { name: 'Pay now' }).click();
    await expect(page.getByRole('status')).toContainText('Paid.');
    await expect(page.getByText('In Development')).toBeVisible();

    // 我的服务: the service under its mini program, running, with its validity.
    await page.getByRole('link', { name: 'Go to My services' }).click();
    await expect(page).toHaveURL('/my/services');
    const card = service(page, 'Dragon Noodles', RESTAURANT);
    await expect(card.getByText('In Development')).toBeVisible();
    await expect(card.getByText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} – \d{4}-\d{2}-\d{2}/)).toBeVisible();
    await expect(card.getByRole('link', { name: 'Enter service' })).toHaveAttribute(
      'href',
      'https://restaurant.demo.service-market.test/m',
    );
    await expect(card.getByRole('link', { name: 'Renew' })).toHaveAttribute('href', /\/order\?mini_program_id=\d+$/);

    // The same page in Chinese, in seed 001's words.
    await page.getByRole('button', { name: '简体中文' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '我的服务' })).toBeVisible();
    await expect(card.getByRole('link', { name: '进入服务' })).toBeVisible();
    await expect(card.getByRole('link', { name: '续订' })).toBeVisible();
    await expect(card.getByText('实施中')).toBeVisible();

    // The mini program and its (not yet built) versions.
    await page.getByRole('link', { name: '我的小程序' }).first().click();
    await expect(page.getByRole('heading', { name: 'Dragon Noodles' })).toBeVisible();
    await expect(page.getByText('尚未构建版本。')).toBeVisible();
    await expect(page.getByText(/^2021\d{12}$/)).toBeVisible();
  });

  test('a service for businesses refuses an individual, which upgrades and comes back to the order', async ({ page }) => {
    test.setTimeout(90_000);
    await newMerchant(page, 'Individual');
    await openOrderPage(page, RESTAURANT);
    await createMiniProgram(page, 'Tea Corner');

    const refusal = page.getByRole('alert');
    await expect(refusal).toContainText('This service is only for enterprise or individual business.');
    await expect(page.getByRole('button', { name: 'Order and authorize' })).toBeDisabled();

    // The server refuses it too, and nothing is stored.
    const answer = await placeOrder(page, { miniProgram: /Tea Corner/ });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('This service is only for enterprise or individual business.');
    await expectNoServices(page);

    // Certification: the upgrade to individual business, then back to the order.
    await openOrderPage(page, RESTAURANT);
    await refusal.getByRole('link', { name: 'Upgrade to individual business' }).click();
    await expect(page).toHaveURL(/\/onboarding\/merchant\?return_to=/);
    await expect(page.getByRole('heading', { name: 'Merchant certification' })).toBeVisible();
    await expect(page.getByText('Individual', { exact: true })).toBeVisible();
    await hydrated(page);
    await page.getByLabel('Name on the business licence').fill('Hangzhou Tea Corner');
    await page.getByLabel('Unified social credit code').fill('91350100M000100Y43');
    await page.getByRole('button', { name: 'Upgrade to individual business' }).click();

    await expect(page).toHaveURL(/\/market\/services\/\d+\/order$/);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await hydrated(page);
    await page.getByRole('radio', { name: /Tea Corner/ }).check();
    await fillContact(page);
    await page.getByRole('button', { name: 'Order and authorize' }).click();
    await expect(page).toHaveURL(/\/cashier\/\d{24}$/);
  });

  test('a mini program in another service\'s order flow is shown disabled with the reason and cannot order', async ({ page }) => {
    test.setTimeout(90_000);
    await newMerchant(page, 'Enterprise');
    await openOrderPage(page, RESTAURANT);
    await createMiniProgram(page, 'Busy Bee');
    await fillContact(page);
    await page.getByRole('button', { name: 'Order and authorize' }).click();
    await expect(page).toHaveURL(/\/cashier\/\d{24}$/);
    // Left unpaid: the order stays in its flow.
    await page.getByRole('link', { name: 'Pay later' }).click();
    const restaurant = service(page, 'Busy Bee', RESTAURANT);
    await expect(restaurant.getByText('Awaiting Payment', { exact: true })).toBeVisible();
    await expect(restaurant.getByRole('link', { name: 'Go to the cashier' })).toBeVisible();

    await openOrderPage(page, MEMBERSHIP);
    const busyBee = page.getByRole('radio', { name: /Busy Bee/ });
    await expect(busyBee).toBeDisabled();
    await expect(busyBee).toHaveAccessibleDescription(
      /This mini program is in the order flow of another service \(Restaurant ordering mini program.*\)\. Finish or cancel that order first\./,
    );

    const answer = await placeOrder(page, { miniProgram: /Busy Bee/ });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('in the order flow of another service');
    await page.goto('/my/services');
    await expect(page.getByRole('list', { name: 'Busy Bee' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByText(MEMBERSHIP)).toHaveCount(0);
  });

  test('a period beyond the maximum order period is refused with its reason', async ({ page }) => {
    test.setTimeout(120_000);
    await newMerchant(page, 'Enterprise');
    // 365 days, paid, then renewed by 365 days: 730, the service's maximum.
    await openOrderPage(page, RESTAURANT);
    await createMiniProgram(page, 'Long Run');
    await orderAndPay(page, /365 days/);
    const card = service(page, 'Long Run', RESTAURANT);
    await card.getByRole('link', { name: 'Renew' }).click();
    await expect(page.getByRole('heading', { name: 'Order the service' })).toBeVisible();
    await expect(page.getByRole('radio', { name: /Long Run/ })).toBeChecked();
    await expect(page.getByText(/Current validity ends: \d{4}-/)).toBeVisible();
    await orderAndPay(page, /365 days/);

    // Any further renewal would pass 730 days.
    const reason = /The selected period would exceed this service's maximum order period of 730 days\./;
    await expect(card.getByRole('button', { name: 'Renew' })).toBeDisabled();
    await expect(card.getByText(reason)).toBeVisible();
    const latest = await card.getByText(/^\d{24}$/).textContent();

    await openOrderPage(page, RESTAURANT);
    await page.getByRole('radio', { name: /30 days/ }).check();
    const longRun = page.getByRole('radio', { name: /Long Run/ });
    await expect(longRun).toBeDisabled();
    await expect(longRun).toHaveAccessibleDescription(reason);
    const answer = await placeOrder(page, { miniProgram: /Long Run/ });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(reason);
    await page.goto('/my/services');
    await expect(card.getByText(/^\d{24}$/)).toHaveText(latest!);
  });

  test('renewing past 365 days once a version is online is refused with the seed\'s message', async ({ page }) => {
    await signIn(page, 'dumplings', 'Demo2026');
    await expect(page).toHaveURL('/console');
    await page.getByRole('link', { name: 'My services' }).click();
    const card = service(page, 'Golden Dumplings', RESTAURANT);
    await expect(card.getByRole('button', { name: 'Renew' })).toBeDisabled();
    await expect(card.getByText(RENEWAL_CAP_EN)).toBeVisible();
    const latest = await card.getByText(/^\d{24}$/).textContent();
    await page.getByRole('button', { name: '简体中文' }).click();
    await expect(card.getByRole('button', { name: '续订' })).toBeDisabled();
    await expect(card.getByText(RENEWAL_CAP_ZH)).toBeVisible();
    await page.getByRole('button', { name: 'English' }).click();

    // The order page shows the same reason, and the server refuses the renewal.
    await openOrderPage(page, RESTAURANT);
    await page.getByRole('radio', { name: /30 days/ }).check();
    const dumplings = page.getByRole('radio', { name: /Golden Dumplings/ });
    await expect(dumplings).toBeDisabled();
    await expect(dumplings).toHaveAccessibleDescription(RENEWAL_CAP_EN);
    const answer = await placeOrder(page, { miniProgram: /Golden Dumplings/ });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(RENEWAL_CAP_EN);
    await page.goto('/my/services');
    await expect(card.getByText(/^\d{24}$/)).toHaveText(latest!);
  });

  test('a mini program with built versions needs the overwrite warning acknowledged', async ({ page }) => {
    await signIn(page, 'dumplings', 'Demo2026');
    await expect(page).toHaveURL('/console');
    await openOrderPage(page, RESTAURANT);
    await page.getByRole('radio', { name: /30 days/ }).check();
    await page.getByRole('radio', { name: /Dumplings Express/ }).check();
    const warning = page.getByRole('note');
    await expect(warning).toContainText('High risk: this mini program already has built versions.');
    await fillContact(page);
    await page.getByRole('button', { name: 'Order and authorize' }).click();
    await expect(page.locator('#acknowledge_overwrite-error')).toHaveText('Tick the box above to confirm the overwrite before ordering.');
    await expect(page).toHaveURL(/\/order\?plan_id=\d+/);

    await warning.getByRole('checkbox', { name: 'I understand: the earlier versions and their data will be lost.' }).check();
    await page.getByRole('button', { name: 'Order and authorize' }).click();
    await expect(page).toHaveURL(/\/cashier\/\d{24}$/);
  });
});

test('the service detail page works on a desktop too', async ({ page }) => {
  await page.goto('/market');
  await page.getByRole('link', { name: MEMBERSHIP }).click();
  await expect(page.getByRole('heading', { level: 1, name: MEMBERSHIP })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Plans' }).getByRole('listitem')).toHaveText(['30 daysFree']);
  await expect(page.getByText('Anyone')).toBeVisible();
  await page.getByRole('link', { name: 'Get now' }).click();
  // A visitor is asked to sign in first, and comes back here.
  await expect(page.getByRole('alert')).toContainText('Please sign in first.');
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toHaveAttribute(
    'href',
    /^\/sign-in\?next=\/market\/services\/\d+\/order$/,
  );
});

/** Signs up a new merchant and onboards it with this identity type. */
async function newMerchant(page: Page, identity: 'Enterprise' | 'Individual') {
  await signUp(page, 'shop');
  await hydrated(page);
  await page.getByRole('button', { name: 'Merchant' }).click();
  await expect(page).toHaveURL('/onboarding/merchant');
  await page.getByLabel('Merchant name').fill(`Shop ${identity}`);
  await page.getByLabel('Identity type').selectOption({ label: identity });
  await page.getByLabel('Certified name').fill(identity === 'Individual' ? 'Li Na' : 'Hangzhou Shop Ltd.');
  await page
    .getByLabel('Certificate number')
    .fill(identity === 'Individual' ? '11010519491231002X' : '91350100M000100Y43');
  await page.getByRole('button', { name: 'Onboard as a merchant' }).click();
  await expect(page).toHaveURL('/console');
}

/** The order page (立即获取) of the service named like `name`, through the marketplace. */
async function openOrderPage(page: Page, name: RegExp) {
  await page.goto('/market');
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('link', { name: 'Get now' }).click();
  await expect(page.getByRole('heading', { name: 'Order the service' })).toBeVisible();
  await hydrated(page);
}

/** Creates a mini program inline on the order page; it is then chosen. */
async function createMiniProgram(page: Page, name: string) {
  const more = page.getByRole('button', { name: '+ Create a mini program' });
  if (await more.isVisible()) await more.click();
  await page.getByLabel('Mini program name').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('radio', { name: new RegExp(name) })).toBeChecked();
}

async function fillContact(page: Page) {
  await page.getByLabel('Contact name').fill('Wang Fang');
  await page.getByLabel('Contact mobile number').fill('13800138000');
  await page.getByRole('checkbox', { name: /I have read and agree to the/ }).check();
}

/** Orders the chosen mini program for the plan named like `plan`, pays, and lands in 我的服务. */
async function orderAndPay(page: Page, plan: RegExp) {
  await page.getByRole('radio', { name: plan }).check();
  await expect(page.getByRole('radio', { name: plan })).toBeChecked();
  await fillContact(page);
  await page.getByRole('button', { name: 'Order and authorize' }).click();
  await expect(page).toHaveURL(/\/cashier\/\d{24}$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Pay now' }).click();
  await expect(page.getByRole('status')).toContainText('Paid.');
  await page.getByRole('link', { name: 'Go to My services' }).click();
  await expect(page).toHaveURL('/my/services');
}

/**
 * 订购并授权 sent straight to the server (as a page that skipped the checks would), for the
 * order page's current service and plan and the mini program named like `miniProgram`.
 */
async function placeOrder(page: Page, { miniProgram }: { miniProgram: RegExp }) {
  const serviceId = Number(new URL(page.url()).pathname.split('/')[3]);
  const planId = Number(await page.getByRole('radio', { name: /days/ }).and(page.locator(':checked')).getAttribute('value'));
  const miniProgramId = Number(await page.getByRole('radio', { name: miniProgram }).getAttribute('value'));
  const response = await page.request.post('/api/ordering/place_order', {
    data: {
      input: {
        service_id: serviceId,
        plan_id: planId,
        mini_program_id: miniProgramId,
        terminals: [],
        contact_name: 'Wang Fang',
        contact_mobile: '13800138000',
        agree_to_agreement: true,
        acknowledge_overwrite: true,
      },
    },
  });
  return { status: response.status(), body: await response.text() };
}

async function expectNoServices(page: Page) {
  await page.goto('/my/services');
  await expect(page.getByText('You have not ordered any service yet.')).toBeVisible();
}

/** A service's card in 我的服务, under its mini program. */
function service(page: Page, miniProgram: string, name: RegExp) {
  return page.getByRole('list', { name: miniProgram }).getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
}
